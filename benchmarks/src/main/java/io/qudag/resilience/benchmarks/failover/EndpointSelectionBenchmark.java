package io.qudag.resilience.benchmarks.failover;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of choosing an endpoint for one call (among 3 and among 100 endpoints),
 * with every endpoint healthy and in a failover state (LOCAL endpoints failed over, so the group
 * spills load into the next tier), single-threaded and with two threads; plus choose-and-report (the
 * full per-call cost including the outcome's health indicators) and, as a floor, a random pick from an
 * array.
 *
 * <p>Layouts: 3 endpoints = LOCAL primary + replica, DISASTER_RECOVERY standby. 100 endpoints = 50
 * LOCAL (weights 1..5), 30 REGIONAL, 20 DISASTER_RECOVERY.
 *
 * <p>Run (from the repository root; the machine is shared, so runs are short):
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar EndpointSelectionBenchmark -prof gc \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff benchmarks/results/failover-endpoint-selection.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class EndpointSelectionBenchmark {

    @Param({"3", "100"})
    public int endpoints;

    @Param({"healthy", "failover"})
    public String state;

    private EndpointGroup group;
    private Endpoint[] array;
    private ToolCall call;

    @Setup(Level.Trial)
    public void setUp() {
        List<Endpoint> list = new ArrayList<>();
        if (endpoints == 3) {
            list.add(Endpoint.of("primary", FailoverTier.LOCAL, "http://127.0.0.1:1/mcp"));
            list.add(Endpoint.of("replica", FailoverTier.LOCAL, "http://127.0.0.1:2/mcp"));
            list.add(Endpoint.of("dr", FailoverTier.DISASTER_RECOVERY, "http://127.0.0.1:3/mcp"));
        } else {
            for (int i = 0; i < endpoints; i++) {
                FailoverTier tier = i < 50 ? FailoverTier.LOCAL : i < 80 ? FailoverTier.REGIONAL
                        : FailoverTier.DISASTER_RECOVERY;
                list.add(Endpoint.of("e" + i, tier, 1 + i % 5, "http://127.0.0.1:" + (1000 + i) + "/mcp"));
            }
        }
        group = EndpointGroup.builder("bench").clock(Clock.systemUTC()).endpoints(list).build();
        if (state.equals("failover")) {
            // Take LOCAL endpoints out through the decision engine (forced failover): with 3 endpoints the
            // primary (LOCAL keeps 70%, 30% spills to DR); with 100, 30 of the 50 LOCAL ones (LOCAL
            // health 1.4 × 40% = 56%, 44% spills to REGIONAL). The engine is not started: no background work.
            FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group).build();
            int victims = endpoints == 3 ? 1 : 30;
            for (int i = 0; i < victims; i++) {
                engine.forceFailover(list.get(i).id());
            }
            if (group.routing().tierLoadPercent().get(FailoverTier.LOCAL) == 100) {
                throw new IllegalStateException("setup: no spill-over " + group.routing());
            }
        }
        array = list.toArray(new Endpoint[0]);
        call = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);
    }

    @Benchmark
    @Threads(1)
    public Endpoint choose() {
        return group.choose(call);
    }

    @Benchmark
    @Threads(2)
    public Endpoint choose2Threads() {
        return group.choose(call);
    }

    /** The ordered ids to try (what the MCP client's EndpointSelector.select returns). */
    @Benchmark
    @Threads(1)
    public List<String> rank() {
        return group.rank(call);
    }

    /** choose + onOutcome(SUCCESS): what a client pays per call (routing plus health indicators). */
    @Benchmark
    @Threads(1)
    public Endpoint chooseAndReport() {
        Endpoint e = group.choose(call);
        group.onOutcome(e.id(), CallOutcome.SUCCESS, 12_000_000L);
        return e;
    }

    /** Floor: a uniformly random pick from an array (no weights, no tiers, no health). */
    @Benchmark
    @Threads(1)
    public Endpoint baselineRandomPick() {
        return array[ThreadLocalRandom.current().nextInt(array.length)];
    }

    /** Floor with two threads: shows what the shared 2-vCPU machine itself adds to the 2-thread rows. */
    @Benchmark
    @Threads(2)
    public Endpoint baselineRandomPick2Threads() {
        return array[ThreadLocalRandom.current().nextInt(array.length)];
    }
}
