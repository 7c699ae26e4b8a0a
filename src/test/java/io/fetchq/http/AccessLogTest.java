package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One access log line per request, naming the request id the response echoes; keys never appear in it. */
class AccessLogTest extends ApiTestBase {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("fetchq.access");

    @Override
    protected String db() {
        return dir.resolve("log.db").toString();
    }

    @BeforeEach
    void capture() {
        lines.start();
        access.addAppender(lines);
    }

    @AfterEach
    void release() {
        access.detachAppender(lines);
    }

    @Test
    void eachRequestIsLoggedOnceWithItsRequestId() {
        ApiClient.Response ok = api.get("/health");
        ApiClient.Response missing = api.get("/jobs/nope?access_token=secret-looking-token", "X-Request-Id", "client-chosen-id");

        assertThat(missing.header("X-Request-Id")).isEqualTo("client-chosen-id");
        await().atMost(WAIT).until(() -> lines.list.size() >= 2);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("GET /health 200").endsWith("req=" + ok.header("X-Request-Id")))
                .anySatisfy(m -> assertThat(m).contains("GET /jobs/nope 404").endsWith("req=client-chosen-id"))
                .noneSatisfy(m -> assertThat(m).contains("secret-looking-token"));
    }
}
