package io.fetchq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.config.DbLocation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker benchmark runs end to end and reports throughput and latency (a correctness check, not a speed test). */
class BrokerBenchmarkTest {
    @Test
    void reportsThroughputAndLatency(@TempDir Path dir) throws Exception {
        String line = new BrokerBenchmark(new BrokerBenchmark.Config(DbLocation.parse(dir.resolve("b.db").toString()),
                "unused", 500, 3, 2, 10, 20)).run();

        JsonNode r = new ObjectMapper().readTree(line);
        assertThat(r.get("product").asText()).isEqualTo("fetchq (sqlite)");
        assertThat(r.get("workload").asText()).isEqualTo("broker");
        assertThat(r.get("e2e_msgs_per_s").asLong()).isPositive();
        assertThat(r.get("e2e_s").asDouble()).isGreaterThanOrEqualTo(r.get("send_s").asDouble() * 0.5);
        assertThat(r.get("messages_per_receive").asDouble()).isBetween(1.0, 10.0);
        assertThat(r.get("latency_ms").get("messages").asInt()).isEqualTo(20);
        assertThat(r.get("latency_ms").get("p99").asDouble()).isGreaterThanOrEqualTo(r.get("latency_ms").get("p50").asDouble());
    }
}
