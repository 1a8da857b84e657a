package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.health.distributed.AggregateHealth;
import io.qudag.resilience.health.distributed.ConsensusConfig;
import io.qudag.resilience.health.distributed.ConsensusDecision;
import io.qudag.resilience.health.distributed.HealthConsensus;
import io.qudag.resilience.health.distributed.HealthCoordinator;
import io.qudag.resilience.health.distributed.HealthVerdict;
import io.qudag.resilience.health.distributed.HealthVote;
import io.qudag.resilience.health.distributed.InProcessVoteTransport;
import io.qudag.resilience.health.distributed.LocalHealthAgent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthConsensusTest {

    private final MutableClock clock = new MutableClock();
    private final ExecutorService voters = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ConsensusConfig fast = ConsensusConfig.builder().timeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        voters.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Members n1..nk, each voting all four criteria at the given score. */
    private InProcessVoteTransport transport(double... scores) {
        Map<String, InProcessVoteTransport.Voter> m = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            String name = "n" + (i + 1);
            double s = scores[i];
            m.put(name, (subject, round) -> HealthVote.of(name, subject, round, s, s, s, s));
        }
        return new InProcessVoteTransport(m, voters);
    }

    private ConsensusDecision decide(ConsensusConfig config, InProcessVoteTransport t) throws Exception {
        return new HealthConsensus(config, t, scheduler, clock).assess("mcp-a").toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void threeNodesAgreeOnHealthyByMajority() throws Exception {
        ConsensusDecision d = decide(fast, transport(90, 80, 30));
        assertThat(d.outcome()).isEqualTo(ConsensusDecision.Outcome.DECIDED);
        assertThat(d.verdict()).hasValue(HealthVerdict.HEALTHY);
        assertThat(d.verdict().orElseThrow().action()).isEqualTo("maintain_current_operations");
        assertThat(d.ballots()).hasSize(3);
        assertThat(d.timedOut()).isEmpty();
    }

    @Test
    void unhealthyNeedsASupermajority() throws Exception {
        assertThat(decide(fast, transport(10, 20, 90)).verdict()).as("2 of 3 >= 0.66").hasValue(HealthVerdict.UNHEALTHY);
        // 3 of 5 unhealthy is a majority but not 0.66: the cluster only agrees it is not healthy
        assertThat(decide(fast, transport(10, 20, 30, 90, 95)).verdict()).hasValue(HealthVerdict.DEGRADED);
        ConsensusDecision four = decide(fast, transport(10, 20, 30, 35, 95));
        assertThat(four.verdict()).hasValue(HealthVerdict.UNHEALTHY);
        assertThat(four.verdict().orElseThrow().monitoringFrequency()).isEqualTo("maximum");
    }

    @Test
    void fiveNodesWithSplitVotes() throws Exception {
        assertThat(decide(fast, transport(90, 85, 60, 50, 20)).verdict()).as("2 healthy, 2 degraded, 1 unhealthy")
                .hasValue(HealthVerdict.DEGRADED);
        assertThat(decide(fast, transport(90, 85, 80, 50, 20)).verdict()).hasValue(HealthVerdict.HEALTHY);
    }

    @Test
    void aNodeThatTimesOutCountsButAgreesWithNothing() throws Exception {
        InProcessVoteTransport five = transport(90, 85, 60, 50, 88);
        five.partition("n5", true);
        ConsensusDecision d = decide(fast, five);
        assertThat(d.timedOut()).containsExactly("n5");
        assertThat(d.members()).isEqualTo(5);
        assertThat(d.outcome()).as("2 healthy, 2 degraded of 5").isEqualTo(ConsensusDecision.Outcome.NO_AGREEMENT);
        assertThat(d.verdict()).isEmpty();

        InProcessVoteTransport three = transport(90, 85, 80);
        three.partition("n2", true);
        ConsensusDecision q = decide(fast, three);
        assertThat(q.outcome()).as("2 ballots < 3 nodes").isEqualTo(ConsensusDecision.Outcome.NO_QUORUM);
        assertThat(q.timedOut()).containsExactly("n2");
    }

    @Test
    void weightsChangeTheOutcome() throws Exception {
        Map<String, InProcessVoteTransport.Voter> m = new LinkedHashMap<>();
        for (String n : List.of("a", "b", "c")) {
            m.put(n, (subject, round) -> HealthVote.of(n, subject, round, 100, 50, 50, 50));
        }
        InProcessVoteTransport t = new InProcessVoteTransport(m, voters);
        ConsensusDecision spec = decide(fast, t);
        assertThat(spec.ballots().get("a").score()).isEqualTo(70.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(spec.verdict()).hasValue(HealthVerdict.DEGRADED);
        ConsensusConfig trustSelf = ConsensusConfig.builder().timeout(Duration.ofSeconds(2)).weights(0.7, 0.1, 0.1, 0.1)
                .build();
        ConsensusDecision self = decide(trustSelf, t);
        assertThat(self.ballots().get("a").score()).isEqualTo(85.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(self.verdict()).hasValue(HealthVerdict.HEALTHY);
    }

    @Test
    void fewerThanThreeNodesAreRefused() {
        assertThatThrownBy(() -> new HealthConsensus(fast, transport(90, 90), scheduler, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("members must be at least minimumNodes (3) for health consensus, was 2 [n1, n2]");
        assertThatThrownBy(() -> ConsensusConfig.builder().minimumNodes(2).build())
                .hasMessage("minimumNodes must be >= 3, was 2");
        assertThatThrownBy(() -> ConsensusConfig.builder().weights(0.4, 0.3, 0.2, 0.2).build())
                .hasMessageStartingWith("weights must sum to 1, was 1.09").hasMessageEndingWith("userExperience 0.2)");
        assertThatThrownBy(() -> ConsensusConfig.builder().timeout(Duration.ofSeconds(-1)).build())
                .hasMessage("timeout must be > 0, was PT-1S");
        assertThatThrownBy(() -> ConsensusConfig.builder().decisionThreshold(0.4).build())
                .hasMessage("decisionThreshold must be in (0.5, 1], was 0.4");
        assertThat(ConsensusConfig.defaults()).isEqualTo(new ConsensusConfig(Duration.ofSeconds(30),
                Duration.ofSeconds(10), 3, 0.66, 0.4, 0.3, 0.2, 0.1));
    }

    @Test
    void agentsVoteWithTheirOwnScoresAndCoordinatorsCompose() throws Exception {
        HealthMonitoringSystem[] systems = new HealthMonitoringSystem[3];
        Map<String, InProcessVoteTransport.Voter> m = new LinkedHashMap<>();
        LocalHealthAgent[] agents = new LocalHealthAgent[3];
        double[] p95 = {100, 150, 2500};
        for (int i = 0; i < 3; i++) {
            systems[i] = HealthMonitoringSystem.builder().clock(clock).build();
            systems[i].record("mcp-a", MetricSpecs.RESPONSE_TIME_P95, p95[i]);
            systems[i].evaluate();
            agents[i] = new LocalHealthAgent("host" + i, systems[i]);
            m.put("host" + i, agents[i].voter(s -> OptionalDouble.empty(), s -> OptionalDouble.empty(),
                    s -> OptionalDouble.empty()));
        }
        List<ConsensusDecision> seen = new CopyOnWriteArrayList<>();
        HealthConsensus c = new HealthConsensus(fast, new InProcessVoteTransport(m, voters), scheduler, clock);
        c.addListener(seen::add);
        ConsensusDecision d = c.assess("mcp-a").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(d.verdict()).hasValue(HealthVerdict.HEALTHY);
        assertThat(d.ballots().get("host2").verdict()).isEqualTo(HealthVerdict.UNHEALTHY);
        assertThat(seen).containsExactly(d);
        assertThat(c.lastDecision("mcp-a")).hasValue(d);

        HealthCoordinator region = HealthCoordinator.regional("eu", List.of(agents[0], agents[1], agents[2]));
        AggregateHealth eu = region.aggregate();
        assertThat(eu.level()).isEqualTo(AggregateHealth.Level.REGIONAL);
        assertThat(eu.unhealthy()).isEqualTo(1);
        assertThat(eu.score().getAsDouble()).as("mean of 95, 92.5 and 0, below the cap 100 x 2/3")
                .isEqualTo(62.5, org.assertj.core.api.Assertions.within(1e-9));
        AggregateHealth capped = HealthCoordinator.regional("ap", List.of(
                () -> new AggregateHealth("x", AggregateHealth.Level.LOCAL, HealthStatus.EXCELLENT, OptionalDouble.of(100), 0, List.of()),
                () -> new AggregateHealth("y", AggregateHealth.Level.LOCAL, HealthStatus.CRITICAL, OptionalDouble.of(39), 1, List.of())))
                .aggregate();
        assertThat(capped.score().getAsDouble()).as("one of two hosts critical caps the region at 50").isEqualTo(50.0);
        AggregateHealth empty = HealthCoordinator.regional("us", List.of(
                new LocalHealthAgent("idle", HealthMonitoringSystem.builder().clock(clock).build()))).aggregate();
        assertThat(empty.status()).isEqualTo(HealthStatus.UNKNOWN);
        AggregateHealth global = HealthCoordinator.global("global", List.of(region, () -> empty)).aggregate();
        assertThat(global.level()).isEqualTo(AggregateHealth.Level.GLOBAL);
        assertThat(global.score().getAsDouble()).isEqualTo(eu.score().getAsDouble());
        assertThat(global.parts()).hasSize(2);
    }
}
