package io.qudag.resilience.benchmarks.chaos;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.FaultInjector;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What chaos left in production code costs (spec §5.1): a {@code ResiliencePipeline} tool call with no
 * interceptor, with a disabled fault injector (chaos switch off), with an armed injector at rate 0 (it
 * draws but never hits) and with an armed injector that answers every call with an {@code isError}-style
 * result; and the disabled injector's own hooks alone. Run with {@code -prof gc} for B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ChaosInjectorBenchmark {

    private final Function<ToolCall, String> tool = c -> "ok";
    private final ToolCall call = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);

    private ResiliencePipeline<String> bare;
    private ResiliencePipeline<String> disabled;
    private ResiliencePipeline<String> armedRateZero;
    private ResiliencePipeline<String> armedInjecting;
    private FaultInjector<String> disabledInjector;

    @Setup
    public void setUp() {
        ChaosSwitch off = ChaosSwitch.create("bench-off", name -> null); // guard missing: stays off
        off.enable();
        ChaosSwitch armed = ChaosSwitch.create("bench-armed", name -> "true");
        armed.enable();
        disabledInjector = FaultInjector.<String>builder("disabled", off).rate(1.0).seed(1)
                .exception(() -> new IllegalStateException("never"));
        disabledInjector.start();
        FaultInjector<String> rateZero = FaultInjector.<String>builder("rate-zero", armed).rate(0.0).seed(1)
                .exception(() -> new IllegalStateException("never"));
        rateZero.start();
        FaultInjector<String> injecting = FaultInjector.<String>builder("injecting", armed).rate(1.0).seed(1)
                .toolErrorResult(c -> "injected error");
        injecting.start();
        bare = ResiliencePipeline.<String>builder("bench-bare").build();
        disabled = ResiliencePipeline.<String>builder("bench-disabled").interceptor(disabledInjector).build();
        armedRateZero = ResiliencePipeline.<String>builder("bench-rate-zero").interceptor(rateZero).build();
        armedInjecting = ResiliencePipeline.<String>builder("bench-injecting").interceptor(injecting).build();
    }

    @TearDown
    public void tearDown() {
        bare.close();
        disabled.close();
        armedRateZero.close();
        armedInjecting.close();
    }

    @Benchmark
    public String pipelineWithoutInjector() {
        return bare.executeToolCall(call, tool);
    }

    @Benchmark
    public String pipelineWithDisabledInjector() {
        return disabled.executeToolCall(call, tool);
    }

    @Benchmark
    public String pipelineWithArmedInjectorRateZero() {
        return armedRateZero.executeToolCall(call, tool);
    }

    @Benchmark
    public String pipelineWithArmedInjectorInjecting() {
        return armedInjecting.executeToolCall(call, tool);
    }

    @Benchmark
    public String disabledInjectorHooksAlone() throws Exception {
        String early = disabledInjector.beforeAttempt(call);
        return early != null ? early : disabledInjector.afterAttempt(call, "ok");
    }
}
