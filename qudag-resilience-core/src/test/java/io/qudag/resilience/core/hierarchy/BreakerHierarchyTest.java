package io.qudag.resilience.core.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.event.HierarchyEvent;
import io.qudag.resilience.core.event.HierarchyEvent.Type;
import io.qudag.resilience.core.hierarchy.spi.EscalationApprovalGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Escalation scenarios and bottom-up recovery of the breaker hierarchy (spec §3.2). */
class BreakerHierarchyTest {

    private static final Map<String, String> REGIONS = Map.of(
            "eu-1", "eu-west", "eu-2", "eu-west", "eu-3", "eu-west", "eu-4", "eu-west",
            "us-1", "us-east", "us-2", "us-east", "us-3", "us-east");

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<HierarchyEvent> events = new ArrayList<>();
    private final Set<String> unhealthy = new HashSet<>();
    private final AtomicInteger gateCalls = new AtomicInteger();

    private BreakerHierarchy hierarchy(EscalationApprovalGate gate, BreakerHierarchyConfig config) {
        return BreakerHierarchy.builder().config(config).clock(clock).meterRegistry(registry)
                .pathResolver(PathResolver.standard(REGIONS, "default"))
                .approvalGate(p -> {
                    gateCalls.incrementAndGet();
                    return gate.decide(p);
                })
                .healthCheck(node -> !unhealthy.contains(node.toString()))
                .listener(events::add).build();
    }

    private BreakerHierarchy hierarchy(EscalationApprovalGate gate) {
        return hierarchy(gate, BreakerHierarchyConfig.defaults());
    }

    /** Services and tools stay open 10+ min by themselves, so staged recovery is what releases them. */
    private BreakerHierarchy longOpenHierarchy() {
        AdaptiveBreakerConfig longOpen = AdaptiveBreakerConfig.builder().baseOpenDuration(Duration.ofMinutes(10))
                .maxOpenDuration(Duration.ofHours(1)).build();
        return hierarchy(EscalationApprovalGate.holdAndReport(), BreakerHierarchyConfig.builder()
                .levelConfig(BreakerLevel.SERVICE, longOpen).levelConfig(BreakerLevel.APPLICATION, longOpen).build());
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

    private static void succeed(BreakerHierarchy h, ToolCall call) {
        h.acquirePermission(call);
        h.onOutcome(call, CallOutcome.SUCCESS, 1_000_000, null);
    }

    private static BreakerPath region(String id) {
        return BreakerPath.global().child(BreakerLevel.REGIONAL, id);
    }

    private List<Type> types() {
        return events.stream().map(HierarchyEvent::type).toList();
    }

    private void openThreeServices(BreakerHierarchy h, String... endpoints) {
        int i = 0;
        for (String e : endpoints) {
            fail(h, call(e, "svc-" + e + "-" + (i++)), 20);
        }
    }

    private void tickFor(BreakerHierarchy h, Duration total, Duration step) {
        for (long t = 0; t < total.toMillis(); t += step.toMillis()) {
            clock.advance(step);
            h.tick();
        }
    }

    @Test
    void threeOpenServicesInARegionOpenTheRegionalBreaker() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport());
        fail(h, call("eu-1", "a"), 20);
        fail(h, call("eu-2", "b"), 20);
        assertThat(h.node(BreakerPath.parse("global/region:eu-west/infra:eu-1/service:a")).state())
                .isEqualTo(BreakerState.OPEN);
        assertThat(h.node(region("eu-west")).state())
                .as("regions do not trip on raw failure rates, and 2 < 3 services").isEqualTo(BreakerState.CLOSED);
        succeed(h, call("eu-3", "healthy"));

