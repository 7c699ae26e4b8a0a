package io.fetchq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Settings s = Settings.builder().build();

        assertThat(s.db()).isEqualTo(new DbLocation.Sqlite(Path.of("./data/fetchq.db")));
        assertThat(s.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoffCap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.maxPayloadBytes()).isEqualTo(1 << 20);
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheSettingItsRangeAndTheValue() {
        assertThatThrownBy(() -> Settings.builder().lease("0s").build())
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("--lease must be between 1s and 12h, got 0s");
        assertThatThrownBy(() -> Settings.builder().maxAttempts(0).build())
                .hasMessage("--max-attempts must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> Settings.builder().dbPoolSize(-1).build())
                .hasMessage("--db-pool-size must be between 2 and 200, got -1");
        assertThatThrownBy(() -> Settings.builder().maxPayload("0").build())
                .hasMessage("--max-payload must be between 1KiB and 16MiB, got 0");
        assertThatThrownBy(() -> Settings.builder().backoffBase("1m").backoffCap("10s").build())
                .hasMessage("--backoff-cap must not be below --backoff-base (1m), got 10s");
    }

    @Test
    void malformedValuesSayWhatIsExpected() {
        assertThatThrownBy(() -> Settings.builder().lease("soon").build())
                .hasMessage("--lease: 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 2h or 7d");
        assertThatThrownBy(() -> Settings.builder().maxPayload("lots").build())
                .hasMessageContaining("--max-payload: 'lots' is not a size");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> Settings.builder().lease("0s").maxAttempts(0).build())
                .hasMessageContaining("--lease").hasMessageContaining("--max-attempts");
    }

    @Test
    void durationsAndSizesAreReadAsPeopleWriteThem() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse(" 5m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ByteSizes.parse("256KiB")).isEqualTo(256 * 1024);
        assertThat(ByteSizes.parse("10MB")).isEqualTo(10L << 20);
        assertThat(ByteSizes.parse("123")).isEqualTo(123);
        assertThat(ByteSizes.format(1 << 20)).isEqualTo("1MiB");
    }

    @Test
    void fetchingDefaultsAreTheOnesTheScrapeIssueAsksFor() {
        Settings.Fetching f = Settings.builder().build().fetching();

        assertThat(f.perHostConcurrency()).isEqualTo(2);
        assertThat(f.perHostDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(f.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(f.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(f.fetchTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(f.maxBodyBytes()).isEqualTo(10L << 20);
        assertThat(f.maxRedirects()).isEqualTo(10);
        assertThat(f.allowPrivateNetworks()).as("the SSRF guard is on by default").isFalse();
        assertThat(f.allowedPorts()).isEmpty();
        assertThat(f.anyPort()).isFalse();
        assertThat(f.webhookSecret()).isNull();
    }

    @Test
    void fetchingSettingsAreCheckedLikeTheOthers() {
        assertThatThrownBy(() -> Settings.builder().perHostConcurrency(0).build())
                .hasMessage("--per-host-concurrency must be between 1 and 256, got 0");
        assertThatThrownBy(() -> Settings.builder().perHostDelay("2m").build())
                .hasMessage("--per-host-delay must be between 0s and 1m, got 2m");
        assertThatThrownBy(() -> Settings.builder().maxBody("10").build())
                .hasMessage("--max-body must be between 1KiB and 1GiB, got 10");
        assertThatThrownBy(() -> Settings.builder().maxRedirects(21).build())
                .hasMessage("--max-redirects must be between 0 and 20, got 21");
        assertThatThrownBy(() -> Settings.builder().allowPorts("8080,http").build())
                .hasMessageContaining("--allow-ports takes port numbers 1-65535");
        assertThatThrownBy(() -> Settings.builder().userAgent("bot\nX-Injected: 1").build())
                .hasMessage("--user-agent must be 1-256 printable characters");
        assertThatThrownBy(() -> Settings.builder().webhookSecret("short").build())
                .hasMessage("--webhook-secret must be at least 16 characters");

        Settings.Fetching f = Settings.builder().allowPorts("8080, 8443").allowPrivateNetworks(true).build().fetching();
        assertThat(f.allowedPorts()).containsExactly(8080, 8443);
        assertThat(f.allowPrivateNetworks()).isTrue();
        assertThat(Settings.builder().allowPorts("*").build().fetching().anyPort()).isTrue();
    }
}
