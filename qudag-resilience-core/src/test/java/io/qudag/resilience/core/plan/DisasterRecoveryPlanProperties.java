package io.qudag.resilience.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.event.PlanEvent.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The plan as a state machine: random interleavings of signals, clock moves, ticks, procedure runs,
 * approvals and declarations never break its invariants.
 */
class DisasterRecoveryPlanProperties {

    enum Kind { SIGNAL, ADVANCE, TICK, RUN, APPROVE, DENY, DECLARE, FLIP }

    record Action(Kind kind, int arg) {
    }

    private static final List<IncidentSignal> SIGNALS = List.of(
            IncidentSignal.endpointDown("a", "s", "eu"), IncidentSignal.endpointUp("a", "s", "eu"),
            IncidentSignal.endpointDown("b", "s", "eu"), IncidentSignal.endpointUp("b", "s", "eu"),
            IncidentSignal.breakerOpened(BreakerPath.parse("global/region:us/service:t"), null),
            IncidentSignal.breakerClosed(BreakerPath.parse("global/region:us/service:t")),
            IncidentSignal.tierPartitioned(FailoverTier.REGIONAL), IncidentSignal.tierAvailable(FailoverTier.REGIONAL),
            IncidentSignal.journalCorrupted("j", null), IncidentSignal.journalRepaired("j"));

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between(0, SIGNALS.size() - 1).map(i -> new Action(Kind.SIGNAL, i))),
                Tuple.of(15, Arbitraries.integers().between(1, 120).map(m -> new Action(Kind.ADVANCE, m))),
                Tuple.of(15, Arbitraries.just(new Action(Kind.TICK, 0))),
                Tuple.of(25, Arbitraries.just(new Action(Kind.RUN, 0))),
                Tuple.of(4, Arbitraries.just(new Action(Kind.APPROVE, 0))),
                Tuple.of(2, Arbitraries.just(new Action(Kind.DENY, 0))),
                Tuple.of(2, Arbitraries.integers().between(1, 4).map(l -> new Action(Kind.DECLARE, l))),
                Tuple.of(7, Arbitraries.just(new Action(Kind.FLIP, 0))));
        return action.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 100)
    void invariantsHold(@ForAll("actions") List<Action> actions) {
        MutableClock clock = new MutableClock();
        ArrayDeque<Runnable> queue = new ArrayDeque<>();
        Executor queued = queue::add;
        AtomicBoolean failing = new AtomicBoolean();
        DisasterRecoveryPlanConfig.Builder config = DisasterRecoveryPlanConfig.builder();
        for (DisasterLevel level : DisasterLevel.values()) {
            config.procedure(RecoveryProcedures.builder("auto-" + level.number()).level(level)
                    .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofMinutes(5))
                    .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMinutes(1)).maxBackoff(Duration.ofMinutes(1)).jitter(0).build())
                    .action(ctx -> {
                        if (failing.get()) {
                            throw new IllegalStateException("failing");
                        }
                    }).build());
        }
        config.procedure(RecoveryProcedures.builder("manual-2").level(DisasterLevel.SERVICE_DISRUPTION)
                .phase(RecoveryPhase.SHORT_TERM).timeout(Duration.ofMinutes(5)).manual(true).action(ctx -> { }).build());
        DisasterRecoveryPlan plan = DisasterRecoveryPlan.builder().config(config.build()).clock(clock).executor(queued).build();
        try {
            for (Action a : actions) {
                switch (a.kind()) {
                    case SIGNAL -> plan.signal(SIGNALS.get(a.arg()));
                    case ADVANCE -> clock.advance(Duration.ofMinutes(a.arg()));
                    case TICK -> plan.tick();
                    case RUN -> {
                        Runnable r;
                        while ((r = queue.poll()) != null) {
                            r.run();
                        }
                    }
                    case APPROVE -> plan.approve("manual-2", "op");
                    case DENY -> plan.deny("manual-2", "op");
                    case DECLARE -> plan.declareIncident(DisasterLevel.of(a.arg()), "drill");
                    case FLIP -> failing.set(!failing.get());
                    default -> throw new IllegalStateException();
                }
                check(plan);
            }
        } finally {
            plan.close();
        }
    }

    static void check(DisasterRecoveryPlan plan) {
        List<PlanEvent> trail = plan.auditTrail();
        long expected = 1;
        boolean open = false;
        Map<String, DisasterLevel> levels = new HashMap<>();
        Map<String, Integer> starts = new HashMap<>();
        Set<String> succeeded = new HashSet<>();
        String currentId = null;
        for (PlanEvent e : trail) {
            assertThat(e.sequence()).isEqualTo(expected++);
            switch (e.type()) {
                case INCIDENT_OPENED -> {
                    assertThat(open).as("one incident at a time").isFalse();
                    open = true;
                    currentId = e.incidentId();
                    levels.put(e.incidentId(), e.level());
                }
                case INCIDENT_CLOSED -> {
                    assertThat(open).isTrue();
                    assertThat(e.incidentId()).isEqualTo(currentId);
                    open = false;
                }
                case LEVEL_ESCALATED -> {
                    assertThat(e.level()).as("escalation raises the level").isGreaterThan(levels.get(e.incidentId()));
                    levels.put(e.incidentId(), e.level());
                }
                case PROCEDURE_STARTED -> {
                    String key = e.incidentId() + "/" + e.procedure();
                    assertThat(succeeded).as("never again after success: " + key).doesNotContain(key);
                    int n = starts.merge(key, 1, Integer::sum);
                    assertThat(n).as("attempts of " + key).isLessThanOrEqualTo(2);
                    assertThat(e.attempt()).isEqualTo(n);
                }
                case PROCEDURE_SUCCEEDED -> succeeded.add(e.incidentId() + "/" + e.procedure());
                default -> {
                    // other events carry no invariant of their own here
                }
            }
        }
        PlanSnapshot snap = plan.snapshot();
        assertThat(snap.incident() != null).isEqualTo(open);
        if (open) {
            assertThat(snap.incident().level()).isEqualTo(levels.get(currentId));
            assertThat(snap.incident().id()).isEqualTo(currentId);
            assertThat(snap.incident().pending()).noneMatch(s -> s.status().isTerminal());
        }
        OperatingMode expectedMode = !open ? OperatingMode.FULL : switch (levels.get(currentId)) {
            case COMPONENT_FAILURE -> OperatingMode.FULL;
            case SERVICE_DISRUPTION, REGIONAL_DISASTER -> OperatingMode.REDUCED;
            case GLOBAL_CATASTROPHE -> OperatingMode.EMERGENCY;
        };
        assertThat(snap.mode()).isEqualTo(expectedMode);
        List<Type> types = new ArrayList<>(trail.stream().map(PlanEvent::type).toList());
        assertThat(types.isEmpty() || types.get(0) == Type.INCIDENT_OPENED || types.get(0) == Type.MODE_CHANGED).isTrue();
    }
}
