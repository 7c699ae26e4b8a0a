package io.fetchq.http;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteApiQueuesTest extends ApiQueuesContract {
    @TempDir
    Path dir;

    @Override
    protected String db() {
        return dir.resolve("api.db").toString();
    }
}
