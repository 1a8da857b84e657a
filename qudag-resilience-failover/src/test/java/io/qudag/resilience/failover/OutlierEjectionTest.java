package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outlier ejection: consecutive failures, success-rate outliers, backoff, max share. */
class OutlierEjectionTest {

    private final TestClock clock = new TestClock();

    private EndpointGroup group(EndpointGroupConfig config, int endpoints) {
        EndpointGroup.Builder b = EndpointGroup.builder("svc").clock(clock).config(config);
        for (int i = 0; i < endpoints; i++) {
            b.endpoint(Endpoint.of("e" + i, LOCAL, "x"));
        }
        return b.build();
    }

    private static void fail(EndpointGroup g, String id, int n) {
        for (int i = 0; i < n; i++) {
            g.onOutcome(id, CallOutcome.TIMEOUT, 1_000_000);
        }
    }

    @Test
    void fiveConsecutiveFailuresEjectForTheBaseTime() {
        EndpointGroup g = group(EndpointGroupConfig.defaults(), 3);
        fail(g, "e0", 4);
        g.onOutcome("e0", CallOutcome.SUCCESS, 1_000_000);
        fail(g, "e0", 4);
        assertThat(g.status("e0").state()).isEqualTo(EndpointState.HEALTHY);
        fail(g, "e0", 1);
        EndpointStatus s = g.status("e0");
        assertThat(s.state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(s.ejectionCount()).isEqualTo(1);
        assertThat(s.unavailableUntil()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(s.reason()).contains("consecutive_failures=5");
        assertThat(Traffic.healthy(g, 20, 5)).containsEntry("e0", 0);
        clock.advance(Duration.ofSeconds(29));
        g.tick();
        assertThat(g.status("e0").state()).isEqualTo(EndpointState.UNAVAILABLE);
        clock.advance(Duration.ofSeconds(1));
        g.tick();
        // No health probe configured: passive recovery starts the ramp.
        assertThat(g.status("e0").state()).isEqualTo(EndpointState.RAMPING);
        assertThat(g.status("e0").trafficFactor()).isEqualTo(0.1);
    }

    @Test
    void ejectionTimeIsBaseTimesCountCapped() {
        EndpointGroupConfig cfg = EndpointGroupConfig.builder().outlierDetection(OutlierDetectionConfig.builder()
                .baseEjectionTime(Duration.ofSeconds(30)).maxEjectionTime(Duration.ofSeconds(60)).build()).build();
        EndpointGroup g = group(cfg, 3);
        List<Duration> ejections = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            if (round == 0) {
                fail(g, "e0", 5);
            } else {
                fail(g, "e0", 3); // relapse during the ramp
            }
            EndpointStatus s = g.status("e0");
            assertThat(s.state()).isEqualTo(EndpointState.UNAVAILABLE);
            ejections.add(Duration.between(clock.instant(), s.unavailableUntil()));
            clock.advance(Duration.between(clock.instant(), s.unavailableUntil()));
            g.tick();
            assertThat(g.status("e0").state()).isEqualTo(EndpointState.RAMPING);
        }
        assertThat(ejections).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(g.status("e0").ejectionCount()).isEqualTo(3);
    }

    @Test
    void neverEjectsMoreThanTheMaxShare() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock).meterRegistry(registry)
                .config(EndpointGroupConfig.builder().outlierDetection(
                        OutlierDetectionConfig.builder().maxEjectionShare(0.2).build()).build())
                .endpoints(List.of(Endpoint.of("e0", LOCAL, "x"), Endpoint.of("e1", LOCAL, "x"),
                        Endpoint.of("e2", LOCAL, "x"), Endpoint.of("e3", LOCAL, "x"), Endpoint.of("e4", LOCAL, "x"),
                        Endpoint.of("e5", LOCAL, "x"), Endpoint.of("e6", LOCAL, "x"), Endpoint.of("e7", LOCAL, "x"),
                        Endpoint.of("e8", LOCAL, "x"), Endpoint.of("e9", LOCAL, "x")))
                .build();
        fail(g, "e0", 5);
        fail(g, "e1", 5);
        fail(g, "e2", 5);
        assertThat(g.status("e0").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(g.status("e1").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(g.status("e2").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(registry.get("qudag.resilience.failover.ejections").tag("endpoint", "e2").tag("kind", "skipped")
                .counter().count()).isEqualTo(1.0);
        fail(g, "e2", 99);
        assertThat(registry.get("qudag.resilience.failover.ejections").tag("endpoint", "e2").tag("kind", "skipped")
                .counter().count()).as("tried again at each crossing of 5, not on every failure").isEqualTo(20.0);
        g.tick(); // e0 and e1 stay out for their ejection time
        clock.advance(Duration.ofSeconds(30));
        g.tick(); // their ejections expire: they ramp back, which frees the cap
        fail(g, "e2", 1);
        assertThat(g.status("e2").state()).as("ejected at its next crossing").isEqualTo(EndpointState.UNAVAILABLE);
    }

    @Test
    void atLeastOneEjectionIsAllowedWhateverTheShare() {
        EndpointGroup g = group(EndpointGroupConfig.defaults(), 3); // 10% of 3 = 0, still one allowed
        fail(g, "e0", 5);
        fail(g, "e1", 5);
        assertThat(g.status("e0").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(g.status("e1").state()).isEqualTo(EndpointState.HEALTHY);
    }

    @Test
    void successRateOutlierIsEjectedAtTheInterval() {
        EndpointGroup g = group(EndpointGroupConfig.defaults(), 6);
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < 100; c++) {
                g.onOutcome("e" + i, CallOutcome.SUCCESS, 1_000_000);
            }
        }
        for (int c = 0; c < 100; c++) { // 70% success, never 5 failures in a row
            g.onOutcome("e5", c % 10 < 3 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000_000);
        }
        assertThat(g.status("e5").state()).isEqualTo(EndpointState.HEALTHY);
        clock.advance(Duration.ofSeconds(10));
        g.tick();
        EndpointStatus s = g.status("e5");
        assertThat(s.state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(s.reason()).contains("success_rate=0.700");
        for (int i = 0; i < 5; i++) {
            assertThat(g.status("e" + i).state()).isEqualTo(EndpointState.HEALTHY);
        }
    }

    @Test
    void successRateNeedsTheMinimumVolumeAndHosts() {
        EndpointGroup g = group(EndpointGroupConfig.defaults(), 6);
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < 99; c++) { // one short of the request volume
                g.onOutcome("e" + i, i == 5 && c % 2 == 0 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000_000);
            }
        }
        clock.advance(Duration.ofSeconds(10));
        g.tick();
        assertThat(g.status("e5").state()).isEqualTo(EndpointState.HEALTHY);
    }

