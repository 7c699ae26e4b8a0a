package io.fetchq.http;

import io.fetchq.testing.PgTestDatabase;

class PostgresBrokerConsumersTest extends BrokerConsumersContract {
    private PgTestDatabase pg;

    @Override
    protected String db() {
        pg = PgTestDatabase.create(getClass());
        return pg.schemaUrl();
    }

    @Override
    protected void cleanUp() {
        if (pg != null) {
            pg.close();
        }
    }
}
