package io.qudag.resilience.failover.plan;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static io.qudag.resilience.core.FailoverTier.REGIONAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.IncidentStatus;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A level-3 incident end to end (spec §4.3): the LOCAL tier of a real group is partitioned, the plan
 * activates the REGIONAL tier once, validates, and closes when the LOCAL endpoints are back.
 */
class FailoverPlanIncidentTest {

    private final PlanClock clock = new PlanClock();
    private final Set<String> healthy = ConcurrentHashMap.newKeySet();
    private EndpointGroup group;
    private FailoverDecisionEngine engine;
    private DisasterRecoveryPlan plan;
    private FailoverPlanSignals signals;

    @AfterEach
    void tearDown() {
        if (signals != null) {
            signals.close();
        }
        if (plan != null) {
            plan.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private void down(String id) {
        healthy.remove(id);
        group.onOutcome(id, CallOutcome.TRANSPORT_ERROR, 1_000_000);
        group.onOutcome(id, CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(group.status(id).state()).isEqualTo(EndpointState.UNAVAILABLE);
    }

    /** Moves the group's time on in 10 s steps until the endpoints take traffic again (bounded). */
    private void recover(String... ids) {
        healthy.addAll(Set.of(ids));
        for (int i = 0; i < 60 && !Set.of(ids).stream().allMatch(id -> group.status(id).state().routable()); i++) {
            clock.advance(Duration.ofSeconds(10));
            engine.evaluate();
        }
        for (String id : ids) {
            assertThat(group.status(id).state().routable()).as(id + " back").isTrue();
        }
    }

    private long count(PlanEvent.Type type, String procedure) {
        return plan.auditTrail().stream().filter(e -> e.type() == type && procedure.equals(e.procedure())).count();
    }

    private boolean localPartitioned() {
        return plan.classifier().failing().stream().anyMatch(s -> s.key().equals("TIER:LOCAL"));
    }

    @Test
    void partitionedTierActivatesTheAlternativeOnceValidatesAndClosesWhenTheTierIsBack() {
        healthy.addAll(Set.of("a", "b", "r1", "r2"));
        group = EndpointGroup.builder("search").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "http://a/mcp"), Endpoint.of("b", LOCAL, "http://b/mcp"))
                .tier(REGIONAL, Endpoint.of("r1", REGIONAL, "http://r1/mcp"), Endpoint.of("r2", REGIONAL, "http://r2/mcp"))
                .healthProbe(e -> CompletableFuture.completedFuture(healthy.contains(e.id())))
                .build();
        engine = FailoverDecisionEngine.builder(group).build();
        DisasterRecoveryPlanConfig config = DisasterRecoveryPlanConfig.builder()
                .procedure(FailoverProcedures.activateTier("activate-regional", engine, LOCAL, REGIONAL)
                        .level(DisasterLevel.REGIONAL_DISASTER).build())
                .procedure(FailoverProcedures.validateTierRecovered("validate-local", group, LOCAL)
                        .level(DisasterLevel.REGIONAL_DISASTER)
                        .retry(RetryPolicy.builder().maxAttempts(100).initialBackoff(Duration.ofSeconds(5))
                                .maxBackoff(Duration.ofSeconds(5)).build())
                        .build())
                .build();
        plan = DisasterRecoveryPlan.builder().name("search").clock(clock).config(config).build();
        List<IncidentSignal> reported = new CopyOnWriteArrayList<>();
        signals = FailoverPlanSignals.watch(engine, s -> {
            reported.add(s);
            plan.signal(s);
        });
        // the start-up report: four endpoints and two tiers known, none failing
        await().atMost(5, TimeUnit.SECONDS).until(() -> reported.size() == 6);
        assertThat(reported).noneMatch(IncidentSignal::failing);

        down("a");
        down("b");
        await().atMost(5, TimeUnit.SECONDS).until(() -> count(PlanEvent.Type.PROCEDURE_SUCCEEDED, "activate-regional") == 1);
        IncidentSnapshot incident = plan.currentIncident().orElseThrow();
        assertThat(incident.level()).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(group.routing().tierLoadPercent()).containsEntry(REGIONAL, 100).containsEntry(LOCAL, 0);

        // the trigger fires again: b comes back, LOCAL is available, b fails again, LOCAL is partitioned again
        recover("b");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !localPartitioned());
        down("b");
        await().atMost(5, TimeUnit.SECONDS).until(this::localPartitioned);
        plan.tick();
        assertThat(plan.currentIncident().orElseThrow().id()).isEqualTo(incident.id());
        assertThat(count(PlanEvent.Type.PROCEDURE_STARTED, "activate-regional")).isEqualTo(1);
        assertThat(plan.auditTrail()).noneMatch(e -> e.type() == PlanEvent.Type.INCIDENT_CLOSED);

        // LOCAL recovers; the validation step's retries find it back and close the incident
        recover("a", "b");
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            clock.advance(Duration.ofSeconds(5));
            plan.tick();
            return plan.currentIncident().isEmpty();
        });
        assertThat(count(PlanEvent.Type.PROCEDURE_SUCCEEDED, "validate-local")).isEqualTo(1);
        assertThat(count(PlanEvent.Type.PROCEDURE_STARTED, "activate-regional")).isEqualTo(1);
        assertThat(plan.auditTrail()).filteredOn(e -> e.type() == PlanEvent.Type.INCIDENT_CLOSED).singleElement()
                .satisfies(e -> assertThat(e.incidentId()).isEqualTo(incident.id()));
        assertThat(plan.snapshot().lastIncident().status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(plan.snapshot().lastIncident().level()).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::key).isEmpty();
    }
}
