package io.qudag.resilience.benchmarks.mcp;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.breaker.CoarseTicker;
import io.qudag.resilience.mcp.LatencyRoutingConfig;
import io.qudag.resilience.mcp.internal.LatencyAwareSelector;
import io.qudag.resilience.mcp.internal.RetryBudget;
import io.qudag.resilience.mcp.spi.PriorityEndpointSelector;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The routing part of one successful MCP tool call, as the client runs it: today's ordering
 * ({@code PriorityEndpointSelector}: {@code select} then {@code onOutcome}) against the success path
 * with the retry budget and the latency-aware picker ({@code RetryBudget.deposit}, {@code select} by
 * power of two choices on peak EWMA × in-flight, {@code onAttemptStart}, {@code onAttemptEnd},
 * {@code onOutcome} feeding the EWMAs and, once per 500 ms, the outlier analysis; the in-flight load is
 * read from the transports' maps of pending requests, which today's path keeps too). Three endpoints:
 * {@code tiers=own} is the default layout (each endpoint its own tier: the picker returns the configured
 * order), {@code tiers=shared} puts all three in one tier (a real two-choice pick on every call).
 *
 * <p>As in the client on the system clock: the picker reads a 1 ms {@link CoarseTicker} (a volatile
 * read) and the budget's deposit takes the call's own clock reading (in the client the reading made for
 * the call's deadline, which today's path makes too; here a reading of the same ticker), so the success
 * path adds no clock read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class McpPickerBenchmark {

    private static final List<String> IDS = List.of("a", "b", "c");
    private static final ToolCall CALL = ToolCall.builder("read").hints(ToolHints.READ_ONLY).build();

    @Param({"own", "shared"})
    public String tiers;

    private PriorityEndpointSelector today;
    private LatencyAwareSelector picker;
    private RetryBudget budget;
    private CoarseTicker ticker;
    private long latency;

    @Setup
    public void setUp() {
        today = new PriorityEndpointSelector(IDS);
        int[] t = "own".equals(tiers) ? new int[] {0, 1, 2} : new int[] {0, 0, 0};
        ticker = CoarseTicker.shared(Duration.ofMillis(1));
        // as in the client: the load is the requests each transport has in flight (a map the transport keeps
        // on today's path too, so only the reads are measured here); the attempt hooks count nothing
        Map<String, ConcurrentHashMap<Object, String>> pending = new HashMap<>();
        for (String id : IDS) {
            pending.put(id, new ConcurrentHashMap<>());
        }
        picker = new LatencyAwareSelector(IDS, t, LatencyRoutingConfig.defaults(), ticker, null,
                id -> pending.get(id)::size);
        budget = new RetryBudget(0.2, 10, 10, System::nanoTime);
        for (String id : IDS) {
            picker.onOutcome(id, CALL, CallOutcome.SUCCESS, 2_000_000);
        }
    }

    @TearDown
    public void tearDown() {
        ticker.close();
    }

    /** Today's rank: the configured order, and the outcome reported. */
    @Benchmark
    public String todayRank() {
        String id = today.select(CALL).get(0);
        today.onOutcome(id, CALL, CallOutcome.SUCCESS, 2_000_000);
        return id;
    }

    /** The success path now: budget deposit, latency-aware pick, in-flight count, outcome with latency. */
    @Benchmark
    public String budgetAndPicker() {
        budget.deposit(ticker.getAsLong());
        String id = picker.select(CALL).get(0);
        picker.onAttemptStart(id);
        picker.onAttemptEnd(id);
        latency = (latency + 7919) & 0xFFFFF;
        picker.onOutcome(id, CALL, CallOutcome.SUCCESS, 2_000_000 + latency);
        return id;
    }

    /** The picker alone (no budget). */
    @Benchmark
    public String pickerOnly() {
        String id = picker.select(CALL).get(0);
        picker.onAttemptStart(id);
        picker.onAttemptEnd(id);
        picker.onOutcome(id, CALL, CallOutcome.SUCCESS, 2_000_000);
        return id;
    }

    /** Part of the success path: the budget's deposit alone. */
    @Benchmark
    public void depositOnly() {
        budget.deposit(ticker.getAsLong());
    }

    /** Part of the success path: the pick alone. */
    @Benchmark
    public String selectOnly() {
        return picker.select(CALL).get(0);
    }

    /** Part of the success path: the pick and the in-flight count. */
    @Benchmark
    public String selectAndInFlight() {
        String id = picker.select(CALL).get(0);
        picker.onAttemptStart(id);
        picker.onAttemptEnd(id);
        return id;
    }
}
