package io.fetchq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatcherTest {

    @Test
    void concurrentSubmissionsShareRoundsAndEachGetsItsOwnAnswer() throws Exception {
        ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Batcher<Integer, String> batcher = new Batcher<>(batch -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            batchSizes.add(batch.size());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return batch.stream().map(i -> "job-" + i).toList();
        }, i -> 1, 10_000, 2);

        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 500; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return batcher.submit(n);
                }));
            }
            go.countDown();
            for (int i = 0; i < 500; i++) {
                assertThat(answers.get(i).get()).isEqualTo("job-" + i);
            }
        }
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(batchSizes.size()).as("rounds shared by many submissions").isLessThan(250);
        assertThat(maxInFlight.get()).as("never more rounds at once than leader seats").isLessThanOrEqualTo(2);
    }

    @Test
    void aBatchIsCappedByUrlsButABigSubmissionGoesAlone() throws Exception {
        List<List<Integer>> rounds = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch firstRoundRunning = new CountDownLatch(1);
        CountDownLatch releaseFirstRound = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean holdNextRound = new java.util.concurrent.atomic.AtomicBoolean();
        Batcher<Integer, Integer> batcher = new Batcher<>(batch -> {
            rounds.add(batch);
            if (holdNextRound.compareAndSet(true, false)) {
                firstRoundRunning.countDown();
                try {
                    releaseFirstRound.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return batch;
        }, i -> i, 100, 1);

        assertThat(batcher.submit(500)).as("bigger than the cap, alone").isEqualTo(500);
        rounds.clear();
        holdNextRound.set(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> first = pool.submit(() -> batcher.submit(1));
            firstRoundRunning.await();
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(pool.submit(() -> batcher.submit(60)));
            }
            Thread.sleep(50); // let the three queue behind the running round
            releaseFirstRound.countDown();
            assertThat(first.get()).isEqualTo(1);
            for (Future<Integer> f : queued) {
                assertThat(f.get()).isEqualTo(60);
            }
        }
        assertThat(rounds).first().isEqualTo(List.of(1));
        assertThat(rounds.subList(1, rounds.size())).as("60 + 60 would pass the cap of 100")
                .allSatisfy(r -> assertThat(r.stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(100))
                .hasSize(3);
    }

    @Test
    void aFailedRoundFailsEverySubmissionInIt() {
        Batcher<Integer, Integer> batcher = new Batcher<>(batch -> {
            throw new IllegalStateException("database down");
        }, i -> 1, 100, 1);

        assertThatThrownBy(() -> batcher.submit(1)).isInstanceOf(IllegalStateException.class).hasMessage("database down");
        assertThatThrownBy(() -> batcher.submit(2)).as("the next round is tried afresh").hasMessage("database down");
    }
}
