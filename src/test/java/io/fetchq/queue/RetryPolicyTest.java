package io.fetchq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void theCeilingDoublesPerAttemptUpToTheCap() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60));

        assertThat(p.ceilingFor(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.ceilingFor(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.ceilingFor(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(p.ceilingFor(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.ceilingFor(1000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void fullJitterSpreadsTheDelayOverTheWholeWindow() {
        assertThat(new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.0).delayFor(4, null))
                .isZero();
        assertThat(new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.5).delayFor(4, null))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.999).delayFor(4, null))
                .isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aLaterNotBeforeHintWinsAndAnEarlierOneDoesNot() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.5);

        assertThat(p.delayFor(3, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.delayFor(3, Duration.ofMillis(10))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("base");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1))).hasMessageContaining("cap");
    }
}
