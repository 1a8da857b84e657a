package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.RecoveryProcedures;
import io.qudag.resilience.core.plan.StepStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A real disaster-recovery plan driven into a level-2 incident: both endpoints of service "search"
 * go down while another service of the region stays up, the immediate-response isolation succeeds, and the short-term manual step waits for
 * approval.
 */
final class Level2Incident {

    static final String ISOLATE = "isolate-search";
    static final String ACTIVATE = "activate-replica-tier";

    private Level2Incident() {
    }

    static DisasterRecoveryPlan drive(Clock clock, Executor executor) {
        DisasterRecoveryPlanConfig config = DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.builder(ISOLATE).level(DisasterLevel.SERVICE_DISRUPTION)
                        .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofSeconds(10))
                        .action(ctx -> { }).build())
                .procedure(RecoveryProcedures.builder(ACTIVATE).level(DisasterLevel.SERVICE_DISRUPTION)
                        .phase(RecoveryPhase.SHORT_TERM).timeout(Duration.ofMinutes(1)).manual(true)
                        .action(ctx -> { }).build())
                .build();
        DisasterRecoveryPlan plan = DisasterRecoveryPlan.builder().name("search-dr").config(config).clock(clock)
                .executor(executor).build();
        plan.signal(IncidentSignal.endpointUp("eu-2", "search", "eu-west"));
        plan.signal(IncidentSignal.endpointUp("eu-3", "index", "eu-west")); // the region is not out
        plan.signal(IncidentSignal.endpointDown("eu-1", "search", "eu-west"));
        assertThat(plan.currentIncident()).get().extracting(i -> i.level()).isEqualTo(DisasterLevel.COMPONENT_FAILURE);
        plan.signal(IncidentSignal.endpointDown("eu-2", "search", "eu-west"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(plan.currentIncident()).get()
                .satisfies(i -> {
                    assertThat(i.level()).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
                    assertThat(i.phase()).isEqualTo(RecoveryPhase.SHORT_TERM);
                    assertThat(i.pending()).extracting(s -> s.status()).containsExactly(StepStatus.AWAITING_APPROVAL);
                }));
        return plan;
    }
}
