package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.breaker.spi.FactorSignal;
import io.qudag.resilience.core.event.BreakerStateTransitionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Walks every transition of the adaptive breaker under an injected clock (spec §3.1). */
class AdaptiveCircuitBreakerTest {

    private static final long FAST = 1_000_000L; // 1 ms
    private static final long SLOW = 600_000_000L; // 600 ms

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<BreakerStateTransitionEvent> events = new ArrayList<>();

    private AdaptiveCircuitBreaker breaker(AdaptiveBreakerConfig config) {
        return AdaptiveCircuitBreaker.builder("search").config(config).clock(clock).meterRegistry(registry)
                .listener(events::add).build();
    }

    private AdaptiveCircuitBreaker defaultBreaker() {
        return breaker(AdaptiveBreakerConfig.defaults());
    }

    static void calls(AdaptiveCircuitBreaker b, int n, CallOutcome outcome, long nanos) {
        for (int i = 0; i < n; i++) {
            b.acquirePermission(null);
            b.onOutcome(null, outcome, nanos, null);
        }
    }

    static void succeed(AdaptiveCircuitBreaker b, int n) {
        calls(b, n, CallOutcome.SUCCESS, FAST);
    }

    static void fail(AdaptiveCircuitBreaker b, int n) {
        calls(b, n, CallOutcome.SERVER_ERROR, FAST);
    }

    /** Retries until one call is admitted, then reports {@code outcome} for it. */
    static void admitted(AdaptiveCircuitBreaker b, int n, CallOutcome outcome) {
        for (int i = 0; i < n; i++) {
            int tries = 0;
            while (true) {
                try {
                    b.acquirePermission(null);
                    break;
                } catch (BreakerOpenException e) {
                    assertThat(++tries).as("admitted within 1000 attempts").isLessThan(1000);
                }
            }
            b.onOutcome(null, outcome, FAST, null);
        }
    }

    /** Attempts {@code n} calls; admitted ones succeed. Returns how many were admitted. */
    static int attempt(AdaptiveCircuitBreaker b, int n) {
        int admitted = 0;
        for (int i = 0; i < n; i++) {
            try {
                b.acquirePermission(null);
            } catch (BreakerOpenException e) {
                continue;
            }
            admitted++;
            b.onOutcome(null, CallOutcome.SUCCESS, FAST, null);
        }
        return admitted;
    }

    private double gauge() {
        return registry.get("qudag.resilience.breaker.state").tag("name", "search").gauge().value();
    }

