package io.fetchq.http;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteBrokerConsumersTest extends BrokerConsumersContract {
    @TempDir
    Path dir;

    @Override
    protected String db() {
        return dir.resolve("broker.db").toString();
    }
}
