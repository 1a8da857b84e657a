package io.qudag.resilience.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.health.HealthIndicators;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.core.hierarchy.ApprovalDecision;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.core.hierarchy.spi.EscalationApprovalGate;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.event.PlanEvent.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DisasterRecoveryPlanTest {

    private static final Map<String, String> REGIONS = Map.of(
            "eu-1", "eu-west", "eu-2", "eu-west", "eu-3", "eu-west",
            "us-1", "us-east", "us-2", "us-east", "us-3", "us-east");

    private final MutableClock clock = new MutableClock();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<PlanEvent> audited = new CopyOnWriteArrayList<>();
    private final List<PlanEvent> heard = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private DisasterRecoveryPlan plan(DisasterRecoveryPlanConfig config) {
        return plan(config, io.qudag.resilience.core.plan.spi.ApprovalCallback.operator());
    }

    private DisasterRecoveryPlan plan(DisasterRecoveryPlanConfig config,
            io.qudag.resilience.core.plan.spi.ApprovalCallback approvals) {
        DisasterRecoveryPlan p = DisasterRecoveryPlan.builder().name("drp").config(config).clock(clock).executor(executor)
                .auditSink(audited::add).listener(heard::add).approvalCallback(approvals).meterRegistry(registry).build();
        closeables.add(p);
        return p;
    }

    private BreakerHierarchy hierarchy() {
        return BreakerHierarchy.builder().clock(clock).pathResolver(PathResolver.standard(REGIONS, "default"))
                .approvalGate(EscalationApprovalGate.holdAndReport()).build();
    }

    private static ToolCall call(String endpoint, String service) {
        return ToolCall.builder("search").endpointId(endpoint).serviceId(service).build();
    }

    private static void fail(BreakerHierarchy h, ToolCall call, int n) {
        for (int i = 0; i < n; i++) {
            h.acquirePermission(call);
            h.onOutcome(call, CallOutcome.SERVER_ERROR, 1_000_000, null);
        }
    }

    private static BreakerPath servicePath(String endpoint, String service) {
        return BreakerPath.parse("global/region:" + REGIONS.get(endpoint) + "/infra:" + endpoint + "/service:" + service);
    }

    private HealthMonitor sickMonitor(String subject, DisasterRecoveryPlan plan) {
        HealthMonitor m = HealthMonitor.builder(subject, HealthIndicators.primary()).clock(clock)
                .listener(PlanSignals.healthListener(plan::signal)).build();
        for (int i = 0; i < 20; i++) {
            m.record("response_time", 5_000);
            m.record("error_rate", 1.0);
            m.record("connection_success_rate", 0.0);
        }
        return m;
    }

    private static void heal(HealthMonitor m, MutableClock clock) {
        clock.advance(Duration.ofMinutes(3)); // every window (at most 120 s) forgets the bad samples
        for (int i = 0; i < 20; i++) {
            m.record("response_time", 50);
            m.record("error_rate", 0.0);
            m.record("connection_success_rate", 1.0);
        }
    }

    private DisasterLevel level(DisasterRecoveryPlan plan) {
        return plan.currentIncident().map(IncidentSnapshot::level).orElse(null);
    }

    private List<Type> types(List<PlanEvent> events) {
        return events.stream().map(PlanEvent::type).toList();
    }

    private static RecoveryProcedures.Builder counting(String name, AtomicInteger runs, List<Thread> threads) {
        return RecoveryProcedures.builder(name).timeout(Duration.ofMinutes(1)).action(ctx -> {
            runs.incrementAndGet();
            threads.add(Thread.currentThread());
        });
    }

    @Test
    void classificationFromRealBreakersAndHealthReachesLevelsOneToFour() {
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder().build());
        BreakerHierarchy h = hierarchy();
        List<BreakerPath> watched = new ArrayList<>();
        for (String e : REGIONS.keySet()) {
            watched.add(servicePath(e, "svc-" + e));
        }
        PlanSignals.watch(h, plan::signal, watched.toArray(BreakerPath[]::new));

        sickMonitor("eu-1", plan).score(); // health actions fire: grade CRITICAL
        assertThat(level(plan)).as("a critical endpoint is a component failure").isEqualTo(DisasterLevel.COMPONENT_FAILURE);

        fail(h, call("eu-1", "svc-eu-1"), 20);
        assertThat(h.node(servicePath("eu-1", "svc-eu-1")).state()).isEqualTo(BreakerState.OPEN);
        assertThat(level(plan)).as("a SERVICE breaker open").isEqualTo(DisasterLevel.SERVICE_DISRUPTION);

        fail(h, call("eu-2", "svc-eu-2"), 20);
        fail(h, call("eu-3", "svc-eu-3"), 20);
        assertThat(h.node(BreakerPath.parse("global/region:eu-west")).state()).isEqualTo(BreakerState.OPEN);
        assertThat(level(plan)).as("the hierarchy escalated to the REGIONAL breaker").isEqualTo(DisasterLevel.REGIONAL_DISASTER);

        for (String e : List.of("us-1", "us-2", "us-3")) {
            fail(h, call(e, "svc-" + e), 20);
        }
        assertThat(level(plan)).as("two regions out").isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);

        List<PlanEvent> escalations = plan.auditTrail().stream().filter(e -> e.type() == Type.LEVEL_ESCALATED).toList();
        assertThat(escalations).extracting(PlanEvent::level).containsExactly(DisasterLevel.SERVICE_DISRUPTION,
                DisasterLevel.REGIONAL_DISASTER, DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(escalations.get(2).detail()).contains("2 regions out");
        assertThat(plan.continuity().mode()).isEqualTo(OperatingMode.EMERGENCY);
        assertThat(registry.get("qudag.resilience.plan.level").tag("plan", "drp").gauge().value()).isEqualTo(4.0);
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.INCIDENT_OPENED)).hasSize(1);
    }

    @Test
    void everyTierOutIsAGlobalCatastrophe() {
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder().build());
        plan.signal(IncidentSignal.tierAvailable(io.qudag.resilience.core.FailoverTier.LOCAL));
        plan.signal(IncidentSignal.tierPartitioned(io.qudag.resilience.core.FailoverTier.REGIONAL));
        assertThat(level(plan)).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        plan.signal(IncidentSignal.tierPartitioned(io.qudag.resilience.core.FailoverTier.LOCAL));
        assertThat(level(plan)).isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        plan.signal(IncidentSignal.tierAvailable(io.qudag.resilience.core.FailoverTier.LOCAL));
        plan.signal(IncidentSignal.tierAvailable(io.qudag.resilience.core.FailoverTier.REGIONAL));
        assertThat(plan.currentIncident()).as("no procedures: closes when nothing fails any more").isEmpty();
        assertThat(plan.snapshot().lastIncident().status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(plan.continuity().mode()).isEqualTo(OperatingMode.FULL);
    }

    @Test
    void phaseOverrunningItsTimeBoxEscalatesAndIsAudited() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger levelTwoRuns = new AtomicInteger();
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.builder("slow-assessment").level(DisasterLevel.COMPONENT_FAILURE)
                        .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofHours(1))
                        .action(ctx -> release.await()).build())
                .procedure(counting("notify", levelTwoRuns, new CopyOnWriteArrayList<>())
                        .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.IMMEDIATE_RESPONSE).build())
                .build());
        try {
            plan.signal(IncidentSignal.endpointDown("eu-1", null, null));
            await().until(() -> heard.stream().anyMatch(e -> e.type() == Type.PROCEDURE_STARTED));

            clock.advance(Duration.ofMinutes(14));
            plan.tick();
            assertThat(level(plan)).isEqualTo(DisasterLevel.COMPONENT_FAILURE);
            assertThat(types(plan.auditTrail())).doesNotContain(Type.TIME_BOX_OVERRUN);

            clock.advance(Duration.ofMinutes(1));
            plan.tick();
            assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.LEVEL_ESCALATED))
                    .singleElement().satisfies(e -> assertThat(e.level()).isEqualTo(DisasterLevel.SERVICE_DISRUPTION));
            List<Type> trail = types(plan.auditTrail());
            assertThat(trail).containsSubsequence(Type.INCIDENT_OPENED, Type.PHASE_ENTERED, Type.PROCEDURE_STARTED,
                    Type.TIME_BOX_OVERRUN, Type.LEVEL_ESCALATED, Type.PHASE_ENTERED);
            PlanEvent overrun = plan.auditTrail().stream().filter(e -> e.type() == Type.TIME_BOX_OVERRUN).findFirst().orElseThrow();
            assertThat(overrun.detail()).contains("IMMEDIATE_RESPONSE", "PT15M");
            assertThat(overrun.duration()).isEqualTo(Duration.ofMinutes(15));
            await().untilAsserted(() -> assertThat(types(audited)).contains(Type.TIME_BOX_OVERRUN, Type.LEVEL_ESCALATED));
            await().until(() -> plan.snapshot().lastIncident() != null);
            assertThat(levelTwoRuns).as("level 2's own procedure ran, then the incident closed").hasValue(1);
            IncidentSnapshot snap = plan.snapshot().lastIncident();
            assertThat(snap.level()).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
            assertThat(snap.phases()).first().satisfies(p -> {
                assertThat(p.level()).isEqualTo(DisasterLevel.COMPONENT_FAILURE);
                assertThat(p.overran()).isTrue();
                assertThat(p.duration(clock.instant())).isEqualTo(Duration.ofMinutes(15));
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void levelTwoIncidentIsolatesActivatesValidatesAndClosesRunningEachProcedureOnce() {
        BreakerHierarchy h = hierarchy();
        HealthMonitor monitor = HealthMonitor.builder("eu-1", HealthIndicators.primary()).clock(clock).build();
        for (int i = 0; i < 20; i++) {
            monitor.record("error_rate", 1.0);
        }
        AtomicInteger isolations = new AtomicInteger();
        AtomicInteger activations = new AtomicInteger();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        BreakerPath infra = BreakerPath.parse("global/region:eu-west/infra:eu-1");
        java.util.function.Function<RecoveryContext, Collection<BreakerPath>> endpointsOfFailingServices = ctx -> {
            isolations.incrementAndGet();
            return RecoveryProcedures.failingBreakers().apply(ctx).stream()
                    .filter(p -> p.level() == BreakerLevel.SERVICE)
                    .map(p -> BreakerPath.global().child(BreakerLevel.REGIONAL, p.idAt(BreakerLevel.REGIONAL))
                            .child(BreakerLevel.INFRASTRUCTURE, p.idAt(BreakerLevel.INFRASTRUCTURE)))
                    .distinct().toList();
        };
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.isolate("isolate", h, endpointsOfFailingServices, Duration.ofMinutes(30))
                        .level(DisasterLevel.SERVICE_DISRUPTION).timeout(Duration.ofSeconds(30)).build())
                .procedure(counting("activate-replica-tier", activations, threads)
                        .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.SHORT_TERM).build())
                .procedure(RecoveryProcedures.validateHealth("validate", HealthGrade.GOOD, monitor)
                        .level(DisasterLevel.SERVICE_DISRUPTION).timeout(Duration.ofSeconds(30))
                        .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofSeconds(10)).jitter(0).build())
                        .build())
                .build());
        BreakerPath service = servicePath("eu-1", "search-mcp");
        PlanSignals.watch(h, plan::signal, service);

        fail(h, call("eu-1", "search-mcp"), 20);

        assertThat(level(plan)).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(plan.continuity().mode()).isEqualTo(OperatingMode.REDUCED);
        await().untilAsserted(() -> assertThat(plan.currentIncident().orElseThrow().done())
                .extracting(StepSnapshot::procedure).containsExactly("isolate", "activate-replica-tier"));
        assertThat(h.node(infra).state()).as("isolated").isEqualTo(BreakerState.OPEN);
        assertThat(threads).doesNotContain(Thread.currentThread());

        // the trigger fires again: nothing runs twice, the level does not move
        plan.signal(IncidentSignal.breakerOpened(service, "again"));
        plan.signal(IncidentSignal.breakerOpened(service, "and again"));
        await().untilAsserted(() -> assertThat(plan.currentIncident().orElseThrow().pending())
                .singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.WAITING_RETRY)));
        assertThat(level(plan)).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);

        heal(monitor, clock);
        plan.tick();
        await().until(() -> plan.currentIncident().isEmpty());

        assertThat(activations).hasValue(1);
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.PROCEDURE_STARTED && "isolate".equals(e.procedure())))
                .hasSize(1);
        IncidentSnapshot closed = plan.snapshot().lastIncident();
        assertThat(closed.status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(closed.done()).extracting(StepSnapshot::procedure, StepSnapshot::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("isolate", StepStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("activate-replica-tier", StepStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("validate", StepStatus.SUCCEEDED));
        assertThat(closed.done().get(2).attempts()).isEqualTo(2);
        assertThat(closed.phases()).extracting(PhaseSnapshot::phase).containsExactly(RecoveryPhase.IMMEDIATE_RESPONSE,
                RecoveryPhase.SHORT_TERM, RecoveryPhase.MEDIUM_TERM);
        assertThat(closed.phases()).allSatisfy(p -> assertThat(p.overran()).isFalse());
        assertThat(plan.continuity().mode()).isEqualTo(OperatingMode.FULL);
        assertThat(registry.get("qudag.resilience.plan.level").gauge().value()).isZero();
        assertThat(registry.get("qudag.resilience.plan.phase").gauge().value()).isZero();
        await().untilAsserted(() -> assertThat(audited).extracting(PlanEvent::sequence)
                .isEqualTo(plan.auditTrail().stream().map(PlanEvent::sequence).toList()));
        assertThat(types(audited)).containsSubsequence(Type.INCIDENT_OPENED, Type.MODE_CHANGED,
                Type.PROCEDURE_STARTED, Type.PROCEDURE_SUCCEEDED, Type.PHASE_COMPLETED,
                Type.PROCEDURE_STARTED, Type.PROCEDURE_SUCCEEDED, Type.PHASE_COMPLETED,
                Type.PROCEDURE_STARTED, Type.PROCEDURE_FAILED, Type.PROCEDURE_RETRY_SCHEDULED,
                Type.PROCEDURE_STARTED, Type.PROCEDURE_SUCCEEDED, Type.PHASE_COMPLETED, Type.INCIDENT_CLOSED, Type.MODE_CHANGED);
        assertThat(heard).isEqualTo(audited);
    }

    @Test
    void failingProcedureIsRetriedPerItsPolicyThenEscalates() {
        AtomicInteger attempts = new AtomicInteger();
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.builder("restart-endpoint").level(DisasterLevel.COMPONENT_FAILURE)
                        .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofMinutes(1))
                        .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(10)).multiplier(2).maxBackoff(Duration.ofMinutes(1))
                                .jitter(0).build())
                        .action(ctx -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("endpoint refuses to restart");
                        }).build())
                .build());
        plan.signal(IncidentSignal.endpointUp("eu-2", "search", "eu-west"));
        plan.signal(IncidentSignal.endpointDown("eu-1", "search", "eu-west"));
        assertThat(level(plan)).as("one of two endpoints").isEqualTo(DisasterLevel.COMPONENT_FAILURE);
        await().untilAsserted(() -> assertThat(types(plan.auditTrail())).contains(Type.PROCEDURE_RETRY_SCHEDULED));
        assertThat(attempts).hasValue(1);

        clock.advance(Duration.ofSeconds(9));
        plan.tick();
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.PROCEDURE_STARTED)).as("backoff not over").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        plan.tick();
        await().untilAsserted(() -> assertThat(plan.auditTrail().stream()
                .filter(e -> e.type() == Type.PROCEDURE_RETRY_SCHEDULED)).hasSize(2));
        clock.advance(Duration.ofSeconds(19));
        plan.tick();
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.PROCEDURE_STARTED)).as("second backoff is 20 s")
                .hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        plan.tick();

        await().untilAsserted(() -> assertThat(level(plan)).isEqualTo(DisasterLevel.SERVICE_DISRUPTION));
        assertThat(attempts).hasValue(3);
        List<PlanEvent> failures = plan.auditTrail().stream().filter(e -> e.type() == Type.PROCEDURE_FAILED).toList();
        assertThat(failures).extracting(PlanEvent::attempt).containsExactly(1, 2, 3);
        assertThat(failures.get(0).detail()).isEqualTo("IllegalStateException: endpoint refuses to restart");
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.LEVEL_ESCALATED).findFirst().orElseThrow().detail())
                .contains("restart-endpoint failed after 3 attempt(s)");
    }

    @Test
    void attemptRunningPastItsTimeoutFailsAndIsInterrupted() {
        AtomicInteger interrupted = new AtomicInteger();
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.builder("hang").level(DisasterLevel.COMPONENT_FAILURE)
                        .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofSeconds(30))
                        .action(ctx -> {
                            try {
                                new CountDownLatch(1).await();
                            } catch (InterruptedException e) {
                                interrupted.incrementAndGet();
                                throw e;
                            }
                        }).build())
                .build());
        plan.declareIncident(DisasterLevel.COMPONENT_FAILURE, "drill");
        await().until(() -> types(plan.auditTrail()).contains(Type.PROCEDURE_STARTED));
        clock.advance(Duration.ofSeconds(30));
        plan.tick();
        assertThat(level(plan)).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(plan.auditTrail().stream().filter(e -> e.type() == Type.PROCEDURE_FAILED).findFirst().orElseThrow().detail())
                .isEqualTo("timed out after PT30S");
        await().untilAsserted(() -> assertThat(interrupted).hasValue(1));
    }

    @Test
    void manualStepWaitsForApprovalAndTimesOutToEscalation() {
        AtomicInteger runs = new AtomicInteger();
        List<ApprovalRequest> requests = new CopyOnWriteArrayList<>();
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder().approvalTimeout(Duration.ofMinutes(10))
                .procedure(counting("fail-over-region", runs, new CopyOnWriteArrayList<>()).manual(true)
                        .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.IMMEDIATE_RESPONSE).build())
                .build(), request -> {
                    requests.add(request);
                    return new CompletableFuture<>();
                });
        plan.declareIncident(DisasterLevel.SERVICE_DISRUPTION, "drill");
        await().untilAsserted(() -> assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.procedure()).isEqualTo("fail-over-region");
            assertThat(r.deadline()).isEqualTo(r.requestedAt().plus(Duration.ofMinutes(10)));
        }));
        assertThat(plan.currentIncident().orElseThrow().pending()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.AWAITING_APPROVAL));

        clock.advance(Duration.ofMinutes(9));
        plan.tick();
        assertThat(level(plan)).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        clock.advance(Duration.ofMinutes(1));
        plan.tick();

        assertThat(level(plan)).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(types(plan.auditTrail())).containsSubsequence(Type.APPROVAL_REQUESTED, Type.APPROVAL_TIMED_OUT,
                Type.LEVEL_ESCALATED);
        assertThat(plan.approve("fail-over-region", "late operator")).as("too late").isFalse();
        assertThat(runs).hasValue(0);
    }

    @Test
    void approvedManualStepRunsAndDeniedOneEscalates() {
        AtomicInteger runs = new AtomicInteger();
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder()
                .procedure(counting("restore-snapshot", runs, new CopyOnWriteArrayList<>()).manual(true)
                        .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.SHORT_TERM).build())
                .procedure(counting("rebuild-region", new AtomicInteger(), new CopyOnWriteArrayList<>()).manual(true)
                        .level(DisasterLevel.REGIONAL_DISASTER).phase(RecoveryPhase.LONG_TERM).build())
                .build(), request -> CompletableFuture.completedFuture(
                        request.procedure().equals("restore-snapshot") ? ApprovalDecision.APPROVED : ApprovalDecision.HOLD));
        plan.declareIncident(DisasterLevel.SERVICE_DISRUPTION, "drill");
        await().until(() -> plan.snapshot().lastIncident() != null);
        assertThat(runs).hasValue(1);
        assertThat(types(plan.auditTrail())).containsSubsequence(Type.APPROVAL_REQUESTED, Type.APPROVAL_GRANTED,
                Type.PROCEDURE_STARTED, Type.PROCEDURE_SUCCEEDED, Type.INCIDENT_CLOSED);

        plan.declareIncident(DisasterLevel.REGIONAL_DISASTER, "drill 2");
        await().until(() -> types(plan.auditTrail()).stream().filter(t -> t == Type.APPROVAL_REQUESTED).count() == 2);
        assertThat(plan.deny("rebuild-region", "cto")).isTrue();
        assertThat(level(plan)).isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(plan.currentIncident().orElseThrow().done()).singleElement()
                .satisfies(s -> assertThat(s.outcome()).isEqualTo("approval denied by cto"));
    }

    @Test
    void atLevelFourAnOperatorIsRequiredAndCanResolve() {
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.builder("broken").level(DisasterLevel.GLOBAL_CATASTROPHE)
                        .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofMinutes(1))
                        .action(ctx -> { throw new IllegalStateException("no"); }).build())
                .build());
        plan.declareIncident(DisasterLevel.GLOBAL_CATASTROPHE, "regulatory shutdown");
        await().until(() -> types(plan.auditTrail()).contains(Type.OPERATOR_REQUIRED));
        assertThat(level(plan)).isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(plan.resolveIncident("regulator lifted the order")).isTrue();
        assertThat(plan.currentIncident()).isEmpty();
        assertThat(plan.resolveIncident("again")).isFalse();
        assertThat(plan.snapshot().lastIncident().reasons()).last().isEqualTo("resolved: regulator lifted the order");
    }

    @Test
    void aDeclaredIncidentWithoutProceduresStaysOpenUntilResolved() {
        DisasterRecoveryPlan plan = plan(DisasterRecoveryPlanConfig.builder().build());
        plan.declareIncident(DisasterLevel.REGIONAL_DISASTER, "flood in the data centre");
        plan.signal(IncidentSignal.endpointUp("eu-1", "search", "eu-west"));
        assertThat(level(plan)).as("no signal shows a flood, so none may close it").isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(plan.continuity().mode()).isEqualTo(OperatingMode.REDUCED);
        plan.continuity().setOperatorMode(OperatingMode.EMERGENCY);
        assertThat(plan.auditTrail()).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Type.MODE_CHANGED);
            assertThat(e.detail()).isEqualTo("REDUCED -> EMERGENCY (operator set EMERGENCY)");
        });
        assertThat(plan.resolveIncident("water gone")).isTrue();
        assertThat(plan.continuity().mode()).as("the operator's mode outlives the incident").isEqualTo(OperatingMode.EMERGENCY);
    }

    @Test
    void aListenerOrSinkThatThrowsDoesNotStopThePlan() {
        DisasterRecoveryPlan plan = DisasterRecoveryPlan.builder().config(DisasterRecoveryPlanConfig.builder().build())
                .clock(clock).executor(executor).auditSink(e -> { throw new IllegalStateException("disk full"); })
                .listener(e -> { throw new IllegalStateException("bug"); }).build();
        closeables.add(plan);
        plan.signal(IncidentSignal.endpointDown("a", null, null));
        assertThat(plan.currentIncident()).map(IncidentSnapshot::level).contains(DisasterLevel.COMPONENT_FAILURE);
        plan.signal(IncidentSignal.endpointUp("a", null, null));
        assertThat(plan.currentIncident()).isEqualTo(Optional.empty());
    }
}
