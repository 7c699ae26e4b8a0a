package io.fetchq.bench;

/** The arithmetic every benchmark reports with: nearest-rank percentiles (as the peers' harness computes them) and rounding. */
final class Stats {
    private Stats() {
    }

    /** Nearest-rank percentile {@code p} (0-100) of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
        return sorted[rank - 1];
    }

    /** Nearest-rank percentile {@code p} (0-100) of sorted values; 0 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
        return sorted[Math.min(sorted.length, rank) - 1];
    }

    /** Nanoseconds as milliseconds with two decimals. */
    static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
