package io.qudag.resilience.failover.internal;

/**
 * The per-endpoint indicator windows the decision engine assesses (spec §1.2 primary and secondary
 * indicators). One instance per endpoint; thread-safe; {@link #recordCall} is on the call path.
 */
interface EndpointMetrics {

    String RESPONSE_TIME = "response_time";
    String ERROR_RATE = "error_rate";
    String CONNECTION_SUCCESS_RATE = "connection_success_rate";
    String CPU = "cpu_utilization";
    String MEMORY = "memory_utilization";
    String DISK_IO_WAIT = "disk_io_wait";

    /** One call: its duration, whether it failed, whether the connection failed. */
    void recordCall(long durationNanos, boolean failure, boolean connectionFailure);

    /** A secondary (resource) indicator reported by the endpoint or its host, a fraction 0..1. */
    void recordResource(String metric, double value);

    /** The indicators over their evaluation windows, now. */
    Reading read();

    /** Removes the meters these indicators registered; recording goes on without them. */
    void close();

    /**
     * @param responseCount         calls in the response-time window (30 s)
     * @param responseP95Millis     p95 response time in ms, NaN without data
     * @param callsPerSecond        calls per second over the response-time window
     * @param errorCount            calls in the error-rate window (60 s)
     * @param errorRate             failure share 0..1, NaN without data
     * @param connectionCount       calls in the connection window (120 s)
     * @param connectionSuccessRate 0..1, NaN without data
     * @param cpu                   mean CPU utilization 0..1 over 300 s, NaN without data
     * @param memory                mean memory utilization, NaN without data
     * @param diskIoWait            mean disk I/O wait, NaN without data
     * @param healthScore           composite 0..100 score, NaN without data
     */
    record Reading(long responseCount, double responseP95Millis, double callsPerSecond, long errorCount,
                   double errorRate, long connectionCount, double connectionSuccessRate, double cpu,
                   double memory, double diskIoWait, double healthScore) {
    }
}