    @Test
    void closeRemovesTheGroupsMetersAndRegistersNoMore() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EndpointGroup g = EndpointGroup.builder("closing").clock(clock).meterRegistry(registry)
                .endpoint(Endpoint.of("a", LOCAL, "x")).endpoint(Endpoint.of("b", LOCAL, "x")).build();
        fail(g, "a", 5);
        assertThat(registry.find("qudag.resilience.failover.endpoint.share").tag("group", "closing").gauges()).hasSize(2);
        assertThat(registry.find("qudag.resilience.failover.endpoint.state").tag("group", "closing").gauges()).hasSize(2);
        assertThat(registry.find("qudag.resilience.failover.ejections").tag("group", "closing").counters()).hasSize(1);
        g.close();
        g.close();
        assertThat(registry.find("qudag.resilience.failover.endpoint.share").tag("group", "closing").gauges()).isEmpty();
        assertThat(registry.find("qudag.resilience.failover.endpoint.state").tag("group", "closing").gauges()).isEmpty();
        assertThat(registry.find("qudag.resilience.failover.ejections").tag("group", "closing").counters()).isEmpty();
        fail(g, "b", 5); // an outlier it may not eject (max share): counted as "skipped" before close
        assertThat(g.choose(null).id()).as("still routes").isEqualTo("b");
        assertThat(registry.getMeters()).as("no meter after close").isEmpty();
    }
}
