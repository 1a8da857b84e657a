package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monotonic coarse ticker, and adaptive breakers timed on it (spec §3.1): they open, probe, ramp
 * and close as breakers on the precise ticker do, the probe's duration measured precisely included.
 */
class CoarseTickerTest {

    private static final long MS = 1_000_000L;
    private static final Duration RESOLUTION = Duration.ofMillis(10);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private CoarseTicker coarse;
    private long lastRefresh;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Moves the manual time; the coarse ticker samples it only once a resolution has passed, so it lags. */
    private void advance(long deltaNanos) {
        nanos.addAndGet(deltaNanos);
        if (nanos.get() - lastRefresh >= RESOLUTION.toNanos()) {
            coarse.refresh();
            lastRefresh = nanos.get();
        }
    }

    private static AdaptiveBreakerConfig config() {
        return AdaptiveBreakerConfig.builder().minimumNumberOfCalls(10).halfOpenShare(1.0)
                .halfOpenMaxConcurrentCalls(1).halfOpenSuccessThreshold(1).recoveryMinimumCalls(3)
                .recoveryPeriod(Duration.ofSeconds(60)).systemLoad(1.0, 1.0).build();
    }

    private static boolean admitted(AdaptiveCircuitBreaker b) {
        try {
            b.acquirePermission(null);
            return true;
        } catch (BreakerOpenException refused) {
            return false;
        }
    }

