package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A health check that never answers counts as failed after the check interval (spec §1.2 recovery). */
class ProbeTimeoutTest {

    private final TestClock clock = new TestClock();
    private final AtomicInteger probes = new AtomicInteger();
    /** Answers in order; when empty, every check answers {@code true} at once. */
    private final Deque<CompletionStage<Boolean>> answers = new ArrayDeque<>();

    private EndpointGroup group() {
        return EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .healthProbe(e -> {
                    probes.incrementAndGet();
                    CompletionStage<Boolean> next = answers.poll();
                    return next != null ? next : CompletableFuture.completedFuture(true);
                })
                .build();
    }

    private void step(EndpointGroup g, int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        g.tick();
    }

    private static void ejectAndStartProbing(ProbeTimeoutTest t, EndpointGroup g) {
        for (int i = 0; i < 5; i++) {
            g.onOutcome("a", CallOutcome.TRANSPORT_ERROR, 1_000_000);
        }
        assertThat(g.status("a").state()).isEqualTo(EndpointState.UNAVAILABLE);
        t.step(g, 30); // ejection over: PROBING, first check starts
        assertThat(g.status("a").state()).isEqualTo(EndpointState.PROBING);
        assertThat(t.probes).hasValue(1);
    }

    @Test
    void checkThatNeverAnswers_countsAsFailedAfterTheInterval_isCancelled_andChecksGoOn() {
        EndpointGroup g = group();
        CompletableFuture<Boolean> hung = new CompletableFuture<>();
        answers.add(hung);
        ejectAndStartProbing(this, g);

        step(g, 5); // still within the interval: the check is still in flight
        assertThat(probes).hasValue(1);
        assertThat(hung).isNotDone();

        step(g, 5); // the interval is over: the hung check failed, the next one starts
        assertThat(hung).as("the timed-out check is cancelled").isCancelled();
        assertThat(probes).hasValue(2);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.PROBING);

        step(g, 10);
        step(g, 10); // three answered checks in a row
        assertThat(probes).hasValue(4);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
    }

    @Test
    void lateAnswerOfATimedOutCheck_isIgnored() {
        EndpointGroup g = group();
        // A stage that cannot be cancelled from outside: the group's cancel does not reach it.
        CompletableFuture<Boolean> source = new CompletableFuture<>();
        answers.add(source.minimalCompletionStage());
        ejectAndStartProbing(this, g);

        step(g, 10); // timed out; check 2 answers true (1 success)
        assertThat(probes).hasValue(2);
        source.complete(true); // too late: not a success, and not the answer of check 2
        step(g, 10); // check 3: 2 successes
        assertThat(probes).hasValue(3);
        assertThat(g.status("a").state()).as("only two checks answered in time").isEqualTo(EndpointState.PROBING);
        step(g, 10); // check 4: 3 successes
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
    }

    @Test
    void probeThatThrowsOrReturnsNoStage_isAFailedCheck_notAStuckOne() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .healthProbe(e -> {
                    int n = probes.incrementAndGet();
                    if (n == 1) {
                        return null;
                    }
                    if (n == 2) {
                        throw new IllegalStateException("probe broken");
                    }
                    return CompletableFuture.completedFuture(true);
                })
                .build();
        ejectAndStartProbing(this, g);
        step(g, 10);
        assertThat(probes).hasValue(2);
        step(g, 10);
        step(g, 10);
        step(g, 10);
        assertThat(probes).hasValue(5);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
    }
}
