package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.DISASTER_RECOVERY;
import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.spi.FailoverCoordinator;
import io.qudag.resilience.failover.event.DecisionEvent;
import io.qudag.resilience.failover.event.DecisionSuppressedEvent;
import io.qudag.resilience.failover.event.FailoverConfirmedEvent;
import io.qudag.resilience.failover.event.FailoverEvent;
import io.qudag.resilience.failover.event.SessionReplicationEvent;
import io.qudag.resilience.failover.spi.SessionState;
import io.qudag.resilience.failover.spi.SessionStateReplicator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision engine's triggers, rollback, audit, metrics and coordination (spec §1.2). */
class FailoverDecisionEngineTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
    private FailoverDecisionEngine engine;

    private EndpointGroup group(Endpoint primary) {
        return EndpointGroup.builder("search").clock(clock).meterRegistry(registry)
                .tier(LOCAL, primary, Endpoint.of("replica", LOCAL, "http://replica/mcp"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "http://dr/mcp"))
                .build();
    }

    private EndpointGroup group() {
        return group(Endpoint.of("primary", LOCAL, "http://primary/mcp"));
    }

    private FailoverDecisionEngine.Builder engine(EndpointGroup g) {
        return FailoverDecisionEngine.builder(g).meterRegistry(registry).listener(events::add)
                .auditFile(dir.resolve("audit/failover.jsonl"));
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private List<FailoverDecision> decisions() {
        return events.stream().filter(e -> e instanceof DecisionEvent).map(e -> ((DecisionEvent) e).decision())
                .toList();
    }

    private void second(int s) {
        clock.advance(Duration.ofSeconds(s));
        engine.evaluate();
    }

    /** Calls spread by the group; the primary fails every {@code failEvery}-th of its calls. */
    private static void traffic(EndpointGroup g, int calls, int failEvery) {
        int[] n = {0};
        Traffic.run(g, calls, id -> id.equals("primary") && failEvery > 0 && ++n[0] % failEvery == 0
                ? Traffic.Behaviour.fail(CallOutcome.SERVER_ERROR) : Traffic.Behaviour.ok(10));
    }

    // ------------------------------------------------------------------ immediate

    @Test
    void serverUnreachableRedirectsInstantlyAndIsAuditedTimedAndConfirmed() throws Exception {
        EndpointGroup g = group();
        engine = engine(g).build();
        traffic(g, 40, 0);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 15_000_000);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.HEALTHY);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 12_000_000);

        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        FailoverDecision d = decisions().get(0);
        assertThat(d.trigger()).isEqualTo(FailoverTrigger.IMMEDIATE);
        assertThat(d.condition()).isEqualTo(FailoverCondition.SERVER_UNREACHABLE);
        assertThat(d.action()).isEqualTo(FailoverAction.INSTANT_REDIRECTION);
        assertThat(d.sourceEndpointId()).isEqualTo("primary");
        assertThat(d.sourceShareBefore()).isEqualTo(0.5);
        assertThat(d.sourceShareAfter()).isZero();
        // LOCAL keeps 70% (1.4 × 50%) on the replica, 30% spills to DR.
        assertThat(d.targets()).containsExactly(Map.entry("replica", 0.7), Map.entry("dr", 0.3));
        assertThat(d.inputs()).containsEntry("consecutive_transport_errors", 2.0);
        assertThat(d.detectedAt()).isEqualTo(clock.instant());
        assertThat(d.decisionLatency()).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(d.executionLatency()).isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(engine.decisions()).containsExactly(d);

        // Traffic no longer reaches the primary; the first success on a target confirms the failover.
        Map<String, Integer> counts = Traffic.healthy(g, 10, 10);
        assertThat(counts).containsEntry("primary", 0);
        assertThat(events).filteredOn(e -> e instanceof FailoverConfirmedEvent).singleElement()
                .satisfies(e -> assertThat(((FailoverConfirmedEvent) e).decisionId()).isEqualTo(d.id()));

        assertThat(registry.get("qudag.resilience.failover.decision.latency").tag("trigger", "IMMEDIATE")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("qudag.resilience.failover.execution.latency").tag("group", "search")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("qudag.resilience.failover.endpoint.share").tag("endpoint", "replica").gauge()
                .value()).isEqualTo(0.7);

        List<String> lines = Files.readAllLines(dir.resolve("audit/failover.jsonl"));
        ObjectMapper json = new ObjectMapper();
        JsonNode decision = lines.stream().map(l -> readTree(json, l)).filter(n -> n.get("type").asText()
                .equals("decision")).findFirst().orElseThrow();
        assertThat(decision.get("id").asText()).isEqualTo(d.id());
        assertThat(decision.get("condition").asText()).isEqualTo("SERVER_UNREACHABLE");
        assertThat(decision.get("targets").get("replica").asDouble()).isEqualTo(0.7);
        assertThat(decision.get("detectedAt").asText()).isEqualTo(clock.instant().toString());
        assertThat(decision.get("decisionLatencyMs").asDouble()).isZero();
        assertThat(lines).anySatisfy(l -> assertThat(readTree(json, l).get("type").asText()).isEqualTo("confirmed"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"state\"", "\"to\":\"UNAVAILABLE\""));
    }

    private static JsonNode readTree(ObjectMapper m, String line) {
        try {
            return m.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Test
    void authenticationFailureAndCriticalServiceAreImmediate() {
        EndpointGroup g = group();
        engine = engine(g).build();
        FailoverDecision d = engine.reportCondition("replica", FailoverCondition.AUTHENTICATION_FAILURE,
                "401 from token endpoint").orElseThrow();
        assertThat(d.trigger()).isEqualTo(FailoverTrigger.IMMEDIATE);
        assertThat(d.reason()).isEqualTo("401 from token endpoint");
        assertThat(g.status("replica").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(engine.reportCondition("replica", FailoverCondition.CRITICAL_SERVICE_UNAVAILABLE, null))
                .as("already out: no second decision").isEmpty();
        assertThat(engine.reportCondition("primary", FailoverCondition.CRITICAL_SERVICE_UNAVAILABLE, "db down"))
                .isPresent();
        assertThat(g.routing().tierLoadPercent()).containsEntry(DISASTER_RECOVERY, 100);
        assertThatThrownBy(() -> engine.reportCondition("primary", FailoverCondition.ERROR_RATE, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("condition must be of the IMMEDIATE family, was ERROR_RATE");
    }

    // ------------------------------------------------------------------ gradual

    @Test
    void errorRateAboveTenPercentShiftsTrafficInStepsUntilTheEndpointIsOut() {
        EndpointGroup g = group();
        engine = engine(g).build();
        traffic(g, 200, 5); // primary: every 5th call fails = 20%
        engine.evaluate();
        FailoverDecision first = decisions().get(0);
        assertThat(first.trigger()).isEqualTo(FailoverTrigger.GRADUAL);
        assertThat(first.condition()).isEqualTo(FailoverCondition.ERROR_RATE);
        assertThat(first.action()).isEqualTo(FailoverAction.PROGRESSIVE_SHIFT);
        assertThat(first.inputs().get("error_rate")).isCloseTo(0.2, within(1e-9));
        // The composite score of the core HealthMonitor (spec §1.2 indicators) is among the inputs.
        assertThat(first.inputs().get("health_score")).isBetween(0.0, 75.0);
        assertThat(first.inputs().get("connection_success_rate")).isEqualTo(1.0);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.DEGRADED);
        assertThat(g.status("primary").trafficFactor()).isEqualTo(0.75);
        assertThat(first.sourceShareAfter()).isLessThan(first.sourceShareBefore());

        second(1); // within the shift interval: no new step
        assertThat(decisions()).hasSize(1);
        List<Double> factors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            second(5);
            factors.add(g.status("primary").trafficFactor());
        }
        assertThat(factors).containsExactly(0.5, 0.25, 0.0);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(decisions()).hasSize(4).allSatisfy(d -> assertThat(d.condition())
                .isEqualTo(FailoverCondition.ERROR_RATE));
    }

    @Test
    void errorsThatTookAnEndpointOutDoNotShiftItAwayAgainDuringItsRamp() {
        EndpointGroup g = EndpointGroup.builder("search").clock(clock)
                .tier(LOCAL, Endpoint.of("primary", LOCAL, "http://primary/mcp"),
                        Endpoint.of("replica", LOCAL, "http://replica/mcp"))
                .healthProbe(e -> java.util.concurrent.CompletableFuture.completedFuture(true))
                .build();
        engine = engine(g).build();
        traffic(g, 200, 5); // 20% errors on the primary, still inside the 60 s error-rate window below
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);

        engine.evaluate(); // first check
        second(10);
        second(10); // third consecutive successful check, 20 s after the failure
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.RAMPING);
        for (int i = 0; i < 3; i++) {
            second(10);
            assertThat(g.status("primary").state()).as("evaluation %d during the ramp", i).isEqualTo(EndpointState.RAMPING);
        }
        assertThat(g.status("primary").trafficFactor()).isEqualTo(0.2);
        assertThat(decisions()).extracting(FailoverDecision::condition)
                .containsExactly(FailoverCondition.SERVER_UNREACHABLE);
    }

    @Test
    void gradualShiftStopsAndRampsBackWhenTheConditionClears() {
        EndpointGroup g = group();
        engine = engine(g).build();
        traffic(g, 200, 5);
        engine.evaluate();
        assertThat(g.status("primary").trafficFactor()).isEqualTo(0.75);
        for (int i = 0; i < 400; i++) {
            g.onOutcome("primary", CallOutcome.SUCCESS, 10_000_000);
        }
        second(5);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.RAMPING);
        assertThat(g.status("primary").trafficFactor()).isEqualTo(0.75);
    }

    @Test
    void responseTimeFiftyPercentAboveTheEndpointsOwnBaselineIsDegradation() {
        EndpointGroup g = group();
        engine = engine(g).build();
        for (int i = 0; i < 3; i++) { // learn the baseline: ~10 ms
            traffic(g, 60, 0);
            second(1);
        }
        assertThat(decisions()).isEmpty();
        clock.advance(Duration.ofSeconds(31)); // the old samples leave the 30 s window
        Traffic.run(g, 60, id -> Traffic.Behaviour.ok(id.equals("primary") ? 40 : 10));
        engine.evaluate();
        FailoverDecision d = decisions().get(0);
        assertThat(d.condition()).isEqualTo(FailoverCondition.PERFORMANCE_DEGRADATION);
        assertThat(d.sourceEndpointId()).isEqualTo("primary");
        assertThat(d.inputs().get("response_time_baseline_ms")).isCloseTo(10.0, within(0.5));
        assertThat(d.inputs().get("response_time_p95_ms")).isCloseTo(40.0, within(1.0));
        assertThat(d.reason()).contains("above baseline");
    }

    @Test
    void resourceExhaustionFromSecondaryIndicators() {
        EndpointGroup g = group();
        engine = engine(g).build();
        engine.recordResource("replica", "cpu_utilization", 0.80);
        engine.evaluate();
        assertThat(decisions()).isEmpty();
        engine.recordResource("replica", "memory_utilization", 0.95);
        engine.evaluate();
        FailoverDecision d = decisions().get(0);
        assertThat(d.condition()).isEqualTo(FailoverCondition.RESOURCE_EXHAUSTION);
        assertThat(d.sourceEndpointId()).isEqualTo("replica");
        assertThat(d.inputs()).containsEntry("memory_utilization", 0.95).containsEntry("cpu_utilization", 0.8);
        assertThatThrownBy(() -> engine.recordResource("replica", "cpu_utilization", 1.5))
                .hasMessage("cpu_utilization must be a fraction in [0, 1], was 1.5");
    }

    // ------------------------------------------------------------------ predictive

    @Test
    void trendSignalPredictingFailureRedistributesProactively() {
        EndpointGroup g = group();
        FedTrendSignal trend = new FedTrendSignal(clock, Duration.ofMinutes(1));
        engine = engine(g).trendSignal(trend).build();
        trend.feed("primary", 0.5, Duration.ofMinutes(5), "weak");
        trend.feed("replica", 0.9, Duration.ofHours(2), "too far ahead");
        engine.evaluate();
        assertThat(decisions()).isEmpty();
        trend.feed("primary", 0.85, Duration.ofMinutes(3), "p95 rising 8 ms/s");
        engine.evaluate();
        FailoverDecision d = decisions().get(0);
        assertThat(d.trigger()).isEqualTo(FailoverTrigger.PREDICTIVE);
        assertThat(d.condition()).isEqualTo(FailoverCondition.TREND_PREDICTS_FAILURE);
        assertThat(d.action()).isEqualTo(FailoverAction.PROACTIVE_REDISTRIBUTION);
        assertThat(d.inputs()).containsEntry("predicted_failure_probability", 0.85);
        assertThat(d.reason()).contains("p95 rising 8 ms/s");
        assertThat(g.status("primary").trafficFactor()).isEqualTo(0.75);
        // The prediction expires after its ttl: the shift stops and the endpoint ramps back.
        second(61);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.RAMPING);
    }

    @Test
    void approachingMaintenanceWindowDrainsTrafficByTheStartAndReturnsAfterTheEnd() {
        Instant start = clock.instant().plus(Duration.ofMinutes(10));
        EndpointGroup g = group();
        engine = engine(g).config(FailoverEngineConfig.builder()
                .maintenanceWindow(new MaintenanceWindow("primary", start, start.plus(Duration.ofMinutes(10))))
                .build()).build();
        engine.evaluate();
        second(300); // exactly the lead time before the start: factor still 1
        assertThat(decisions()).isEmpty();
        List<Double> factors = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            second(60);
            factors.add(g.status("primary").trafficFactor());
        }
        assertThat(factors).containsExactly(0.8, 0.6, 0.4, 0.2);
        second(60);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(g.status("primary").unavailableUntil()).isEqualTo(start.plus(Duration.ofMinutes(10)));
        assertThat(decisions()).hasSize(5).allSatisfy(d -> {
            assertThat(d.condition()).isEqualTo(FailoverCondition.MAINTENANCE_WINDOW_APPROACHING);
            assertThat(d.trigger()).isEqualTo(FailoverTrigger.PREDICTIVE);
        });
        second(300);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        second(300); // window over: recovery starts (passive: ramp)
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.RAMPING);
    }

    @Test
    void capacityThresholdExceeded() {
        EndpointGroup g = group(Endpoint.builder("primary").tier(LOCAL).capacityPerSecond(1.0).build());
        engine = engine(g).build();
        traffic(g, 40, 0); // 20 calls on the primary in the 30 s window: 0.67/s < 0.8/s
        engine.evaluate();
        assertThat(decisions()).isEmpty();
        traffic(g, 20, 0); // 30 calls: 1.0/s > 0.8/s
        engine.evaluate();
        FailoverDecision d = decisions().get(0);
        assertThat(d.condition()).isEqualTo(FailoverCondition.CAPACITY_THRESHOLD_EXCEEDED);
        assertThat(d.inputs()).containsEntry("capacity_per_second", 1.0);
        assertThat(d.inputs().get("calls_per_second")).isCloseTo(1.0, within(1e-9));
    }

    // ------------------------------------------------------------------ rollback

    @Test
    void manualRollbackUndoesOneDecisionPerCall() {
        EndpointGroup g = group();
        engine = engine(g).build();
        FailoverDecision drain = engine.drain("replica");
        FailoverDecision force = engine.forceFailover("primary");
        assertThat(g.routing().tierLoadPercent()).containsEntry(DISASTER_RECOVERY, 100);

        FailoverDecision undoForce = engine.rollback().orElseThrow();
        assertThat(undoForce.trigger()).isEqualTo(FailoverTrigger.ROLLBACK);
        assertThat(undoForce.condition()).isEqualTo(FailoverCondition.MANUAL_ROLLBACK);
        assertThat(undoForce.rollsBack()).isEqualTo(force.id());
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(g.status("replica").state()).isEqualTo(EndpointState.DRAINED);

        FailoverDecision undoDrain = engine.rollback().orElseThrow();
        assertThat(undoDrain.rollsBack()).isEqualTo(drain.id());
        assertThat(g.status("replica").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(g.routing().tierLoadPercent()).containsEntry(LOCAL, 100);
        assertThat(engine.rollback()).isEmpty();
    }

    @Test
    void afterARollbackAnUnreachableEndpointIsStillRedirectedAtOnce() {
        EndpointGroup g = group();
        engine = engine(g).build();
        engine.forceFailover("primary");
        engine.rollback().orElseThrow();
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.HEALTHY);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(engine.decisions()).extracting(FailoverDecision::condition).containsExactly(
                FailoverCondition.OPERATOR_FORCE_FAILOVER, FailoverCondition.MANUAL_ROLLBACK,
                FailoverCondition.SERVER_UNREACHABLE);
    }

    @Test
    void automaticRollbackWhenTheTargetsDoWorseWithinTheMonitoringWindow() {
        EndpointGroup g = group();
        engine = engine(g).build();
        traffic(g, 200, 8); // primary: 12 of its 100 calls fail
        engine.evaluate();
        FailoverDecision shift = decisions().get(0);
        assertThat(shift.condition()).isEqualTo(FailoverCondition.ERROR_RATE);
        // LOCAL stays above 100% health, so the replica is the one target.
        assertThat(shift.targets()).containsOnlyKeys("replica");
        // The target now fails 50% of its calls: worse than the source's 12%.
        for (int i = 0; i < 12; i++) {
            g.onOutcome("replica", i % 2 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 10_000_000);
        }
        second(1);
        FailoverDecision rollback = decisions().get(1);
        assertThat(rollback.condition()).isEqualTo(FailoverCondition.AUTOMATIC_ROLLBACK);
        assertThat(rollback.rollsBack()).isEqualTo(shift.id());
        assertThat(rollback.inputs().get("target_error_rate")).isEqualTo(0.5);
        assertThat(rollback.inputs().get("source_error_rate")).isEqualTo(0.12);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(g.status("primary").trafficFactor()).isEqualTo(1.0);
        // Held off for the monitoring window: the same condition does not flap straight back.
        second(5);
        assertThat(decisions()).hasSize(2);
    }

    @Test
    void noAutomaticRollbackOntoAnEndpointThatStoppedAnsweringSinceTheShift() {
        EndpointGroup g = group();
        engine = engine(g).build();
        traffic(g, 200, 8); // primary: 12 of its 100 calls fail
        engine.evaluate();
        assertThat(decisions().get(0).condition()).isEqualTo(FailoverCondition.ERROR_RATE);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        for (int i = 0; i < 12; i++) { // the target does worse than the source did before the shift
            g.onOutcome("replica", i % 2 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 10_000_000);
        }
        second(1);
        assertThat(decisions()).extracting(FailoverDecision::condition)
                .doesNotContain(FailoverCondition.AUTOMATIC_ROLLBACK);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(g.status("primary").share()).isZero();
    }

    @Test
    void aCoordinatorOrReplicatorThatMisbehavesNeverFailsTheReportingCaller() {
        EndpointGroup g = group();
        FailoverCoordinator broken = new FailoverCoordinator() {
            @Override
            public Role role(String groupName) {
                throw new IllegalStateException("raft down");
            }

            @Override
            public boolean commit(String groupName, String decisionId, String payload) {
                return true;
            }
        };
        engine = engine(g).coordinator(broken).build();
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(events).filteredOn(e -> e instanceof DecisionSuppressedEvent).isNotEmpty();
        engine.close();

        EndpointGroup g2 = group();
        SessionStateReplicator nulls = new SessionStateReplicator() {
            @Override
            public Collection<SessionState> sessionsOn(Endpoint endpoint) {
                return null;
            }

            @Override
            public CompletionStage<Void> recreate(SessionState session, Endpoint target) {
                return null;
            }
        };
        engine = engine(g2).sessionReplicator(nulls).build();
        g2.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        g2.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(g2.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
    }

    @Test
    void anAuditFileThatCannotBeOpenedIsRefusedInBuildAndLinesThatCannotBeWrittenAreCounted() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> engine(group()).auditFile(notADirectory.resolve("audit.jsonl")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("auditFile must be a file that can be appended to, was " + notADirectory);

        EndpointGroup g = group();
        engine = engine(g).auditFile(Path.of("/dev/full")).build(); // every write fails: no space left
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(decisions()).as("the decision stands").hasSize(1);
        assertThat(registry.get("qudag.resilience.failover.audit.failures").tag("group", "search").counter().count())
                .isGreaterThanOrEqualTo(2.0); // the decision and the state change, at least
    }

    @Test
    void noAutomaticRollbackWhenTheTargetsDoBetter() {
        EndpointGroup g = group();
        engine = engine(g).build();
        traffic(g, 200, 8);
        engine.evaluate();
        for (int i = 0; i < 20; i++) {
            g.onOutcome("replica", CallOutcome.SUCCESS, 10_000_000);
        }
        second(1);
        assertThat(decisions()).hasSize(1);
    }

    // ------------------------------------------------------------------ manual operations

    @Test
    void drainedEndpointsAreNeverChosenNotEvenInPanicMode() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"), Endpoint.of("c", LOCAL, "x"))
                .build();
        engine = engine(g).build();
        engine.drain("a");
        engine.forceFailover("b");
        engine.forceFailover("c");
        assertThat(g.routing().panicTiers()).containsExactly(LOCAL);
        assertThat(Traffic.healthy(g, 30, 5)).containsEntry("a", 0).containsEntry("b", 15).containsEntry("c", 15);
        engine.drain("b");
        engine.drain("c");
        assertThatThrownBy(() -> g.choose(null)).isInstanceOf(NoEndpointAvailableException.class)
                .hasMessageContaining("svc");
        FailoverDecision undrain = engine.undrain("a");
        assertThat(undrain.condition()).isEqualTo(FailoverCondition.OPERATOR_UNDRAIN);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
        assertThat(g.choose(null).id()).isEqualTo("a");
        assertThatThrownBy(() -> engine.undrain("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("undrain of endpoint a not done: state RAMPING");
    }

    // ------------------------------------------------------------------ coordination

    private static FailoverCoordinator coordinator(FailoverCoordinator.Role role, boolean commits) {
        return new FailoverCoordinator() {
            @Override
            public Role role(String scope) {
                return role;
            }

            @Override
            public boolean commit(String scope, String decisionId, String payload) {
                return commits;
            }
        };
    }

    @Test
    void onlyTheLeaderDecides() {
        EndpointGroup g = group();
        engine = engine(g).coordinator(coordinator(FailoverCoordinator.Role.FOLLOWER, true)).build();
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1);
        g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 1);
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(decisions()).isEmpty();
        assertThat(events).filteredOn(e -> e instanceof DecisionSuppressedEvent).first()
                .satisfies(e -> assertThat(((DecisionSuppressedEvent) e).role())
                        .isEqualTo(FailoverCoordinator.Role.FOLLOWER));
        assertThatThrownBy(() -> engine.drain("primary")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("coordinator role FOLLOWER");
    }

    @Test
    void aCoordinatorWithoutQuorumDecidesNothing() {
        EndpointGroup g = group();
        List<String> payloads = new ArrayList<>();
        FailoverCoordinator lostQuorum = new FailoverCoordinator() {
            @Override
            public Role role(String scope) {
                return Role.LEADER; // still believes it leads
            }

            @Override
            public boolean commit(String scope, String decisionId, String payload) {
                payloads.add(payload);
                return false; // the quorum does not acknowledge
            }
        };
        engine = engine(g).coordinator(lostQuorum).build();
        assertThat(engine.reportCondition("primary", FailoverCondition.SERVER_UNREACHABLE, "probe")).isEmpty();
        assertThat(g.status("primary").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(payloads).singleElement().satisfies(p -> assertThat(p).contains("\"condition\":\"SERVER_UNREACHABLE\""));
        assertThat(registry.get("qudag.resilience.failover.decisions.suppressed").counter().count()).isEqualTo(1.0);
    }

    // ------------------------------------------------------------------ session state

    @Test
    void sessionsOnTheSourceAreRecreatedOnTheNewEndpoint() {
        EndpointGroup g = group();
        List<String> recreatedOn = new CopyOnWriteArrayList<>();
        SessionState session = new SessionState("client-1", Map.of("protocolVersion", "2025-06-18"),
                List.of("file:///work"), Set.of("res://a"), Map.of("search", ToolHints.READ_ONLY));
        SessionStateReplicator replicator = new SessionStateReplicator() {
            @Override
            public Collection<SessionState> sessionsOn(Endpoint endpoint) {
                return endpoint.id().equals("primary") ? List.of(session) : List.of();
            }

            @Override
            public CompletionStage<Void> recreate(SessionState state, Endpoint target) {
                assertThat(state.toolHints()).containsKey("search");
                recreatedOn.add(target.id());
                return CompletableFuture.completedFuture(null);
            }
        };
        engine = engine(g).sessionReplicator(replicator).build();
        engine.forceFailover("primary");
        assertThat(recreatedOn).singleElement().isIn("replica", "dr");
        assertThat(events).filteredOn(e -> e instanceof SessionReplicationEvent).singleElement()
                .satisfies(e -> {
                    SessionReplicationEvent s = (SessionReplicationEvent) e;
                    assertThat(s.success()).isTrue();
                    assertThat(s.sessionKey()).isEqualTo("client-1");
                    assertThat(s.fromEndpointId()).isEqualTo("primary");
                });
    }
}
