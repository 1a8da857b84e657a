package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.CallOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** start() runs evaluation and recovery on the injected scheduler; close() stops it. */
class ScheduledEvaluationTest {

    @Test
    void scheduledEvaluationDrivesRecoveryAndStopsOnClose() throws Exception {
        TestClock clock = new TestClock();
        AtomicInteger probes = new AtomicInteger();
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .healthProbe(e -> {
                    probes.incrementAndGet();
                    return CompletableFuture.completedFuture(true);
                })
                .build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            FailoverDecisionEngine engine = FailoverDecisionEngine.builder(g).scheduler(scheduler)
                    .config(FailoverEngineConfig.builder().evaluationInterval(Duration.ofMillis(5)).build())
                    .build();
            g.onOutcome("a", CallOutcome.TRANSPORT_ERROR, 1);
            g.onOutcome("a", CallOutcome.TRANSPORT_ERROR, 1);
            assertThat(g.status("a").state()).isEqualTo(EndpointState.UNAVAILABLE);
            engine.start(); // after the assertion: a running evaluation may move it to PROBING at once
            // With a probe, checks start at the next evaluation; one per 10 s of (test) time.
            await().atMost(Duration.ofSeconds(5)).until(() -> g.status("a").state() == EndpointState.PROBING);
            await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() == 1);
            clock.advance(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() == 2);
            clock.advance(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> g.status("a").state() == EndpointState.RAMPING);
            assertThat(probes).hasValue(3);
            engine.close();
            clock.advance(Duration.ofSeconds(300));
            scheduler.submit(() -> null).get(5, TimeUnit.SECONDS); // a stopped engine has nothing queued
            assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void anErrorThrownByAnExtension_doesNotStopTheSchedule() throws Exception {
        AtomicInteger predictions = new AtomicInteger();
        EndpointGroup g = EndpointGroup.builder("svc").clock(new TestClock())
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (FailoverDecisionEngine engine = FailoverDecisionEngine.builder(g).scheduler(scheduler)
                .config(FailoverEngineConfig.builder().evaluationInterval(Duration.ofMillis(5)).build())
                .trendSignal(subject -> {
                    if (predictions.incrementAndGet() == 1) {
                        throw new AssertionError("broken trend model"); // an Error, not a RuntimeException
                    }
                    return java.util.Optional.empty();
                })
                .build()) {
            engine.start();
            // A task of scheduleAtFixedRate that throws is never run again: more calls mean it survived.
            await().atMost(Duration.ofSeconds(10)).until(() -> predictions.get() >= 6);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
