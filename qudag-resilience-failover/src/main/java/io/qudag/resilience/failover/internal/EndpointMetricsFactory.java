package io.qudag.resilience.failover.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.failover.Endpoint;
import java.time.Clock;

/** Creates the indicator windows of one endpoint: a core HealthMonitor with the spec §1.2 indicators. */
final class EndpointMetricsFactory {

    private EndpointMetricsFactory() {
    }

    static EndpointMetrics create(String group, Endpoint endpoint, Clock clock, MeterRegistry registry) {
        return new HealthMonitorEndpointMetrics(group + "/" + endpoint.id(), clock, registry);
    }
}