    @Test
    void breakersOnTheCoarseTickerOpenProbeRampAndCloseAsBreakersOnThePreciseTickerDo() {
        coarse = CoarseTicker.driven(nanos::get, RESOLUTION);
        lastRefresh = nanos.get();
        AdaptiveCircuitBreaker precise = AdaptiveCircuitBreaker.builder("precise").config(config())
                .ticker(nanos::get).build();
        AdaptiveCircuitBreaker onCoarse = AdaptiveCircuitBreaker.builder("coarse").config(config())
                .ticker(coarse).build();
        List<BreakerState> preciseStates = new ArrayList<>();
        List<BreakerState> coarseStates = new ArrayList<>();

        for (int i = 0; i < 12; i++) { // failures 3 ms apart: the coarse ticker lags by up to 10 ms
            advance(3 * MS);
            for (AdaptiveCircuitBreaker b : List.of(precise, onCoarse)) {
                if (admitted(b)) {
                    b.onOutcome(null, CallOutcome.SERVER_ERROR, 2 * MS, null);
                }
            }
            preciseStates.add(precise.state());
            coarseStates.add(onCoarse.state());
        }
        assertThat(precise.state()).isEqualTo(BreakerState.OPEN);

        advance(Duration.ofHours(1).toNanos()); // past any open time
        assertThat(admitted(precise)).isTrue();
        assertThat(admitted(onCoarse)).isTrue();
        preciseStates.add(precise.state());
        coarseStates.add(onCoarse.state());
        for (int ms = 0; ms < 15; ms++) {
            advance(MS); // the probe runs 15 ms; the coarse ticker saw only 10 of them
        }
        for (AdaptiveCircuitBreaker b : List.of(precise, onCoarse)) {
            b.onOutcome(null, CallOutcome.SUCCESS, 15 * MS, null); // measured precisely by the caller
        }
        assertThat(onCoarse.state()).as("the probe counts: the slack covers the ticker's lag")
                .isEqualTo(BreakerState.RECOVERY);

        for (int step = 0; step < 120; step++) { // the ramp: one call a second until CLOSED
            advance(Duration.ofSeconds(1).toNanos());
            boolean p = admitted(precise);
            boolean c = admitted(onCoarse);
            assertThat(c).as("admission at ramp step %d", step).isEqualTo(p);
            if (p) {
                precise.onOutcome(null, CallOutcome.SUCCESS, 5 * MS, null);
                onCoarse.onOutcome(null, CallOutcome.SUCCESS, 5 * MS, null);
            }
            preciseStates.add(precise.state());
            coarseStates.add(onCoarse.state());
        }
        assertThat(precise.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(coarseStates).isEqualTo(preciseStates);
    }

    @Test
    void theStragglerSlackScalesWithTheResolution() {
        coarse = CoarseTicker.driven(nanos::get, Duration.ofMillis(50));
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("coarse").config(config()).ticker(coarse).build();
        b.transitionToOpen(null, "test");
        b.transitionToHalfOpen("test");
        assertThat(admitted(b)).isTrue();
        nanos.addAndGet(90 * MS); // the ticker was not refreshed: it lags 90 ms, within 2 × 50 ms

        b.onOutcome(null, CallOutcome.SUCCESS, 90 * MS, null);

        assertThat(b.state()).isEqualTo(BreakerState.RECOVERY);
    }

    @Test
    void aDrivenTickerMovesOnlyOnRefreshAndAClosedOneAnswersFromItsSource() {
        CoarseTicker t = CoarseTicker.driven(nanos::get, RESOLUTION);
        long first = t.getAsLong();
        nanos.addAndGet(5 * MS);
        assertThat(t.getAsLong()).isEqualTo(first);
        t.refresh();
        assertThat(t.getAsLong()).isEqualTo(first + 5 * MS);
        t.close();
        nanos.addAndGet(MS);
        assertThat(t.getAsLong()).as("closed: never frozen").isEqualTo(first + 6 * MS);
        assertThat(t.resolution()).isEqualTo(RESOLUTION);
    }

    @Test
    void aStartedTickerSamplesItsSourceOnItsOwnDaemonThreadUntilClosed() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CoarseTicker t = CoarseTicker.start(nanos::get, Duration.ofMillis(1), r -> {
            Thread th = new Thread(r, "test-ticker");
            threads.add(th);
            return th;
        });
        toClose.add(t);
        long first = t.getAsLong();
        nanos.addAndGet(7 * MS);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.getAsLong() == first + 7 * MS);
        assertThat(threads).hasSize(1);
        assertThat(threads.get(0).isDaemon()).isTrue();
        t.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !threads.get(0).isAlive());
        assertThat(t.isRefreshing()).isFalse();
    }

    @Test
    void sharedTickersOfOneResolutionShareOneRefresherThatEndsWithTheLastHandle() {
        Duration resolution = Duration.ofMillis(3);
        CoarseTicker a = CoarseTicker.shared(resolution);
        CoarseTicker b = CoarseTicker.shared(resolution);
        toClose.add(a);
        toClose.add(b);
        String name = "qudag-coarse-ticker-" + resolution;
        assertThat(refreshers(name)).hasSize(1);
        Thread refresher = refreshers(name).get(0);
        assertThat(refresher.isDaemon()).isTrue();
        long before = a.getAsLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.getAsLong() > before);
        long read = a.getAsLong();
        assertThat(read).as("monotonic, behind System.nanoTime()").isLessThanOrEqualTo(System.nanoTime());
        a.close();
        a.close(); // idempotent: does not take b's share
        assertThat(b.isRefreshing()).isTrue();
        b.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !refresher.isAlive());
        CoarseTicker c = CoarseTicker.shared(resolution);
        toClose.add(c);
        assertThat(c.isRefreshing()).as("a new handle starts a new refresher").isTrue();
    }

    private static List<Thread> refreshers(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).toList();
    }

    @Test
    void aPipelineAndItsBreakerTimedOnOneCoarseTickerOpenOnFailures() {
        coarse = CoarseTicker.driven(nanos::get, RESOLUTION);
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("coarse").config(config()).ticker(coarse).build();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(b).nanoTime(coarse).build();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> p.execute(() -> {
                throw new IllegalStateException("down");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        assertThatThrownBy(() -> p.execute(() -> "ok")).isInstanceOf(BreakerOpenException.class);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> CoarseTicker.shared(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolution").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CoarseTicker.shared(null)).hasMessageContaining("resolution");
        assertThatThrownBy(() -> CoarseTicker.driven(null, RESOLUTION)).hasMessageContaining("source");
        assertThatThrownBy(() -> CoarseTicker.start(nanos::get, RESOLUTION, null))
                .hasMessageContaining("threadFactory");
    }
}