        fail(h, call("eu-3", "c"), 20);

        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);
        assertThat(types()).containsExactly(Type.REGIONAL_ESCALATION);
        assertThat(events.get(0).node()).isEqualTo(region("eu-west"));
        assertThat(events.get(0).detail()).contains("3 service breakers open",
                "global/region:eu-west/infra:eu-3/service:c");
        assertThatThrownBy(() -> h.acquirePermission(call("eu-4", "d")))
                .isInstanceOfSatisfying(HierarchyRejectedException.class, e -> {
                    assertThat(e.level()).isEqualTo(BreakerLevel.REGIONAL);
                    assertThat(e.nodePath()).isEqualTo(region("eu-west"));
                    assertThat(e.callPath()).hasToString("global/region:eu-west/infra:eu-4/service:d/tool:search");
                    assertThat(e.rejectedBy()).isEqualTo("global/region:eu-west");
                    assertThat(e).hasMessageContaining("rejected at REGIONAL level");
                });
        succeed(h, call("us-1", "a"));
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(registry.get("qudag.resilience.hierarchy.rejected").tag("level", "REGIONAL").counter().count())
                .isEqualTo(1);
        // held: its own open timer does not release it
        clock.advance(Duration.ofSeconds(29));
        h.tick();
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);
        assertThat(types()).doesNotContain(Type.RECOVERY_STARTED);
    }

    @Test
    void sustainedRegionalOpeningProposesGlobalAndApprovalOpensIt() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.approveAll());
        unhealthy.add("global/region:eu-west");
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        tickFor(h, Duration.ofSeconds(290), Duration.ofSeconds(10));
        assertThat(types()).contains(Type.RECOVERY_ROLLED_BACK).doesNotContain(Type.GLOBAL_PROPOSED);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);
        assertThat(gateCalls).hasValue(0);

        tickFor(h, Duration.ofSeconds(10), Duration.ofSeconds(10)); // 5 min since the region opened

        assertThat(types()).containsSubsequence(Type.REGIONAL_ESCALATION, Type.GLOBAL_PROPOSED, Type.GLOBAL_APPROVED);
        assertThat(gateCalls).hasValue(1);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.OPEN);
        assertThatThrownBy(() -> h.acquirePermission(call("us-1", "a")))
                .isInstanceOfSatisfying(HierarchyRejectedException.class,
                        e -> assertThat(e.level()).isEqualTo(BreakerLevel.GLOBAL));
        tickFor(h, Duration.ofMinutes(5), Duration.ofSeconds(10));
        assertThat(gateCalls).as("asked once per episode").hasValue(1);
    }

    @Test
    void sustainedRegionalOpeningWithApprovalDeniedLeavesGlobalClosed() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.denyAll());
        unhealthy.add("global/region:eu-west");
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        tickFor(h, Duration.ofMinutes(10), Duration.ofSeconds(10));
        assertThat(types()).containsSubsequence(Type.GLOBAL_PROPOSED, Type.GLOBAL_DENIED)
                .doesNotContain(Type.GLOBAL_APPROVED, Type.CASCADE_EMERGENCY);
        assertThat(gateCalls).hasValue(1);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);
        succeed(h, call("us-1", "a"));
    }

    @Test
    void defaultGateHoldsAndReportsUntilAnOperatorResolves() {
        BreakerHierarchy h = BreakerHierarchy.builder().clock(clock).listener(events::add)
                .pathResolver(PathResolver.standard(REGIONS, null)).healthCheck(n -> n.level() != BreakerLevel.REGIONAL)
                .build();
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        tickFor(h, Duration.ofMinutes(5), Duration.ofSeconds(10));
        assertThat(types()).containsSubsequence(Type.GLOBAL_PROPOSED, Type.GLOBAL_HELD);
        assertThat(h.node(BreakerPath.global()).state()).as("never opens silently").isEqualTo(BreakerState.CLOSED);
        List<EscalationProposal> pending = h.pendingProposals();
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).region()).isEqualTo(region("eu-west"));
        assertThat(pending.get(0).proposedAt()).isAfterOrEqualTo(pending.get(0).openSince().plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> h.resolveProposal("nope", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("proposalId must name a pending proposal, was nope");
        h.resolveProposal(pending.get(0).id(), true);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.OPEN);
        assertThat(h.pendingProposals()).isEmpty();
    }

    @Test
    void aRegionThatRecoversProposesNothingThoughItsRampTakesLongerThanTheSustainedOpening() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.approveAll());
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        Map<String, String> services = Map.of("eu-1", "svc-eu-1-0", "eu-2", "svc-eu-2-1", "eu-3", "svc-eu-3-2");
        for (int s = 1; s <= 600; s++) { // 10 minutes: 30 s hold, stages, probes, a 300 s ramp
            clock.advance(Duration.ofSeconds(1));
            h.tick();
            services.forEach((endpoint, service) -> attempts(h, call(endpoint, service), 50));
        }
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(types()).contains(Type.RECOVERY_COMPLETED)
                .doesNotContain(Type.GLOBAL_PROPOSED, Type.GLOBAL_APPROVED);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(gateCalls).hasValue(0);
    }

    @Test
    void aRegionAnOperatorHoldsForcedOpenProposesNothing() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.approveAll());
        h.node(region("eu-west")).transitionToForcedOpen(); // maintenance
        tickFor(h, Duration.ofMinutes(10), Duration.ofSeconds(10));
        assertThat(types()).doesNotContain(Type.GLOBAL_PROPOSED);
        assertThat(gateCalls).hasValue(0);
    }

    @Test
    void aPendingProposalIsWithdrawnWhenItsRegionClosesAndCanNoLongerBeApproved() {
        BreakerHierarchy h = BreakerHierarchy.builder().clock(clock).listener(events::add)
                .pathResolver(PathResolver.standard(REGIONS, null)).healthCheck(n -> n.level() != BreakerLevel.REGIONAL)
                .build();
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        tickFor(h, Duration.ofMinutes(5), Duration.ofSeconds(10));
        String id = h.pendingProposals().get(0).id();
        h.node(region("eu-west")).transitionToClosed(); // an operator, or the region's own recovery
        assertThat(h.pendingProposals()).isEmpty();
        assertThat(types()).endsWith(Type.GLOBAL_WITHDRAWN);
        assertThat(events.get(events.size() - 1).detail()).contains(id, "CLOSED");
        clock.advance(Duration.ofHours(2));
        h.tick();
        assertThatThrownBy(() -> h.resolveProposal(id, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void cascadingFailureAcrossRegionsOpensTheEmergencyGlobalBreakerWithoutApproval() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport());
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        clock.advance(Duration.ofSeconds(20));
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
        openThreeServices(h, "us-1", "us-2", "us-3");

        assertThat(types()).containsExactly(Type.REGIONAL_ESCALATION, Type.REGIONAL_ESCALATION, Type.CASCADE_EMERGENCY);
        assertThat(events.get(2).detail()).contains("2 regions", "eu-west", "us-east");
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.OPEN);
        assertThat(gateCalls).hasValue(0);
        assertThatThrownBy(() -> h.acquirePermission(call("elsewhere", "x")))
                .isInstanceOfSatisfying(HierarchyRejectedException.class,
                        e -> assertThat(e.level()).isEqualTo(BreakerLevel.GLOBAL));
    }

    @Test
    void openingsOutsideTheCascadeWindowDoNotCascade() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport());
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        clock.advance(Duration.ofSeconds(61));
        openThreeServices(h, "us-1", "us-2", "us-3");
        assertThat(types()).containsExactly(Type.REGIONAL_ESCALATION, Type.REGIONAL_ESCALATION);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void cascadeAcrossManyServicesCountsServiceBreakersNotTools() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport(),
                BreakerHierarchyConfig.builder().cascadeBreakerThreshold(4).regionalServiceThreshold(10).build());
        BreakerPath one = BreakerPath.parse("global/region:eu-west/infra:eu-1/service:one");
        for (int i = 0; i < 6; i++) {
            h.node(one.child(BreakerLevel.APPLICATION, "tool-" + i)).transitionToOpen(Duration.ofMinutes(1), "test");
        }
        assertThat(h.node(BreakerPath.global()).state()).as("6 tools do not cascade").isEqualTo(BreakerState.CLOSED);
        fail(h, call("eu-1", "one"), 20);
        fail(h, call("eu-2", "two"), 20);
        fail(h, call("us-1", "three"), 20);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
        fail(h, call("us-2", "four"), 20);
        assertThat(types()).containsExactly(Type.CASCADE_EMERGENCY);
        assertThat(events.get(0).detail()).startsWith("4 breakers opened");
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void recoveryIsBottomUpAndStagedThenTrafficClosesEverything() {
        BreakerHierarchy h = longOpenHierarchy();
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        BreakerPath svc = BreakerPath.parse("global/region:eu-west/infra:eu-1/service:svc-eu-1-0");
        BreakerPath tool = svc.child(BreakerLevel.APPLICATION, "search");
        events.clear();

        clock.advance(Duration.ofSeconds(30));
        h.tick();
        assertThat(types()).containsExactly(Type.RECOVERY_STARTED, Type.RECOVERY_STAGE);
        assertThat(events.get(1).level()).isEqualTo(BreakerLevel.APPLICATION);
        assertThat(h.node(tool).state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(h.node(svc).state()).isEqualTo(BreakerState.OPEN);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);

        clock.advance(Duration.ofSeconds(9));
        h.tick();
        assertThat(events).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        h.tick();
        assertThat(events.get(2).level()).isEqualTo(BreakerLevel.SERVICE);
        assertThat(h.node(svc).state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);

        clock.advance(Duration.ofSeconds(10));
        h.tick(); // no OPEN infrastructure breakers: that stage is skipped, the region itself comes last
        assertThat(events).filteredOn(e -> e.type() == Type.RECOVERY_STAGE).extracting(HierarchyEvent::level)
                .containsExactly(BreakerLevel.APPLICATION, BreakerLevel.SERVICE, BreakerLevel.REGIONAL);
        assertThat(types()).endsWith(Type.RECOVERY_COMPLETED);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.HALF_OPEN);

        // real traffic validates every level: probes pass HALF_OPEN, then RECOVERY ramps up, then CLOSED
        ToolCall c = call("eu-1", "svc-eu-1-0");
        int admitted = attempts(h, c, 20_000); // shares of 3 probing levels multiply: ~0.1%
        assertThat(admitted).isPositive();
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.RECOVERY);
        assertThat(h.node(svc).state()).isEqualTo(BreakerState.RECOVERY);
        clock.advance(Duration.ofSeconds(300));
        attempts(h, c, 10);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(h.node(svc).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(h.node(tool).state()).isEqualTo(BreakerState.CLOSED);
    }

    private static int attempts(BreakerHierarchy h, ToolCall c, int n) {
        int admitted = 0;
        for (int i = 0; i < n; i++) {
            try {
                h.acquirePermission(c);
            } catch (HierarchyRejectedException e) {
                continue;
            }
            admitted++;
            h.onOutcome(c, CallOutcome.SUCCESS, 1_000_000, null);
        }
        return admitted;
    }

    @Test
    void aFailedHealthCheckRollsBackAndRetriesAfterAnotherHold() {
        BreakerHierarchy h = longOpenHierarchy();
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        unhealthy.add("global/region:eu-west/infra:eu-2/service:svc-eu-2-1");
        events.clear();
        clock.advance(Duration.ofSeconds(30));
        h.tick(); // tools released
        clock.advance(Duration.ofSeconds(10));
        h.tick(); // services: one unhealthy -> rollback
        assertThat(types()).containsExactly(Type.RECOVERY_STARTED, Type.RECOVERY_STAGE, Type.RECOVERY_ROLLED_BACK);
        assertThat(events.get(2).detail()).contains("health check failed at global/region:eu-west/infra:eu-2");
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);

        unhealthy.clear();
        clock.advance(Duration.ofSeconds(29));
        h.tick();
        assertThat(types()).hasSize(3);
        clock.advance(Duration.ofSeconds(1));
        h.tick();
        assertThat(types()).endsWith(Type.RECOVERY_STARTED, Type.RECOVERY_STAGE);
        assertThat(events.get(events.size() - 1).level()).isEqualTo(BreakerLevel.SERVICE);
    }

    @Test
    void aReleasedBreakerThatRelapsesRollsTheRecoveryBack() {
        BreakerHierarchy h = longOpenHierarchy();
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        events.clear();
        clock.advance(Duration.ofSeconds(30));
        h.tick();
        BreakerPath tool = BreakerPath.parse("global/region:eu-west/infra:eu-3/service:svc-eu-3-2/tool:search");
        assertThat(h.node(tool).state()).isEqualTo(BreakerState.HALF_OPEN);
        h.node(tool).transitionToOpen(Duration.ofMinutes(1), "probe failed"); // relapse
        clock.advance(Duration.ofSeconds(10));
        h.tick();
        assertThat(types()).endsWith(Type.RECOVERY_ROLLED_BACK);
        assertThat(events.get(events.size() - 1).detail()).contains(tool.toString(), "OPEN again");
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void aPathGivesUpperPermitsBackWhenALowerLevelRejects() {
        AdaptiveBreakerConfig oneProbe = AdaptiveBreakerConfig.builder().halfOpenShare(1.0)
                .halfOpenMaxConcurrentCalls(1).build();
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport(),
                BreakerHierarchyConfig.builder().levelConfig(BreakerLevel.GLOBAL, oneProbe).build());
        ToolCall c = call("eu-1", "a");
        HierarchyPath p = h.pathFor(c);
        assertThat(p.breakers()).hasSize(5);
        assertThat(h.pathFor(c)).isSameAs(p);
        h.node(BreakerPath.global()).transitionToOpen(null, "test");
        h.node(BreakerPath.global()).transitionToHalfOpen("test");
        h.node(BreakerPath.parse("global/region:eu-west/infra:eu-1/service:a")).transitionToForcedOpen();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> h.acquirePermission(c)).isInstanceOfSatisfying(HierarchyRejectedException.class,
                    e -> assertThat(e.level()).as("global's single probe permit was given back")
                            .isEqualTo(BreakerLevel.SERVICE));
        }
        h.acquirePermission(call("eu-1", "b"));
        assertThatThrownBy(() -> h.acquirePermission(call("eu-1", "b")))
                .isInstanceOfSatisfying(HierarchyRejectedException.class,
                        e -> assertThat(e.level()).isEqualTo(BreakerLevel.GLOBAL));
    }

    @Test
    void plainCallsUseTheGlobalBreaker() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport());
        assertThat(h.pathFor(null).path()).isEqualTo(BreakerPath.global());
        h.acquirePermission(null);
        h.onOutcome(null, CallOutcome.SUCCESS, 1, null);
        h.node(BreakerPath.global()).transitionToForcedOpen();
        assertThatThrownBy(() -> h.acquirePermission(null)).isInstanceOf(HierarchyRejectedException.class);
        assertThat(h.name()).isEqualTo("hierarchy");
    }

    @Test
    void tickSurvivesABreakerThatACallerMovedToHalfOpenWhileItsHealthWasChecked() {
        BreakerPath tool = BreakerPath.parse("global/region:eu-west/infra:eu-1/service:svc-eu-1-0/tool:search");
        AtomicReference<BreakerHierarchy> ref = new AtomicReference<>();
        BreakerHierarchy h = BreakerHierarchy.builder().clock(clock).listener(events::add)
                .pathResolver(PathResolver.standard(REGIONS, "default"))
                .healthCheck(node -> {
                    if (node.equals(tool) && ref.get().node(tool).state() == BreakerState.OPEN) {
                        // meanwhile a caller finds the tool's own open time over: OPEN -> HALF_OPEN by itself
                        clock.advance(Duration.ofHours(1));
                        ref.get().node(tool).acquirePermission(null);
                    }
                    return true;
                }).build();
        ref.set(h);
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        events.clear();
        clock.advance(Duration.ofSeconds(30));

        assertThatCode(h::tick).doesNotThrowAnyException();

        assertThat(h.node(tool).state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(types()).containsExactly(Type.RECOVERY_STARTED, Type.RECOVERY_STAGE);
        assertThat(events.get(1).detail()).contains(tool.toString(),
                "global/region:eu-west/infra:eu-2/service:svc-eu-2-1/tool:search");
        assertThat(h.node(BreakerPath.parse("global/region:eu-west/infra:eu-3/service:svc-eu-3-2/tool:search"))
                .state()).as("the rest of the stage was released too").isEqualTo(BreakerState.HALF_OPEN);
        clock.advance(Duration.ofSeconds(10));
        assertThatCode(h::tick).doesNotThrowAnyException();
        assertThat(types()).contains(Type.RECOVERY_COMPLETED);
        assertThat(h.node(region("eu-west")).state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void aCascadeDoesNotHoldAGlobalBreakerAnOperatorDisabled() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport());
        h.node(BreakerPath.global()).transitionToDisabled();
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        clock.advance(Duration.ofSeconds(20));
        openThreeServices(h, "us-1", "us-2", "us-3");

        assertThat(types()).containsExactly(Type.REGIONAL_ESCALATION, Type.REGIONAL_ESCALATION);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.DISABLED);
        assertThat(registry.find("qudag.resilience.hierarchy.holds").tag("level", "GLOBAL").counter())
                .as("no hold recorded for a breaker that was not opened").isNull();
        tickFor(h, Duration.ofMinutes(2), Duration.ofSeconds(10));
        assertThat(events).as("no phantom hold to recover from")
                .noneMatch(e -> e.node().equals(BreakerPath.global()));
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.DISABLED);
    }

    @Test
    void approvingAProposalForADisabledGlobalBreakerNeitherThrowsNorLeavesAHold() {
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport());
        unhealthy.add("global/region:eu-west");
        openThreeServices(h, "eu-1", "eu-2", "eu-3");
        tickFor(h, Duration.ofMinutes(5), Duration.ofSeconds(10));
        List<EscalationProposal> pending = h.pendingProposals();
        assertThat(pending).hasSize(1);
        h.node(BreakerPath.global()).transitionToDisabled();

        assertThatCode(() -> h.resolveProposal(pending.get(0).id(), true)).doesNotThrowAnyException();

        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.DISABLED);
        assertThat(h.pendingProposals()).isEmpty();
        events.clear();
        tickFor(h, Duration.ofMinutes(2), Duration.ofSeconds(10));
        assertThat(events).as("no phantom hold to recover from")
                .noneMatch(e -> e.node().equals(BreakerPath.global()));
    }

    @Test
    void theApprovalGateDecidesOutsideTheLockThatBreakerTransitionsNeed() throws Exception {
        BreakerPath elsewhere = BreakerPath.parse("global/region:us-east/infra:us-1/service:x");
        AtomicReference<BreakerHierarchy> ref = new AtomicReference<>();
        ExecutorService operator = Executors.newSingleThreadExecutor();
        try {
            BreakerHierarchy h = hierarchy(p -> {
                // a gate that waits on another thread, whose breaker transition needs the hierarchy
                Future<?> move = operator.submit(() -> ref.get().node(elsewhere).transitionToForcedOpen());
                try {
                    move.get(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the transition could not proceed while the gate decided", e);
                }
                return ApprovalDecision.APPROVED;
            });
            ref.set(h);
            h.node(elsewhere);
            unhealthy.add("global/region:eu-west");
            openThreeServices(h, "eu-1", "eu-2", "eu-3");

            tickFor(h, Duration.ofMinutes(5), Duration.ofSeconds(10));

            assertThat(gateCalls).hasValue(1);
            assertThat(h.node(elsewhere).state()).isEqualTo(BreakerState.FORCED_OPEN);
            assertThat(types()).containsSubsequence(Type.GLOBAL_PROPOSED, Type.GLOBAL_APPROVED)
                    .doesNotContain(Type.GLOBAL_HELD);
            assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.OPEN);
        } finally {
            operator.shutdownNow();
            assertThat(operator.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anApprovalForARegionThatClosedWhileTheGateDecidedIsDropped() {
        AtomicReference<BreakerHierarchy> ref = new AtomicReference<>();
        BreakerHierarchy h = hierarchy(p -> {
            ref.get().node(p.region()).transitionToClosed(); // an operator resets the region meanwhile
            return ApprovalDecision.APPROVED;
        });
        ref.set(h);
        unhealthy.add("global/region:eu-west");
        openThreeServices(h, "eu-1", "eu-2", "eu-3");

        tickFor(h, Duration.ofMinutes(5), Duration.ofSeconds(10));

        assertThat(gateCalls).hasValue(1);
        assertThat(types()).contains(Type.GLOBAL_PROPOSED).doesNotContain(Type.GLOBAL_APPROVED);
        assertThat(h.node(BreakerPath.global()).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(h.pendingProposals()).isEmpty();
    }

    @Test
    void aCallAdmittedBeforeAnUpperLevelWentHalfOpenDoesNotUseItsProbe() {
        AdaptiveBreakerConfig oneProbe = AdaptiveBreakerConfig.builder().halfOpenShare(1.0)
                .halfOpenMaxConcurrentCalls(1).halfOpenSuccessThreshold(1).slowCallThreshold(Duration.ofMinutes(1))
                .build();
        BreakerHierarchy h = hierarchy(EscalationApprovalGate.holdAndReport(),
                BreakerHierarchyConfig.builder().levelConfig(BreakerLevel.GLOBAL, oneProbe).build());
        ToolCall straggler = call("eu-1", "a");
        h.acquirePermission(straggler); // admitted while everything is CLOSED
        clock.advance(Duration.ofSeconds(20));
        AdaptiveCircuitBreaker global = h.node(BreakerPath.global());
        global.transitionToOpen(null, "test");
        global.transitionToHalfOpen("test");
        ToolCall probe = call("eu-1", "b");
        h.acquirePermission(probe); // global's single probe permit

        h.onOutcome(straggler, CallOutcome.SUCCESS, Duration.ofSeconds(20).toNanos(), null);

        assertThat(global.state()).as("a straggler's success is no probe success").isEqualTo(BreakerState.HALF_OPEN);
        assertThatThrownBy(() -> h.acquirePermission(call("eu-1", "c")))
                .isInstanceOfSatisfying(HierarchyRejectedException.class,
                        e -> assertThat(e.level()).as("the probe permit is still taken").isEqualTo(BreakerLevel.GLOBAL));
        h.onOutcome(probe, CallOutcome.SUCCESS, 1_000_000, null);
        assertThat(global.state()).isEqualTo(BreakerState.RECOVERY);
    }
}
