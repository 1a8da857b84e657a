package io.qudag.resilience.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.health.HealthIndicators;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The usage snippet of docs/disaster-recovery.md, kept compiling and running. */
class DisasterRecoveryUsageExampleTest {

    @Test
    void usageSnippetRuns() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            // --- snippet start
            BreakerHierarchy hierarchy = BreakerHierarchy.builder().build();
            HealthMonitor health = HealthMonitor.builder("search-mcp", HealthIndicators.primary()).build();
            BreakerPath service = BreakerPath.parse("global/region:eu-west/service:search-mcp");

            DisasterRecoveryPlanConfig config = DisasterRecoveryPlanConfig.builder()
                    .procedure(RecoveryProcedures.isolate("isolate-service", hierarchy,
                                    RecoveryProcedures.paths(service), Duration.ofMinutes(5))
                            .level(DisasterLevel.SERVICE_DISRUPTION).timeout(Duration.ofSeconds(10)).build())
                    .procedure(RecoveryProcedures.builder("activate-replica-tier")
                            .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.SHORT_TERM)
                            .timeout(Duration.ofMinutes(1))
                            .action(ctx -> { /* e.g. endpointGroup.activate(FailoverTier.REGIONAL) */ }).build())
                    .procedure(RecoveryProcedures.validateHealth("validate", HealthGrade.GOOD, health)
                            .level(DisasterLevel.SERVICE_DISRUPTION).timeout(Duration.ofSeconds(10))
                            .retry(RetryPolicy.builder().maxAttempts(10).initialBackoff(Duration.ofSeconds(30))
                                    .maxBackoff(Duration.ofMinutes(5)).build())
                            .build())
                    .build();
            ContinuityPolicy continuity = ContinuityPolicy.builder()
                    .tool("login", ToolCriticality.CRITICAL)
                    .tool("web_search", ToolCriticality.IMPORTANT)
                    .tool("summarize", ToolCriticality.OPTIONAL).build();

            DisasterRecoveryPlan plan = DisasterRecoveryPlan.builder().name("search")
                    .config(config).continuity(continuity)
                    .auditSink(event -> { /* e.g. append to the recovery journal */ })
                    .build();
            PlanSignals.watch(hierarchy, plan::signal, service);   // breaker openings become signals
            plan.scheduleTicks(scheduler, Duration.ofSeconds(1));  // time boxes, timeouts, retries

            // somewhere in a server decorator:
            if (!plan.continuity().isServed("summarize")) {
                String toolError = plan.continuity().unavailableMessage("summarize");
            }
            // --- snippet end

            plan.signal(IncidentSignal.breakerOpened(service, "drill"));
            assertThat(plan.continuity().isServed("summarize")).isFalse();
            assertThat(plan.continuity().isServed("login")).isTrue();
            await().untilAsserted(() -> assertThat(plan.currentIncident().orElseThrow().done())
                    .extracting(StepSnapshot::procedure).contains("isolate-service", "activate-replica-tier"));
            plan.close();
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
