package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 16 threads against HALF_OPEN permits and the CLOSED counters (spec §3.1). */
class AdaptiveCircuitBreakerStressTest {

    private static final int THREADS = 16;
    private static final int PER_THREAD = 20_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void runAll(Runnable task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                task.run();
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void halfOpenPermitsAreNeverExceededAndCountersAddUp() throws Exception {
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("stress").clock(clock).meterRegistry(registry)
                .config(AdaptiveBreakerConfig.builder().halfOpenShare(0.1).halfOpenMaxConcurrentCalls(3)
                        .halfOpenSuccessThreshold(Integer.MAX_VALUE).build())
                .build();
        b.transitionToOpen(Duration.ofSeconds(1), "test");
        clock.advance(Duration.ofSeconds(1));
        b.tick();
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);

        AtomicInteger inflight = new AtomicInteger();
        AtomicInteger maxInflight = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong released = new AtomicLong();
        runAll(() -> {
            for (int i = 0; i < PER_THREAD; i++) {
                try {
                    b.acquirePermission(null);
                } catch (BreakerOpenException e) {
                    rejected.incrementAndGet();
                    continue;
                }
                admitted.incrementAndGet();
                int now = inflight.incrementAndGet();
                maxInflight.accumulateAndGet(now, Math::max);
                Thread.onSpinWait();
                inflight.decrementAndGet();
                if ((i & 1) == 0) {
                    completed.incrementAndGet();
                    b.onOutcome(null, CallOutcome.SUCCESS, 1_000, null);
                } else {
                    released.incrementAndGet();
                    b.releasePermission(null);
                }
            }
        });
        long total = (long) THREADS * PER_THREAD;
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(maxInflight.get()).as("concurrent probes").isBetween(1, 3);
        assertThat(admitted.get()).as("share").isLessThanOrEqualTo((long) Math.ceil(total * 0.1)).isPositive();
        assertThat(admitted.get() + rejected.get()).isEqualTo(total);
        assertThat(completed.get() + released.get()).isEqualTo(admitted.get());
        assertThat(registry.get("qudag.resilience.breaker.rejected").tag("state", "HALF_OPEN").counter().count())
                .isEqualTo(rejected.get());
        assertThat(registry.get("qudag.resilience.breaker.calls").tag("outcome", "SUCCESS").counter().count())
                .isEqualTo(completed.get());
    }

    @Test
    void closedWindowCountsEveryCallFromSixteenThreads() throws Exception {
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("window").clock(clock).meterRegistry(registry)
                .config(AdaptiveBreakerConfig.builder().baseFailureThreshold(1.0).maxFailureThreshold(1.0)
                        .slowCallRateThreshold(1.0).build())
                .build();
        runAll(() -> {
            for (int i = 0; i < PER_THREAD; i++) {
                b.acquirePermission(null);
                b.onOutcome(null, i % 4 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000, null);
            }
        });
        long total = (long) THREADS * PER_THREAD;
        BreakerSnapshot s = b.snapshot();
        assertThat(s.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(s.callsInWindow()).isEqualTo(total);
        assertThat(s.failureRate()).isEqualTo(0.25);
        assertThat(registry.get("qudag.resilience.breaker.calls").tag("outcome", "SERVER_ERROR").counter().count()
                + registry.get("qudag.resilience.breaker.calls").tag("outcome", "SUCCESS").counter().count())
                .isEqualTo(total);
    }

    /** Sixteen threads roll the window's buckets over while they record: no call is lost to a recycle. */
    @Test
    void closedWindowLosesNoCallWhenBucketsRollOverUnderSixteenThreads() throws Exception {
        AtomicLong ticker = new AtomicLong(0);
        AdaptiveCircuitBreaker onTicker = AdaptiveCircuitBreaker.builder("ticker")
                .ticker(() -> ticker.getAndAdd(100_000L)) // 100 µs a reading: a 10 s bucket per 100,000 calls
                .config(AdaptiveBreakerConfig.builder().baseFailureThreshold(1.0).maxFailureThreshold(1.0)
                        .slowCallRateThreshold(1.0).windowBuckets(600).build()) // 1 s buckets: a roll per 10,000
                .build();
        AtomicLong endReadings = new AtomicLong(System.nanoTime() - Duration.ofMinutes(5).toNanos());
        AdaptiveCircuitBreaker onEndReadings = AdaptiveCircuitBreaker.builder("end-readings")
                .config(AdaptiveBreakerConfig.builder().baseFailureThreshold(1.0).maxFailureThreshold(1.0)
                        .slowCallRateThreshold(1.0).windowBuckets(600).build())
                .build();
        runAll(() -> {
            for (int i = 0; i < PER_THREAD; i++) {
                onTicker.acquirePermission(null);
                onTicker.onOutcome(null, i % 4 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000, null);
                onEndReadings.acquirePermission(null);
                onEndReadings.onOutcome(null, CallOutcome.SUCCESS, 1_000, endReadings.getAndAdd(100_000L), null);
            }
        });
        long total = (long) THREADS * PER_THREAD;
        assertThat(ticker.get()).as("a reading a call (and one a roll): 32 one-second buckets").isGreaterThanOrEqualTo(32_000_000_000L);
        BreakerSnapshot s = onTicker.snapshot();
        assertThat(s.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(s.callsInWindow()).isEqualTo(total);
        assertThat(s.failureRate()).isEqualTo(0.25);
        assertThat(onEndReadings.snapshot().callsInWindow()).isEqualTo(total);
    }
}
