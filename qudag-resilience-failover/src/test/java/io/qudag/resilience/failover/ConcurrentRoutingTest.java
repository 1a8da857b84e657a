package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.DISASTER_RECOVERY;
import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.failover.event.DecisionEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** 32 concurrent callers while the primary dies: one decision, no call after it reaches the primary. */
class ConcurrentRoutingTest {

    @Test
    void manyCallersOneImmediateDecisionAndCountsAddUp() throws Exception {
        EndpointGroup g = EndpointGroup.builder("svc").clock(Clock.systemUTC())
                .tier(LOCAL, Endpoint.of("primary", LOCAL, "x"), Endpoint.of("replica", LOCAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
        List<FailoverDecision> decisions = new CopyOnWriteArrayList<>();
        try (FailoverDecisionEngine engine = FailoverDecisionEngine.builder(g)
                .listener(e -> {
                    if (e instanceof DecisionEvent d) {
                        decisions.add(d.decision());
                    }
                }).build()) {
            int threads = 32;
            int callsPerThread = 2_000;
            Map<String, AtomicLong> chosen = new ConcurrentHashMap<>();
            AtomicLong primaryAfterDecision = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        boolean decided = !decisions.isEmpty();
                        Endpoint e = g.choose(null);
                        chosen.computeIfAbsent(e.id(), k -> new AtomicLong()).incrementAndGet();
                        if (e.id().equals("primary")) {
                            if (decided) {
                                primaryAfterDecision.incrementAndGet();
                            }
                            // the primary is dead: connection refused
                            g.onOutcome("primary", CallOutcome.TRANSPORT_ERROR, 10_000_000);
                        } else {
                            g.onOutcome(e.id(), CallOutcome.SUCCESS, 2_000_000);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            long total = chosen.values().stream().mapToLong(AtomicLong::get).sum();
            assertThat(total).isEqualTo((long) threads * callsPerThread);
            assertThat(decisions).hasSize(1);
            assertThat(engine.decisions()).containsExactlyElementsOf(decisions);
            assertThat(decisions.get(0).condition()).isEqualTo(FailoverCondition.SERVER_UNREACHABLE);
            assertThat(g.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
            // A caller that saw the decision published before choosing never got the primary.
            assertThat(primaryAfterDecision).hasValue(0);
            assertThat(g.routing().share("primary")).isZero();
        }
    }
}
