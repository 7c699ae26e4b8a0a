package io.fetchq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.config.DbLocation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API benchmark runs end to end and reports both phases (a correctness check, not a speed test). */
class ApiBenchmarkTest {
    @Test
    void reportsSubmitAndReadPhases(@TempDir Path dir) throws Exception {
        String line = new ApiBenchmark(new ApiBenchmark.Config(DbLocation.parse(dir.resolve("b.db").toString()), "unused",
                4, Duration.ofMillis(700), Duration.ofMillis(200))).run();

        JsonNode r = new ObjectMapper().readTree(line);
        assertThat(r.get("product").asText()).isEqualTo("fetchq (sqlite)");
        assertThat(r.get("submit").get("requests").asLong()).isPositive();
        assertThat(r.get("submit").get("errors").asLong()).isZero();
        assertThat(r.get("read").get("requests").asLong()).isPositive();
        assertThat(r.get("read").get("p99_ms").asDouble()).isGreaterThanOrEqualTo(r.get("read").get("p50_ms").asDouble());
        assertThat(r.get("jobs_stored").asLong()).isGreaterThanOrEqualTo(r.get("submit").get("requests").asLong());
    }
}
