package io.fetchq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.config.DbLocation;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark still runs and verifies its own results (a small N; speed is never asserted here). */
class QueueBenchmarkTest {

    @Test
    void aSmallRunOfBothWorkloadsPrintsThePeersJsonShape(@TempDir Path dir) throws Exception {
        var config = new QueueBenchmark.Config(DbLocation.parse(dir.resolve("b.db").toString()), "unused", 500, 8,
                100, 5, 2, 5, 16, EnumSet.allOf(QueueBenchmark.Phase.class));

        JsonNode json = new ObjectMapper().readTree(new QueueBenchmark(config).run());

        assertThat(json.get("peer").asText()).isEqualTo("fetchq (sqlite)");
        assertThat(json.get("n").asInt()).isEqualTo(500);
        assertThat(json.get("duplicates").asInt()).isZero();
        assertThat(json.get("process_jobs_per_s").asDouble()).isPositive();
        assertThat(json.get("enqueue_jobs_per_s").asDouble()).isPositive();
        assertThat(json.get("pickup_ms").get("p50").asDouble()).isPositive();
        assertThat(json.get("pickup_detail").get("n").asInt()).isEqualTo(5);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(Stats.percentile(sorted, 50)).isEqualTo(5);
        assertThat(Stats.percentile(sorted, 95)).isEqualTo(10);
        assertThat(Stats.percentile(sorted, 1)).isEqualTo(1);
    }
}
