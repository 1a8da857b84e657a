package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outcomes of calls admitted by an earlier state (spec §3.1): a long call admitted in CLOSED that ends
 * in HALF_OPEN or RECOVERY is not a probe and must not act as one.
 */
class AdaptiveCircuitBreakerStragglerTest {

    private static final long FAST = 1_000_000L; // 1 ms

    private final MutableClock clock = new MutableClock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** One probe at a time, every attempt admitted, {@code successes} probes to move on. */
    private static AdaptiveBreakerConfig oneProbe(int successes) {
        return AdaptiveBreakerConfig.builder().halfOpenShare(1.0).halfOpenMaxConcurrentCalls(1)
                .halfOpenSuccessThreshold(successes).recoveryMinimumCalls(3).build();
    }

    private AdaptiveCircuitBreaker breaker(AdaptiveBreakerConfig config) {
        return AdaptiveCircuitBreaker.builder("search").config(config).clock(clock).build();
    }

    private static void fail(AdaptiveCircuitBreaker b, int n) {
        for (int i = 0; i < n; i++) {
            b.acquirePermission(null);
            b.onOutcome(null, CallOutcome.SERVER_ERROR, FAST, null);
        }
    }

    @Test
    void aCallAdmittedInClosedThatEndsInHalfOpenNeitherFreesTheProbePermitNorCountsAsAProbe() {
        AdaptiveCircuitBreaker b = breaker(oneProbe(1));
        long started = clock.millis();
        b.acquirePermission(null); // the long call, admitted while CLOSED
        fail(b, 20);
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        clock.advance(Duration.ofHours(1));
        b.acquirePermission(null); // the probe: OPEN -> HALF_OPEN, the single permit
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);

        b.onOutcome(null, CallOutcome.SUCCESS, (clock.millis() - started) * 1_000_000L, null);

        assertThat(b.state()).as("a straggler's success is no probe success").isEqualTo(BreakerState.HALF_OPEN);
        assertThatThrownBy(() -> b.acquirePermission(null)).as("the probe permit is still taken")
                .isInstanceOfSatisfying(BreakerOpenException.class,
                        e -> assertThat(e.state()).isEqualTo(BreakerState.HALF_OPEN));
        b.onOutcome(null, CallOutcome.SUCCESS, FAST, null); // the probe itself
        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);
    }

    @Test
    void aStragglersFailureInHalfOpenDoesNotReopen() {
        AdaptiveCircuitBreaker b = breaker(oneProbe(1));
        long started = admitInClosedThenTakeTheOnlyProbe(b);

        b.onOutcome(null, CallOutcome.TIMEOUT, (clock.millis() - started) * 1_000_000L, null);

        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void aStragglerReportedAsRejectedInHalfOpenDoesNotFreeTheProbePermit() {
        AdaptiveCircuitBreaker b = breaker(oneProbe(1));
        long started = admitInClosedThenTakeTheOnlyProbe(b);

        b.onOutcome(null, CallOutcome.REJECTED, (clock.millis() - started) * 1_000_000L, null);

        assertThatThrownBy(() -> b.acquirePermission(null)).isInstanceOf(BreakerOpenException.class);
        b.onOutcome(null, CallOutcome.REJECTED, FAST, null); // the probe's own permit comes back
        b.acquirePermission(null);
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void stragglersFailingDuringRecoveryDoNotRollItBack() {
        AdaptiveCircuitBreaker b = breaker(oneProbe(1));
        long started = clock.millis();
        for (int i = 0; i < 5; i++) {
            b.acquirePermission(null); // five long calls admitted while CLOSED
        }
        fail(b, 20);
        clock.advance(Duration.ofHours(1));
        b.acquirePermission(null);
        b.onOutcome(null, CallOutcome.SUCCESS, FAST, null);
        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);

        for (int i = 0; i < 5; i++) {
            b.onOutcome(null, CallOutcome.SERVER_ERROR, (clock.millis() - started) * 1_000_000L, null);
        }

        assertThat(b.state()).as("5 of 5 'ramp calls' failed, but none was a ramp call")
                .isEqualTo(BreakerState.RECOVERY);
        for (int i = 0; i < 3; i++) {
            b.onOutcome(null, CallOutcome.SERVER_ERROR, FAST, null); // real ramp calls do count
        }
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void aProbeTimedByALaggingCoarseClockStillCounts() {
        // refreshes every 10 s; the test is over long before, so the clock stands still like a lagging one
        try (CoarseClock coarse = CoarseClock.start(clock, Duration.ofSeconds(10), scheduler)) {
            AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("coarse").config(oneProbe(1)).clock(coarse)
                    .build();
            b.transitionToOpen(null, "test");
            b.transitionToHalfOpen("test");
            b.acquirePermission(null);

            b.onOutcome(null, CallOutcome.SUCCESS, Duration.ofMillis(200).toNanos(), null);

            assertThat(b.state()).as("200 ms is within the coarse clock's lag, so not a straggler")
                    .isEqualTo(BreakerState.RECOVERY);
        }
    }

    @Test
    void aProbeThatTookRealTimeWhileATestClockStoodStillStillCounts() {
        AtomicLong ticker = new AtomicLong(5_000_000_000L);
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("frozen").config(oneProbe(1)).clock(clock)
                .ticker(ticker::get).build();
        b.transitionToOpen(null, "test");
        b.transitionToHalfOpen("test");
        b.acquirePermission(null);
        ticker.addAndGet(Duration.ofMillis(200).toNanos()); // the probe runs; the clock does not move

        b.onOutcome(null, CallOutcome.SUCCESS, Duration.ofMillis(200).toNanos(), null);

        assertThat(b.state()).as("the ticker saw the probe start after HALF_OPEN was entered")
                .isEqualTo(BreakerState.RECOVERY);
    }

    @Test
    void theTickerIsRequired() {
        assertThatThrownBy(() -> AdaptiveCircuitBreaker.builder("x").ticker(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ticker must not be null, was null");
    }

    /**
     * Admits a call in CLOSED (returned: when it started), trips the breaker, lets the open time pass and
     * takes the only HALF_OPEN probe permit, so the first call is now a straggler.
     */
    private long admitInClosedThenTakeTheOnlyProbe(AdaptiveCircuitBreaker b) {
        long started = clock.millis();
        b.acquirePermission(null);
        fail(b, 20);
        clock.advance(Duration.ofHours(1));
        b.acquirePermission(null);
        return started;
    }
}
