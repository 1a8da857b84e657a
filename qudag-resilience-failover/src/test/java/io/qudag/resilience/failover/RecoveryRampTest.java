package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.failover.event.EndpointStateChangedEvent;
import io.qudag.resilience.failover.event.FailoverEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Recovery: checks every 10 s, 3 successes, 10% steps across 300 s, relapse (spec §1.2). */
class RecoveryRampTest {

    private final TestClock clock = new TestClock();
    private final Deque<Boolean> probeAnswers = new ArrayDeque<>();
    private final AtomicInteger probes = new AtomicInteger();
    private final List<FailoverEvent> events = new ArrayList<>();

    private EndpointGroup group() {
        return EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .healthProbe(e -> {
                    probes.incrementAndGet();
                    Boolean ok = probeAnswers.poll();
                    return CompletableFuture.completedFuture(ok != null && ok);
                })
                .listener(events::add)
                .build();
    }

    private static void eject(EndpointGroup g, String id) {
        for (int i = 0; i < 5; i++) {
            g.onOutcome(id, CallOutcome.TRANSPORT_ERROR, 1_000_000);
        }
    }

    /** A group whose endpoint "a" was ejected and passed 3 checks: it has just started ramping. */
    private EndpointGroup rampingGroup() {
        EndpointGroup g = group();
        eject(g, "a");
        probeAnswers.addAll(List.of(true, true, true));
        step(g, 30);
        step(g, 10);
        step(g, 10);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
        return g;
    }

    private void step(EndpointGroup g, int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        g.tick();
    }

    @Test
    void returnsAfterThreeConsecutiveChecksAndRampsInTenPercentStepsOver300Seconds() {
        EndpointGroup g = group();
        eject(g, "a");
        step(g, 29);
        assertThat(probes).hasValue(0);
        probeAnswers.addAll(List.of(true, false, true, true, true));
        step(g, 1); // ejection over: PROBING, first check (ok)
        assertThat(g.status("a").state()).isEqualTo(EndpointState.PROBING);
        assertThat(probes).hasValue(1);
        step(g, 5); // not yet 10 s: no check
        assertThat(probes).hasValue(1);
        step(g, 5); // check 2 fails: count resets
        step(g, 10); // ok 1
        step(g, 10); // ok 2
        assertThat(g.status("a").state()).isEqualTo(EndpointState.PROBING);
        step(g, 10); // ok 3 -> RAMPING
        assertThat(probes).hasValue(5);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
        assertThat(g.status("a").trafficFactor()).isEqualTo(0.1);
        assertThat(g.routing().share("a")).isCloseTo(0.1 / 1.1, org.assertj.core.data.Offset.offset(1e-9));

        List<Double> factors = new ArrayList<>();
        factors.add(g.status("a").trafficFactor());
        for (int t = 0; t < 10; t++) {
            Traffic.healthy(g, 20, 5); // healthy traffic during the ramp
            step(g, 30);
            factors.add(g.status("a").trafficFactor());
        }
        assertThat(factors).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(events).filteredOn(e -> e instanceof EndpointStateChangedEvent s && s.endpointId().equals("a")
                && s.to() == EndpointState.HEALTHY).singleElement()
                .satisfies(e -> assertThat(((EndpointStateChangedEvent) e).reason()).contains("ramp complete"));
    }

    @Test
    void relapseDuringTheRampRollsItBack() {
        EndpointGroup g = rampingGroup();
        step(g, 60);
        assertThat(g.status("a").trafficFactor()).isEqualTo(0.3);
        for (int i = 0; i < 3; i++) {
            g.onOutcome("a", CallOutcome.SERVER_ERROR, 1_000_000);
        }
        EndpointStatus s = g.status("a");
        assertThat(s.state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(s.reason()).startsWith("relapse");
        assertThat(s.ejectionCount()).isEqualTo(2);
        assertThat(s.unavailableUntil()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(g.routing().share("a")).isZero();
    }

    @Test
    void errorRateDuringTheRampIsARelapseToo() {
        EndpointGroup g = rampingGroup();
        for (int i = 0; i < 10; i++) { // 20% errors, never 3 in a row
            g.onOutcome("a", i % 5 == 0 ? CallOutcome.TIMEOUT : CallOutcome.SUCCESS, 1_000_000);
        }
        assertThat(g.status("a").state()).isEqualTo(EndpointState.RAMPING);
        step(g, 1);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(g.status("a").reason()).contains("error_rate=0.200");
    }
}
