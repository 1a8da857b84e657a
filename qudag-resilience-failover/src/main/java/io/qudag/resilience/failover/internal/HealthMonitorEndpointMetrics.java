package io.qudag.resilience.failover.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.health.HealthIndicators;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.core.health.HealthScore;
import io.qudag.resilience.core.health.WindowSnapshot;
import java.time.Clock;

/**
 * {@link EndpointMetrics} on the core {@link HealthMonitor} with the spec §1.2 indicators
 * ({@link HealthIndicators#primaryAndSecondary()}): response time (p95 over 30 s), error rate (60 s),
 * connection success rate (120 s), CPU, memory and disk I/O wait (300 s). The monitor's subject is
 * {@code <group>/<endpoint id>}; its composite score is one of the decision inputs.
 */
final class HealthMonitorEndpointMetrics implements EndpointMetrics {

    private final HealthMonitor monitor;

    HealthMonitorEndpointMetrics(String subject, Clock clock, MeterRegistry registry) {
        HealthMonitor.Builder b = HealthMonitor.builder(subject, HealthIndicators.primaryAndSecondary()).clock(clock);
        if (registry != null) {
            b.meterRegistry(registry);
        }
        this.monitor = b.build();
    }

    @Override
    public void recordCall(long durationNanos, boolean failure, boolean connectionFailure) {
        monitor.record(RESPONSE_TIME, Math.max(0, durationNanos) / 1_000_000.0);
        monitor.record(ERROR_RATE, failure ? 1.0 : 0.0);
        monitor.record(CONNECTION_SUCCESS_RATE, connectionFailure ? 0.0 : 1.0);
    }

    @Override
    public void recordResource(String metric, double value) {
        if (!CPU.equals(metric) && !MEMORY.equals(metric) && !DISK_IO_WAIT.equals(metric)) {
            throw new IllegalArgumentException("metric must be one of " + CPU + ", " + MEMORY + ", " + DISK_IO_WAIT
                    + ", was " + metric);
        }
        monitor.record(metric, value);
    }

    @Override
    public Reading read() {
        WindowSnapshot rt = monitor.snapshot(RESPONSE_TIME);
        WindowSnapshot er = monitor.snapshot(ERROR_RATE);
        WindowSnapshot cs = monitor.snapshot(CONNECTION_SUCCESS_RATE);
        HealthScore score = monitor.score();
        return new Reading(rt.count(), rt.p95(), rt.ratePerSecond(), er.count(), er.mean(), cs.count(), cs.mean(),
                monitor.snapshot(CPU).mean(), monitor.snapshot(MEMORY).mean(), monitor.snapshot(DISK_IO_WAIT).mean(),
                score.hasData() ? score.value() : Double.NaN);
    }

    @Override
    public void close() {
        monitor.close();
    }
}
