package io.qudag.resilience.mcp.internal;

/**
 * A running estimate of one tool's latency on one endpoint, for the adaptive hedge delay: the RFC 6298
 * smoothing (mean with gain 1/8, mean deviation with gain 1/4) and, as the high quantile, mean plus
 * two mean deviations — about the 95th percentile of a roughly normal latency. No allocation, no lock:
 * samples come from many threads, and a lost update under a race only skips one sample.
 */
final class LatencyEstimate {

    private volatile double mean = -1;
    private volatile double dev;

    void sample(long nanos) {
        double r = nanos;
        double m = mean;
        if (m < 0) {
            mean = r;
            dev = r / 2;
            return;
        }
        dev = 0.75 * dev + 0.25 * Math.abs(m - r);
        mean = 0.875 * m + 0.125 * r;
    }

    /** About the 95th percentile in nanoseconds, or -1 before the first sample. */
    long highQuantileNanos() {
        double m = mean;
        return m < 0 ? -1 : (long) (m + 2 * dev);
    }
}
