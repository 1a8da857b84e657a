package io.qudag.resilience.benchmarks.failover;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one immediate failover decision and its one-step rollback (two {@link FailoverDecision}s per
 * operation): coordinator (in-process), state change, routing table rebuild, targets, history,
 * listeners and the SLF4J/Jackson audit line (no file). The spec's budgets are 100 ms for the decision
 * and 500 ms for the execution; this shows how much of them the engine itself uses.
 *
 * <pre>
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar FailoverDecisionBenchmark -prof gc \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff benchmarks/results/failover-decision.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FailoverDecisionBenchmark {

    @Param({"3", "100"})
    public int endpoints;

    private FailoverDecisionEngine engine;
    private String victim;

    @Setup(Level.Trial)
    public void setUp() {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            FailoverTier tier = endpoints == 3 ? (i < 2 ? FailoverTier.LOCAL : FailoverTier.DISASTER_RECOVERY)
                    : i < 50 ? FailoverTier.LOCAL : i < 80 ? FailoverTier.REGIONAL : FailoverTier.DISASTER_RECOVERY;
            list.add(Endpoint.of("e" + i, tier, 1 + i % 5, "http://127.0.0.1:" + (1000 + i) + "/mcp"));
        }
        EndpointGroup group = EndpointGroup.builder("bench").clock(Clock.systemUTC()).endpoints(list).build();
        engine = FailoverDecisionEngine.builder(group).build();
        victim = list.get(0).id();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public FailoverDecision forceFailoverAndRollback() {
        engine.forceFailover(victim);
        return engine.rollback().orElseThrow();
    }
}
