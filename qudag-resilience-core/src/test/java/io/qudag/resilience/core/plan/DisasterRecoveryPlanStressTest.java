package io.qudag.resilience.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.event.PlanEvent.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads signal, tick and change the mode at once while procedures run on a real pool. */
class DisasterRecoveryPlanStressTest {

    private final ExecutorService procedures = Executors.newFixedThreadPool(4);
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        procedures.shutdownNow();
        assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(procedures.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void concurrentSignalsKeepOneIncidentAndRunEachProcedureOncePerIncident() throws Exception {
        MutableClock clock = new MutableClock();
        Map<String, AtomicInteger> runsPerIncidentAndProcedure = new ConcurrentHashMap<>();
        DisasterRecoveryPlanConfig.Builder config = DisasterRecoveryPlanConfig.builder();
        for (DisasterLevel level : DisasterLevel.values()) {
            for (RecoveryPhase phase : List.of(RecoveryPhase.IMMEDIATE_RESPONSE, RecoveryPhase.SHORT_TERM)) {
                String name = "p-" + level.number() + "-" + phase.ordinal();
                config.procedure(RecoveryProcedures.builder(name).level(level).phase(phase)
                        .timeout(Duration.ofMinutes(1))
                        .action(ctx -> runsPerIncidentAndProcedure
                                .computeIfAbsent(ctx.incidentId() + "/" + name, k -> new AtomicInteger()).incrementAndGet())
                        .build());
            }
        }
        List<PlanEvent> heard = new CopyOnWriteArrayList<>();
        DisasterRecoveryPlan plan = DisasterRecoveryPlan.builder().config(config.build()).clock(clock)
                .executor(procedures).listener(heard::add).build();
        List<IncidentSignal> signals = List.of(
                IncidentSignal.endpointDown("a", "s", "eu"), IncidentSignal.endpointUp("a", "s", "eu"),
                IncidentSignal.endpointDown("b", "s", "eu"), IncidentSignal.endpointUp("b", "s", "eu"),
                IncidentSignal.breakerOpened(BreakerPath.parse("global/region:us"), null),
                IncidentSignal.breakerClosed(BreakerPath.parse("global/region:us")),
                IncidentSignal.journalCorrupted("j", null), IncidentSignal.journalRepaired("j"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            futures.add(callers.submit(() -> {
                start.await();
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < 200; i++) {
                    switch (id % 4) {
                        case 0 -> plan.tick();
                        case 1 -> {
                            if (i % 50 == 0) {
                                plan.continuity().setOperatorMode(OperatingMode.REDUCED);
                                plan.continuity().clearOperatorMode();
                            } else {
                                plan.signal(signals.get(r.nextInt(signals.size())));
                            }
                        }
                        default -> plan.signal(signals.get(r.nextInt(signals.size())));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (IncidentSignal s : signals) {
            if (!s.failing()) {
                plan.signal(s);
            }
        }
        await().untilAsserted(() -> {
            plan.tick();
            assertThat(plan.currentIncident().map(i -> i.pending().isEmpty()).orElse(true)).isTrue();
        });

        DisasterRecoveryPlanProperties.check(plan);
        assertThat(runsPerIncidentAndProcedure.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        long opened = plan.auditTrail().stream().filter(e -> e.type() == Type.INCIDENT_OPENED).count();
        assertThat(opened).as("the random signals opened incidents").isPositive();
        assertThat(plan.auditTrail().get(0).sequence()).as("the whole trail is kept (below its capacity)").isEqualTo(1);
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.MODE_CHANGED && e.detail().contains("operator")))
                .as("operator mode changes are events too").isNotEmpty();
        await().untilAsserted(() -> assertThat(heard).hasSize(plan.auditTrail().size()));
        assertThat(heard).extracting(PlanEvent::sequence).isSorted();
        plan.close();
    }
}