    /** Trips a default breaker with 20 failures out of 20 and returns it (open for 126 s). */
    private AdaptiveCircuitBreaker tripped() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        fail(b, 20);
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        return b;
    }

    /** Drives a tripped breaker through HALF_OPEN (3 probes) into RECOVERY. */
    private AdaptiveCircuitBreaker inRecovery() {
        AdaptiveCircuitBreaker b = tripped();
        clock.advance(Duration.ofSeconds(126));
        succeed(b, 1);
        assertThat(attempt(b, 20)).isEqualTo(2);
        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);
        return b;
    }

    @Test
    void closedTripsOnFailureRateOnlyAfterTheMinimumNumberOfCalls() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        fail(b, 5);
        assertThat(b.state()).as("5 failures < 20 minimum calls").isEqualTo(BreakerState.CLOSED);
        AdaptiveCircuitBreaker c = breaker(AdaptiveBreakerConfig.builder().minimumNumberOfCalls(20).build());
        succeed(c, 19);
        fail(c, 1); // 1/20 = 5% >= 5%
        assertThat(c.state()).isEqualTo(BreakerState.OPEN);
        assertThat(events).extracting(BreakerStateTransitionEvent::to).contains(BreakerState.OPEN);
        assertThat(events.get(events.size() - 1).reason()).contains("failure rate 0.0500 >= threshold 0.0500");
        assertThat(events.get(events.size() - 1).automatic()).isTrue();
    }

    @Test
    void successesBelowTheThresholdKeepItClosed() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        succeed(b, 40);
        fail(b, 1); // 1/41 < 5%
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.snapshot().callsInWindow()).isEqualTo(41);
        assertThat(b.snapshot().failureRate()).isEqualTo(1 / 41.0, within(1e-12));
    }

    @Test
    void outcomePolicyDecidesWhatCountsAsFailure() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        calls(b, 30, CallOutcome.TOOL_ERROR, FAST);
        calls(b, 30, CallOutcome.CLIENT_ERROR, FAST);
        assertThat(b.state()).as("tool and client errors are not server failures").isEqualTo(BreakerState.CLOSED);
        AdaptiveCircuitBreaker strict = breaker(AdaptiveBreakerConfig.builder()
                .outcomePolicy(OutcomePolicy.builder().failureOutcomes(Set.of(CallOutcome.TOOL_ERROR)).build()).build());
        calls(strict, 20, CallOutcome.TOOL_ERROR, FAST);
        assertThat(strict.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void slowCallsTripOnSlowCallRate() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        calls(b, 10, CallOutcome.SUCCESS, SLOW);
        succeed(b, 11);
        assertThat(b.state()).as("10 slow of 21 < 50%").isEqualTo(BreakerState.CLOSED);
        calls(b, 1, CallOutcome.SUCCESS, SLOW); // 11/22 = 50%
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        assertThat(registry.get("qudag.resilience.breaker.slow.calls").counter().count()).isEqualTo(11);
    }

    @Test
    void oldOutcomesSlideOutOfTheWindow() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        fail(b, 10);
        clock.advance(Duration.ofMinutes(5));
        succeed(b, 5);
        assertThat(b.snapshot().callsInWindow()).isEqualTo(15);
        clock.advance(Duration.ofMinutes(5).plusSeconds(10));
        assertThat(b.snapshot().callsInWindow()).as("the failures are 10 min old").isEqualTo(5);
        fail(b, 1);
        succeed(b, 14); // 1/20 failures... but the trip check only runs on failures
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void openRejectsWithTheStateAndAdaptiveDurationThenMovesToHalfOpen() {
        AdaptiveCircuitBreaker b = tripped();
        // severity 1 (100% failures) -> 3.0, no history 1.0, no load 1.0, first opening 0.7: 60 s * 2.1
        assertThat(b.snapshot().lastOpenDuration()).isEqualTo(Duration.ofSeconds(126));
        assertThat(events.get(0).openDuration()).isEqualTo(Duration.ofSeconds(126));
        clock.advance(Duration.ofSeconds(126).minusMillis(1));
        assertThatThrownBy(() -> b.acquirePermission(null)).isInstanceOfSatisfying(BreakerOpenException.class, e -> {
            assertThat(e.state()).isEqualTo(BreakerState.OPEN);
            assertThat(e.rejectedBy()).isEqualTo("search");
            assertThat(e).isInstanceOf(RejectedCallException.class);
        });
        assertThat(gauge()).isEqualTo(BreakerState.OPEN.code());
        clock.advanceMillis(1);
        b.acquirePermission(null);
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(gauge()).isEqualTo(BreakerState.HALF_OPEN.code());
        assertThat(registry.get("qudag.resilience.breaker.rejected").tag("state", "OPEN").counter().count()).isEqualTo(1);
    }

    @Test
    void tickMovesOpenToHalfOpenWithoutACall() {
        AdaptiveCircuitBreaker b = tripped();
        clock.advance(Duration.ofSeconds(125));
        b.tick();
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        clock.advance(Duration.ofSeconds(1));
        b.tick();
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void halfOpenAdmitsTenPercentDeterministicallyAndMovesToRecoveryAfterThreeSuccesses() {
        AdaptiveCircuitBreaker b = tripped();
        clock.advance(Duration.ofSeconds(126));
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            try {
                b.acquirePermission(null);
                pattern.append('A');
                if (i < 20) {
                    b.onOutcome(null, CallOutcome.SUCCESS, FAST, null);
                }
            } catch (BreakerOpenException e) {
                assertThat(e.state()).isEqualTo(BreakerState.HALF_OPEN);
                pattern.append('.');
            }
        }
        assertThat(pattern).hasToString("A.........A.........A");
        assertThat(b.state()).as("two successes so far").isEqualTo(BreakerState.HALF_OPEN);
        b.onOutcome(null, CallOutcome.SUCCESS, FAST, null);
        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);
        assertThat(b.snapshot().admittedShare()).isEqualTo(0.1, within(1e-12));
    }

    @Test
    void halfOpenLimitsConcurrentProbesAndReleaseGivesAPermitBack() {
        AdaptiveCircuitBreaker b = breaker(AdaptiveBreakerConfig.builder().halfOpenShare(1.0)
                .halfOpenMaxConcurrentCalls(2).build());
        fail(b, 20);
        clock.advance(Duration.ofHours(1));
        b.acquirePermission(null);
        b.acquirePermission(null);
        assertThatThrownBy(() -> b.acquirePermission(null)).isInstanceOf(BreakerOpenException.class);
        b.releasePermission(null);
        b.acquirePermission(null);
        b.onOutcome(null, CallOutcome.REJECTED, FAST, null); // refused downstream: releases, counts nothing
        b.acquirePermission(null);
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void leakedHalfOpenPermitsAreReclaimedAfterTheMonitoringPeriod() {
        AdaptiveCircuitBreaker b = breaker(AdaptiveBreakerConfig.builder().halfOpenShare(1.0).build());
        fail(b, 20);
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            b.acquirePermission(null); // never reported back
        }
        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> b.acquirePermission(null)).isInstanceOf(BreakerOpenException.class);
        clock.advance(Duration.ofSeconds(1));
        b.acquirePermission(null);
        b.acquirePermission(null);
        b.acquirePermission(null);
        assertThatThrownBy(() -> b.acquirePermission(null)).as("3 permits again, not more")
                .isInstanceOf(BreakerOpenException.class);
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void oneFailedProbeReopensWithExponentialBackoff() {
        AdaptiveCircuitBreaker b = tripped();
        clock.advance(Duration.ofSeconds(126));
        b.acquirePermission(null);
        b.onOutcome(null, CallOutcome.TIMEOUT, FAST, null);
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        assertThat(b.snapshot().consecutiveOpenings()).isEqualTo(2);
        // severity 1 -> 3.0; no finished recovery yet -> 1.0; 126 s since the last opening ->
        // 0.7 + 0.3 * (1 - 126/3600) = 0.9895; second consecutive opening -> x2
        assertThat(b.snapshot().lastOpenDuration()).isEqualTo(Duration.ofMillis(356_220));
        assertThat(events).extracting(BreakerStateTransitionEvent::from, BreakerStateTransitionEvent::to)
                .extracting(Object::toString)
                .containsExactly("(CLOSED, OPEN)", "(OPEN, HALF_OPEN)", "(HALF_OPEN, OPEN)");
    }

    @Test
    void backoffIsCappedAtTheMaximumOpenDuration() {
        AdaptiveCircuitBreaker b = breaker(AdaptiveBreakerConfig.builder().maxOpenDuration(Duration.ofMinutes(5)).build());
        fail(b, 20);
        for (int i = 0; i < 4; i++) {
            clock.advance(b.snapshot().lastOpenDuration());
            b.acquirePermission(null);
            b.onOutcome(null, CallOutcome.SERVER_ERROR, FAST, null);
        }
        assertThat(b.snapshot().consecutiveOpenings()).isEqualTo(5);
        assertThat(b.snapshot().lastOpenDuration()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void recoveryRampsTheAdmittedShareInTenPercentStepsThenCloses() {
        AdaptiveCircuitBreaker b = inRecovery();
        List<Integer> admittedPerStep = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            admittedPerStep.add(attempt(b, 100));
            assertThat(b.snapshot().admittedShare()).isEqualTo(0.1 * (step + 1), within(1e-9));
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(admittedPerStep).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);
        b.acquirePermission(null);
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.snapshot().consecutiveOpenings()).isZero();
        assertThat(b.snapshot().callsInWindow()).as("window emptied on close").isZero();
        assertThat(gauge()).isEqualTo(BreakerState.CLOSED.code());
    }

    @Test
    void recoveryRollsBackToOpenWhenTheRampFailureRateCrossesTheThreshold() {
        AdaptiveCircuitBreaker b = inRecovery();
        admitted(b, 9, CallOutcome.SUCCESS);
        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);
        admitted(b, 1, CallOutcome.TRANSPORT_ERROR); // 1/10 = 10% >= 5%
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        BreakerStateTransitionEvent last = events.get(events.size() - 1);
        assertThat(last.from()).isEqualTo(BreakerState.RECOVERY);
        assertThat(last.reason()).startsWith("rollback from RECOVERY");
        assertThat(b.snapshot().consecutiveOpenings()).isEqualTo(2);
        // severity (0.1-0.05)/0.95 -> 1.5 + 1.5*0.05263 = 1.5789; no finished attempts yet -> 1.0;
        // Δ = 126 s -> 0.9895; second opening x2
        double expected = 60_000 * (1.5 + 1.5 * (0.05 / 0.95)) * (0.7 + 0.3 * (1 - 126.0 / 3600)) * 2;
        assertThat(b.snapshot().lastOpenDuration().toMillis()).isEqualTo(Math.round(expected));
    }

    @Test
    void recoveryHistoryStretchesTheNextOpenDuration() {
        AdaptiveCircuitBreaker b = inRecovery();
        clock.advance(Duration.ofSeconds(300));
        b.tick();
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        // one finished recovery, no relapse -> recovery history multiplier 0.8
        clock.advance(Duration.ofHours(2)); // quiet -> 0.7
        fail(b, 20);
        assertThat(b.snapshot().lastOpenDuration()).isEqualTo(Duration.ofMillis(Math.round(60_000 * 3.0 * 0.8 * 0.7)));
    }

    @Test
    void thresholdAdaptsToFactorSignalsWithConcreteValues() {
        AtomicReference<Double> history = new AtomicReference<>(1.0);
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("adaptive").clock(clock)
                .signal(AdaptiveFactor.HISTORICAL_PERFORMANCE, history::get)
                .signal(AdaptiveFactor.CURRENT_LOAD, FactorSignal.constant(1.0))
                .build();
        // c = 0.3 + 0.25 + 0.5*(0.45) = 0.775 -> multiplier 1.55 -> 0.0775
        assertThat(b.currentFailureThreshold()).isEqualTo(0.0775, within(1e-12));
        succeed(b, 18);
        fail(b, 1); // 1/19 = 5.3% < 7.75%
        fail(b, 1); // 2/20 = 10% >= 7.75%
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        history.set(0.0);
        assertThat(b.currentFailureThreshold()).as("not re-sampled before the interval").isEqualTo(0.0775, within(1e-12));
        clock.advance(Duration.ofSeconds(10));
        // c = 0 + 0.25 + 0.225 = 0.475 -> multiplier 0.5 + 0.5*0.95 = 0.975 -> 0.04875
        assertThat(b.currentFailureThreshold()).isEqualTo(0.04875, within(1e-12));
    }

    @Test
    void systemLoadSignalStretchesTheOpenDuration() {
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("loaded").clock(clock)
                .systemLoadSignal(FactorSignal.constant(1.0)).build();
        fail(b, 20);
        assertThat(b.snapshot().lastOpenDuration()).isEqualTo(Duration.ofMillis(Math.round(60_000 * 3.0 * 1.5 * 0.7)));
    }

    @Test
    void administrativeStatesOverrideTheMachine() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        b.transitionToDisabled();
        fail(b, 50);
        assertThat(b.state()).as("DISABLED admits all and counts nothing").isEqualTo(BreakerState.DISABLED);
        assertThat(b.snapshot().callsInWindow()).isZero();
        b.transitionToForcedOpen();
        assertThatThrownBy(() -> b.acquirePermission(null)).isInstanceOfSatisfying(BreakerOpenException.class,
                e -> assertThat(e.state()).isEqualTo(BreakerState.FORCED_OPEN));
        clock.advance(Duration.ofDays(1));
        b.tick();
        assertThat(b.state()).isEqualTo(BreakerState.FORCED_OPEN);
        assertThatThrownBy(() -> b.transitionToOpen(Duration.ofSeconds(1), "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.transitionToHalfOpen("x")).isInstanceOf(IllegalStateException.class);
        b.transitionToClosed();
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(events).allSatisfy(e -> assertThat(e.automatic()).isFalse());
        assertThat(gauge()).isEqualTo(BreakerState.CLOSED.code());
    }

    @Test
    void escalationCanHoldTheBreakerOpenUntilReleased() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        b.transitionToOpen(null, "region escalated");
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> b.acquirePermission(null)).isInstanceOf(BreakerOpenException.class);
        assertThat(events.get(0).openDuration()).isZero();
        b.transitionToHalfOpen("staged recovery");
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
        b.transitionToOpen(Duration.ofSeconds(30), "again");
        clock.advance(Duration.ofSeconds(30));
        b.tick();
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThatThrownBy(() -> b.transitionToOpen(Duration.ZERO, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("openFor must be a positive duration or null, was PT0S");
    }

    @Test
    void everyTransitionOfTheTableIsReachableAndMetered() {
        AdaptiveCircuitBreaker b = inRecovery();          // CLOSED>OPEN>HALF_OPEN>RECOVERY
        admitted(b, 10, CallOutcome.SERVER_ERROR);         // RECOVERY>OPEN
        clock.advance(Duration.ofHours(1));
        b.tick();                                          // OPEN>HALF_OPEN
        b.acquirePermission(null);
        b.onOutcome(null, CallOutcome.SERVER_ERROR, FAST, null); // HALF_OPEN>OPEN
        clock.advance(Duration.ofHours(1));
        b.tick();
        succeed(b, 1);
        attempt(b, 20);                                    // HALF_OPEN>RECOVERY
        clock.advance(Duration.ofMinutes(5));
        b.tick();                                          // RECOVERY>CLOSED
        for (BreakerState from : BreakerState.values()) {
            for (BreakerState to : from.allowedTargets()) {
                driveTo(b, from);
                adminOrAutomatic(b, from, to);
                assertThat(b.state()).as(from + " -> " + to).isEqualTo(to);
            }
        }
        Set<String> seen = events.stream().map(e -> e.from() + ">" + e.to()).collect(Collectors.toSet());
        Set<String> table = EnumSet.allOf(BreakerState.class).stream()
                .flatMap(f -> f.allowedTargets().stream().map(t -> f + ">" + t)).collect(Collectors.toSet());
        assertThat(seen).isEqualTo(table);
        assertThat(registry.find("qudag.resilience.breaker.transitions").counters()).hasSize(table.size());
        assertThat(BreakerState.OPEN.canTransitionTo(BreakerState.RECOVERY)).isFalse();
        assertThat(BreakerState.CLOSED.canTransitionTo(BreakerState.HALF_OPEN)).isFalse();
    }

    private void driveTo(AdaptiveCircuitBreaker b, BreakerState target) {
        b.transitionToClosed();
        switch (target) {
            case CLOSED -> { }
            case DISABLED -> b.transitionToDisabled();
            case FORCED_OPEN -> b.transitionToForcedOpen();
            case OPEN -> b.transitionToOpen(null, "test");
            case HALF_OPEN -> {
                b.transitionToOpen(null, "test");
                b.transitionToHalfOpen("test");
            }
            case RECOVERY -> {
                b.transitionToOpen(null, "test");
                b.transitionToHalfOpen("test");
                attempt(b, 30);
            }
        }
        assertThat(b.state()).isEqualTo(target);
    }

    private void adminOrAutomatic(AdaptiveCircuitBreaker b, BreakerState from, BreakerState to) {
        switch (to) {
            case CLOSED -> b.transitionToClosed();
            case DISABLED -> b.transitionToDisabled();
            case FORCED_OPEN -> b.transitionToForcedOpen();
            case OPEN -> b.transitionToOpen(Duration.ofSeconds(1), "test");
            case HALF_OPEN -> b.transitionToHalfOpen("test");
            case RECOVERY -> attempt(b, 30);
        }
    }

    @Test
    void countersTagEveryOutcome() {
        AdaptiveCircuitBreaker b = defaultBreaker();
        succeed(b, 3);
        calls(b, 2, CallOutcome.TOOL_ERROR, FAST);
        assertThat(registry.get("qudag.resilience.breaker.calls").tag("outcome", "SUCCESS").counter().count()).isEqualTo(3);
        assertThat(registry.get("qudag.resilience.breaker.calls").tag("outcome", "TOOL_ERROR").counter().count()).isEqualTo(2);
        assertThat(registry.get("qudag.resilience.breaker.failure.threshold").gauge().value()).isEqualTo(0.05);
    }
}
