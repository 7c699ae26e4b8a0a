package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.HostPermit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-host politeness: slots under leases, reserved start times, pauses. */
public interface HostContract extends StoreFixture {
    String HOST = "http://example.com:80";
    Duration DELAY = Duration.ofMillis(250);

    @Test
    default void startsAreReservedAtLeastTheDelayApart() {
        HostPermit a = store().hosts().hostAcquire(HOST, 3, DELAY, "n1", LEASE).orElseThrow();
        HostPermit b = store().hosts().hostAcquire(HOST, 3, DELAY, "n2", LEASE).orElseThrow();
        HostPermit c = store().hosts().hostAcquire(HOST, 3, DELAY, "n1", LEASE).orElseThrow();

        assertThat(a.startIn()).isZero();
        assertThat(b.startIn()).isEqualTo(DELAY);
        assertThat(c.startIn()).isEqualTo(DELAY.multipliedBy(2));
        assertThat(java.util.Set.of(a.slot(), b.slot(), c.slot())).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    default void noMoreThanTheConcurrencyHoldSlotsAtOnce() {
        HostPermit a = store().hosts().hostAcquire(HOST, 2, Duration.ZERO, "n1", LEASE).orElseThrow();
        store().hosts().hostAcquire(HOST, 2, Duration.ZERO, "n2", LEASE).orElseThrow();

        assertThat(store().hosts().hostAcquire(HOST, 2, Duration.ZERO, "n3", LEASE)).isEmpty();
        assertThat(store().hosts().hostAcquire("http://other.example:80", 2, Duration.ZERO, "n3", LEASE)).isPresent();

        store().hosts().hostRelease(a, "someone-else");
        assertThat(store().hosts().hostAcquire(HOST, 2, Duration.ZERO, "n3", LEASE)).as("only the holder releases").isEmpty();
        store().hosts().hostRelease(a, "n1");
        assertThat(store().hosts().hostAcquire(HOST, 2, Duration.ZERO, "n3", LEASE)).isPresent();
    }

    @Test
    default void aSlotWhoseHolderDiedFreesItselfWhenItsLeaseEnds() {
        store().hosts().hostAcquire(HOST, 1, Duration.ZERO, "dead-node", LEASE).orElseThrow();
        assertThat(store().hosts().hostAcquire(HOST, 1, Duration.ZERO, "n2", LEASE)).isEmpty();

        clock().advance(LEASE.plusSeconds(1));

        assertThat(store().hosts().hostAcquire(HOST, 1, Duration.ZERO, "n2", LEASE)).isPresent();
    }

    @Test
    default void aPausedHostStartsNothingBeforeThePauseEnds() {
        store().hosts().hostPause(HOST, Duration.ofSeconds(30));
        store().hosts().hostPause(HOST, Duration.ofSeconds(5));

        assertThat(store().hosts().hostPausedFor(HOST)).as("a shorter pause does not shorten a longer one")
                .contains(Duration.ofSeconds(30));
        assertThat(store().hosts().hostAcquire(HOST, 2, Duration.ZERO, "n1", LEASE).orElseThrow().startIn())
                .isEqualTo(Duration.ofSeconds(30));
        clock().advance(Duration.ofSeconds(31));
        assertThat(store().hosts().hostPausedFor(HOST)).isEmpty();
    }
}
