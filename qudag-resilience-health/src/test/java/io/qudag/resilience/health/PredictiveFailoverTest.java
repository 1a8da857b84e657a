package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverCondition;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.FailoverTrigger;
import io.qudag.resilience.failover.event.DecisionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover engine's predictive trigger fed by this module: a primary whose p95 climbs steadily
 * loses traffic before its p95 reaches the critical threshold, and the audit line names the prediction.
 */
class PredictiveFailoverTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private FailoverDecisionEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void climbingLatencyShiftsTrafficBeforeCritical() throws Exception {
        EndpointGroup group = EndpointGroup.builder("search").clock(clock)
                .tier(FailoverTier.LOCAL, Endpoint.of("primary", FailoverTier.LOCAL, "http://primary/mcp"),
                        Endpoint.of("replica", FailoverTier.LOCAL, "http://replica/mcp"))
                .build();
        HealthMonitoringSystem health = HealthMonitoringSystem.builder().clock(clock).build();
        List<FailoverDecision> decisions = new CopyOnWriteArrayList<>();
        Path audit = dir.resolve("failover.jsonl");
        engine = FailoverDecisionEngine.builder(group).clock(clock).trendSignal(health).auditFile(audit)
                .listener(e -> {
                    if (e instanceof DecisionEvent d) {
                        decisions.add(d.decision());
                    }
                }).build();
        Random r = new Random(5);
        double p95 = 0;
        for (int t = 0; t < 300 && decisions.isEmpty(); t++) {
            clock.advance(Duration.ofSeconds(1));
            p95 = 300 + 4.0 * t + 5 * r.nextGaussian();
            health.record("primary", MetricSpecs.RESPONSE_TIME_P95, p95);
            health.record("replica", MetricSpecs.RESPONSE_TIME_P95, 150 + 5 * r.nextGaussian());
            health.evaluate();
            engine.evaluate();
        }
        assertThat(decisions).isNotEmpty();
        FailoverDecision d = decisions.get(0);
        assertThat(d.trigger()).isEqualTo(FailoverTrigger.PREDICTIVE);
        assertThat(d.condition()).isEqualTo(FailoverCondition.TREND_PREDICTS_FAILURE);
        assertThat(d.sourceEndpointId()).isEqualTo("primary");
        assertThat(d.reason()).contains("response_time_p95 rising");
        assertThat(p95).as("p95 when traffic moved").isLessThan(MetricSpecs.responseTimeP95().critical());
        assertThat(group.status("primary").trafficFactor()).isLessThan(1.0);
        assertThat(Files.readString(audit)).contains("response_time_p95 rising");
        health.close();
    }
}
