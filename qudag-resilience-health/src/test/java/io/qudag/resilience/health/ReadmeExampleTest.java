package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.health.HealthAction;
import io.qudag.resilience.core.spi.HealthTrendSignal;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import io.qudag.resilience.health.source.DiskStatsSource;
import io.qudag.resilience.health.source.MicrometerSources;
import io.qudag.resilience.health.source.SystemMetricSources;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The README's usage snippet, verbatim, compiles and runs. */
class ReadmeExampleTest {

    @Test
    void readmeSnippetRuns() {
        MeterRegistry registry = new SimpleMeterRegistry();          // the registry the MCP client publishes to
        DoubleSupplier dagOpsPerSecond = () -> 150.0;                 // a business gauge of yours
        HealthMonitoringSystem health = HealthMonitoringSystem.builder()
                .meterRegistry(registry)
                .source("system", SystemMetricSources.cpu())
                .source("system", SystemMetricSources.heap())
                .source("system", DiskStatsSource.linux(Clock.systemUTC()).iops())
                .source("mcp-a", MicrometerSources.successRate(registry, "mcp-a"))
                .source("mcp-a", MicrometerSources.activeConnections(registry, "mcp-a"))
                .source("mcp-a", MicrometerSources.responseTimeP95(registry, "mcp-a"))
                .source("dag", SystemMetricSources.gauge(MetricSpecs.DAG_OPERATIONS_PER_SECOND, dagOpsPerSecond))
                .alertListener(e -> System.out.println("alert " + e))
                .onAction(HealthAction.EMERGENCY_RESPONSE, e -> System.out.println("page the on-call: " + e.subject()))
                .build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        health.start(scheduler, Duration.ofSeconds(1));
        HealthTrendSignal trend = health;   // give it to the failover engine's trendSignal(..)

        HealthHttpEndpoint endpoint = HealthHttpEndpoint.builder(health).port(0).build().start();
        // GET endpoint.url() + "/health", "/health/live", "/health/ready", "/" (the page)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.lastCollect().isPresent());
        assertThat(health.subjects()).contains("system", "dag", "mcp-a");
        assertThat(trend.predict("dag")).isEmpty();
        endpoint.close();
        health.close();
        scheduler.shutdown();
    }
}
