package io.qudag.resilience.failover.plan;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static io.qudag.resilience.core.FailoverTier.REGIONAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.RecoveryContext;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.spi.RecoveryProcedure;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverCondition;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint group's own state, fed to a real plan, classified by the default rules (spec §4.3). */
class FailoverPlanSignalsTest {

    private final PlanClock clock = new PlanClock();
    private EndpointGroup group;
    private FailoverDecisionEngine engine;
    private DisasterRecoveryPlan plan;
    private FailoverPlanSignals signals;
    private final List<IncidentSignal> reported = new CopyOnWriteArrayList<>();

    /** LOCAL a, b; REGIONAL r1, r2. */
    private void setUp() {
        group = EndpointGroup.builder("search").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "http://a/mcp"), Endpoint.of("b", LOCAL, "http://b/mcp"))
                .tier(REGIONAL, Endpoint.of("r1", REGIONAL, "http://r1/mcp"), Endpoint.of("r2", REGIONAL, "http://r2/mcp"))
                .build();
        engine = FailoverDecisionEngine.builder(group).build();
        plan = DisasterRecoveryPlan.builder().name("search").clock(clock)
                .config(DisasterRecoveryPlanConfig.builder().build()).build();
        signals = FailoverPlanSignals.watch(engine, s -> {
            reported.add(s);
            plan.signal(s);
        });
        awaitKnown();
    }

    private void awaitKnown() {
        // the start-up report makes the four endpoints and both tiers known, none failing
        await().atMost(5, TimeUnit.SECONDS).until(() -> reported.size() == 6);
        assertThat(reported).noneMatch(IncidentSignal::failing);
        assertThat(plan.currentIncident()).isEmpty();
    }

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

    /** Two transport errors in a row: the engine's immediate failover (server unreachable). */
    private void down(String id) {
        group.onOutcome(id, CallOutcome.TRANSPORT_ERROR, 1_000_000);
        group.onOutcome(id, CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(group.status(id).state()).isEqualTo(EndpointState.UNAVAILABLE);
    }

    private DisasterLevel awaitLevel(DisasterLevel level) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> plan.currentIncident().map(IncidentSnapshot::level).orElse(null) == level);
        return plan.currentIncident().orElseThrow().level();
    }

    @Test
    void oneEndpointDownIsLevelOne() {
        setUp();
        down("a");
        assertThat(awaitLevel(DisasterLevel.COMPONENT_FAILURE)).isEqualTo(DisasterLevel.COMPONENT_FAILURE);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::key).containsExactly("ENDPOINT:a");
        assertThat(plan.classifier().failing().get(0).service()).isEqualTo("search");
    }

    @Test
    void everyEndpointOfAServiceDownIsLevelTwo() {
        // two services share the group's tiers, named by the endpoints' service attribute
        group = EndpointGroup.builder("search").clock(clock)
                .tier(LOCAL, ep("a", LOCAL, "indexer"), ep("b", LOCAL, "search"))
                .tier(REGIONAL, ep("r1", REGIONAL, "indexer"), ep("r2", REGIONAL, "search"))
                .build();
        engine = FailoverDecisionEngine.builder(group).build();
        plan = DisasterRecoveryPlan.builder().name("search").clock(clock)
                .config(DisasterRecoveryPlanConfig.builder().build()).build();
        signals = FailoverPlanSignals.watch(engine, s -> {
            reported.add(s);
            plan.signal(s);
        });
        awaitKnown();
        down("a");
        awaitLevel(DisasterLevel.COMPONENT_FAILURE);
        down("r1");
        assertThat(awaitLevel(DisasterLevel.SERVICE_DISRUPTION)).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::service).containsOnly("indexer");
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::region).containsOnly("eu-west");
    }

    private static Endpoint ep(String id, io.qudag.resilience.core.FailoverTier tier, String service) {
        return Endpoint.builder(id).tier(tier).address("http://" + id + "/mcp")
                .attribute(FailoverPlanSignals.SERVICE_ATTRIBUTE, service)
                .attribute(FailoverPlanSignals.REGION_ATTRIBUTE, "eu-west").build();
    }

    @Test
    void everyEndpointOfATierDownPartitionsTheTierLevelThree() {
        setUp();
        down("a");
        down("b");
        assertThat(awaitLevel(DisasterLevel.REGIONAL_DISASTER)).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::key).contains("TIER:LOCAL")
                .doesNotContain("TIER:REGIONAL");
    }

    @Test
    void everyTierOutIsLevelFour() {
        setUp();
        down("a");
        down("b");
        down("r1");
        down("r2");
        assertThat(awaitLevel(DisasterLevel.GLOBAL_CATASTROPHE)).isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::key).contains("TIER:LOCAL", "TIER:REGIONAL");
    }

    @Test
    void drainedAndForceFailedEndpointsAreNotFailures() {
        setUp();
        engine.drain("a");
        engine.forceFailover("b");
        // something later that is a failure, so we know the watcher has reported past the two moves
        down("r1");
        awaitLevel(DisasterLevel.COMPONENT_FAILURE);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::key).containsExactly("ENDPOINT:r1");
        // the whole LOCAL tier is out, by hand: neither its endpoints nor the tier were reported failing
        assertThat(reported).filteredOn(IncidentSignal::failing).extracting(IncidentSignal::key)
                .containsExactly("ENDPOINT:r1");
    }

    @Test
    void aGroupWithoutEngineReportsOutlierEjections() {
        group = EndpointGroup.builder("search").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x")).build();
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            signals = FailoverPlanSignals.watch(group, reported::add, executor);
            await().atMost(5, TimeUnit.SECONDS).until(() -> reported.size() == 3);
            for (int i = 0; i < 5; i++) { // outlier detection: 5 consecutive failures eject
                group.onOutcome("a", CallOutcome.SERVER_ERROR, 1_000_000);
            }
            assertThat(group.status("a").state()).isEqualTo(EndpointState.UNAVAILABLE);
            await().atMost(5, TimeUnit.SECONDS).until(() -> reported.size() == 4);
            assertThat(reported.get(3)).isEqualTo(IncidentSignal.endpointDown("a", "search", null));
        } finally {
            signals.close();
            executor.shutdownNow();
        }
    }

    @Test
    void theGroupsCallersNeverWaitForTheSink() throws Exception {
        group = EndpointGroup.builder("search").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x")).build();
        engine = FailoverDecisionEngine.builder(group).build();
        CountDownLatch release = new CountDownLatch(1);
        List<IncidentSignal> seen = new CopyOnWriteArrayList<>();
        signals = FailoverPlanSignals.watch(engine, s -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(s);
        });
        // the sink is stuck on the start-up report; the caller still gets through
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> down("a"));
        assertThat(seen).isEmpty();
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> seen.stream().anyMatch(s -> s.key().equals("ENDPOINT:a") && s.failing()));
    }

    @Test
    void activateTierForcesTheFailedTierOutOnceAndValidatesThatTheAlternativeTakesTraffic() throws Exception {
        setUp();
        down("a");
        RecoveryProcedure activate = FailoverProcedures.activateTier("activate-regional", engine, LOCAL, REGIONAL)
                .level(DisasterLevel.COMPONENT_FAILURE).build();
        assertThat(activate.phase()).isEqualTo(RecoveryPhase.SHORT_TERM);
        assertThat(activate.timeout()).isEqualTo(FailoverProcedures.DEFAULT_ACTIVATE_TIMEOUT);
        RecoveryContext ctx = new RecoveryContext("search", "search-1", DisasterLevel.COMPONENT_FAILURE,
                RecoveryPhase.SHORT_TERM, 1, List.of(), clock);
        assertThat(group.routing().tierLoadPercent().get(LOCAL)).isPositive();

        activate.execute(ctx);
        assertThat(group.status("b").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(group.routing().tierLoadPercent()).containsEntry(LOCAL, 0).containsEntry(REGIONAL, 100);
        assertThat(activate.validate(ctx)).isTrue();
        long forced = engine.decisions().stream().filter(d -> d.condition() == FailoverCondition.OPERATOR_FORCE_FAILOVER).count();
        assertThat(forced).isEqualTo(1);

        activate.execute(ctx); // idempotent: nothing left to force
        assertThat(engine.decisions().stream().filter(d -> d.condition() == FailoverCondition.OPERATOR_FORCE_FAILOVER))
                .hasSize(1);
        // b was forced out by the step: not a failure, so LOCAL is not reported partitioned
        signals.refresh();
        await().during(200, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> plan.classifier().failing().stream().noneMatch(s -> s.key().equals("TIER:LOCAL")));
    }

    @Test
    void activateTierValidationFailsWhenTheAlternativeIsOut() throws Exception {
        setUp();
        down("r1");
        down("r2");
        RecoveryProcedure activate = FailoverProcedures.activateTier("activate-regional", engine, LOCAL, REGIONAL)
                .level(DisasterLevel.REGIONAL_DISASTER).build();
        RecoveryContext ctx = new RecoveryContext("search", "search-1", DisasterLevel.REGIONAL_DISASTER,
                RecoveryPhase.SHORT_TERM, 1, List.of(), clock);
        activate.execute(ctx);
        assertThat(activate.validate(ctx)).isFalse();
    }

    @Test
    void badArgumentsFailEarlyNamingTheField() {
        setUp();
        assertThatThrownBy(() -> FailoverProcedures.activateTier("x", engine, LOCAL, LOCAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alternative must differ from failed, was LOCAL");
        assertThatThrownBy(() -> FailoverProcedures.activateTier("x", engine, LOCAL, io.qudag.resilience.core.FailoverTier.GEOGRAPHIC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alternative must be a tier of group search, was GEOGRAPHIC");
        assertThatThrownBy(() -> FailoverProcedures.activateTier("x", null, LOCAL, REGIONAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("engine must not be null, was null");
        assertThatThrownBy(() -> FailoverProcedures.validateTierRecovered("x", group, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tier must not be null, was null");
        assertThatThrownBy(() -> FailoverPlanSignals.watch(engine, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sink must not be null, was null");
    }
}
