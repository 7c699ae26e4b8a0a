package io.fetchq.http;

import io.fetchq.testing.PgTestDatabase;

/** The broker flows on PostgreSQL, each test in a fresh schema. */
class PostgresApiQueuesTest extends ApiQueuesContract {
    private PgTestDatabase pg;

    @Override
    protected String db() {
        if (pg == null) {
            pg = PgTestDatabase.create(getClass());
        }
        return pg.schemaUrl();
    }

    @Override
    protected void afterNodeStopped() {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }
}
