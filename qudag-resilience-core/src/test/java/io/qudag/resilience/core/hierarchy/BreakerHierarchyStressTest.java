package io.qudag.resilience.core.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 16 threads through one 5-level path whose regional breaker is probing (spec §3.2). */
class BreakerHierarchyStressTest {

    private static final int THREADS = 16;
    private static final int PER_THREAD = 10_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void probingRegionNeverExceedsItsPermitsAndCountsAddUp() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BreakerHierarchy h = BreakerHierarchy.builder().clock(new MutableClock()).meterRegistry(registry)
                .pathResolver(PathResolver.standard(Map.of("eu-1", "eu-west"), null))
                .config(BreakerHierarchyConfig.builder().levelConfig(BreakerLevel.REGIONAL, AdaptiveBreakerConfig
                        .builder().halfOpenShare(0.5).halfOpenMaxConcurrentCalls(2)
                        .halfOpenSuccessThreshold(Integer.MAX_VALUE).build()).build())
                .build();
        ToolCall call = ToolCall.builder("search").endpointId("eu-1").serviceId("svc").build();
        HierarchyPath path = h.pathFor(call);
        AdaptiveCircuitBreaker region = path.breakers().get(1);
        region.transitionToOpen(null, "test");
        region.transitionToHalfOpen("test");

        AtomicInteger inflight = new AtomicInteger();
        AtomicInteger maxInflight = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong wrongLevel = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PER_THREAD; i++) {
                    try {
                        h.acquirePermission(call);
                    } catch (HierarchyRejectedException e) {
                        rejected.incrementAndGet();
                        if (e.level() != BreakerLevel.REGIONAL) {
                            wrongLevel.incrementAndGet();
                        }
                        continue;
                    }
                    admitted.incrementAndGet();
                    maxInflight.accumulateAndGet(inflight.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    inflight.decrementAndGet();
                    h.onOutcome(call, CallOutcome.SUCCESS, 1_000, null);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        long total = (long) THREADS * PER_THREAD;
        assertThat(region.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(maxInflight.get()).isBetween(1, 2);
        assertThat(admitted.get() + rejected.get()).isEqualTo(total);
        assertThat(admitted.get()).isLessThanOrEqualTo(total / 2).isPositive();
        assertThat(wrongLevel).hasValue(0);
        assertThat(registry.get("qudag.resilience.hierarchy.rejected").tag("level", "REGIONAL").counter().count())
                .isEqualTo(rejected.get());
        AdaptiveCircuitBreaker service = path.breakers().get(3);
        assertThat(service.snapshot().callsInWindow()).as("the service counted every admitted call")
                .isEqualTo(admitted.get());
    }
}
