package io.qudag.resilience.chaos;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.chaos.internal.BeforeAttemptInjector;
import io.qudag.resilience.chaos.internal.PayloadCorruptionInjector;
import io.qudag.resilience.chaos.mcp.McpFaults;
import io.qudag.resilience.core.ToolCall;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Builds a {@link FaultInjector} (spec §5.1): set the shared settings, then finish with the fault —
 * {@link #latency}, {@link #exception}, {@link #jsonRpcError}, {@link #toolErrorResult}, {@link #hang} or
 * {@link #payloadCorruption}. Each finishing method validates everything and fails with an
 * {@link IllegalArgumentException} naming the field and the value.
 *
 * <p>Defaults: rate 1.0, every call, no duration (active from {@link FaultInjector#start()} until
 * {@link FaultInjector#stop()}), a random seed (recorded in the config, so a run can be repeated), the
 * system UTC clock, no tenant, real sleeping, no meters.
 */
public final class FaultInjectorBuilder<R> {

    private final String name;
    private final ChaosSwitch chaosSwitch;
    private double rate = 1.0;
    private Predicate<ChaosContext> scope;
    private Duration duration;
    private Long seed;
    private Clock clock = Clock.systemUTC();
    private Function<ToolCall, String> tenantOf = call -> null;
    private Sleeper sleeper = Sleeper.system();
    private MeterRegistry meterRegistry;

    FaultInjectorBuilder(String name, ChaosSwitch chaosSwitch) {
        this.name = name;
        this.chaosSwitch = chaosSwitch;
    }

    /**
     * The share of matching calls hit, 0–1.
     *
     * @param rate the share, 0–1
     * @return this builder
     */
    public FaultInjectorBuilder<R> rate(double rate) {
        this.rate = rate;
        return this;
    }

    /**
     * Which calls may be hit (tools, endpoints, tenants: see {@link ChaosContext}).
     *
     * @param scope matches the calls that may be hit
     * @return this builder
     */
    public FaultInjectorBuilder<R> scope(Predicate<ChaosContext> scope) {
        this.scope = scope;
        return this;
    }

    /**
     * How long the injector stays active after {@link FaultInjector#start()}.
     *
     * @param duration a positive duration
     * @return this builder
     */
    public FaultInjectorBuilder<R> duration(Duration duration) {
        this.duration = duration;
        return this;
    }

    /**
     * The seed of the injector's own random source: the same seed hits the same calls.
     *
     * @param seed the seed
     * @return this builder
     */
    public FaultInjectorBuilder<R> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The clock of the active window; default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public FaultInjectorBuilder<R> clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * How the tenant of a call is found (e.g. from its arguments); default none.
     *
     * @param tenantOf finds a call's tenant
     * @return this builder
     */
    public FaultInjectorBuilder<R> tenantOf(Function<ToolCall, String> tenantOf) {
        this.tenantOf = tenantOf;
        return this;
    }

    /**
     * How synchronous delays and hangs wait; default {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public FaultInjectorBuilder<R> sleeper(Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    /**
     * Counts injections as {@code qudag.resilience.chaos.injected{injector,kind}}.
     *
     * @param meterRegistry the registry, or {@code null} for none
     * @return this builder
     */
    public FaultInjectorBuilder<R> meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        return this;
    }

    // ------------------------------------------------------------------ faults

    /**
     * Delays hit calls by a draw from {@code profile}, then lets them run.
     *
     * @param profile the delay distribution
     * @return the injector
     */
    public FaultInjector<R> latency(LatencyProfile profile) {
        require(profile, "profile");
        InjectorConfig c = config(FaultKind.LATENCY);
        return before(c, r -> profile.sampleNanos(r::nextDouble), call -> null);
    }

    /**
     * Fails hit calls with the exception {@code error} makes.
     *
     * @param error makes the exception for a call
     * @return the injector
     */
    public FaultInjector<R> exceptionFor(Function<ToolCall, ? extends Exception> error) {
        require(error, "error");
        InjectorConfig c = config(FaultKind.EXCEPTION);
        return before(c, null, call -> {
            throw error.apply(call);
        });
    }

    /**
     * Fails hit calls with {@code error.get()}.
     *
     * @param error makes the exception
     * @return the injector
     */
    public FaultInjector<R> exception(Supplier<? extends Exception> error) {
        require(error, "error");
        return exceptionFor(call -> error.get());
    }

    /**
     * Fails hit calls with a JSON-RPC error {@code code}: the SDK's {@code McpError} when the MCP SDK is on
     * the classpath, else an {@link InjectedJsonRpcException}.
     *
     * @param code    the JSON-RPC error code
     * @param message the error message
     * @return the injector
     */
    public FaultInjector<R> jsonRpcError(int code, String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message must not be blank, was " + quote(message));
        }
        if (code == 0) {
            throw new IllegalArgumentException("code must be a non-zero JSON-RPC error code, was 0");
        }
        InjectorConfig c = config(FaultKind.JSON_RPC_ERROR);
        // McpFaults is touched only when the SDK is there: loading it without the SDK would fail
        Function<ToolCall, Exception> make = mcpSdkPresent() ? McpFaults.jsonRpcError(code, message)
                : call -> new InjectedJsonRpcException(name, code, message);
        return before(c, null, call -> {
            throw make.apply(call);
        });
    }

    /**
     * Answers hit calls with {@code result} (a tool result with {@code isError=true}, e.g.
     * {@code McpFaults.toolError("...")}) instead of running them.
     *
     * @param result makes the result for a call
     * @return the injector
     */
    public FaultInjector<R> toolErrorResult(Function<ToolCall, ? extends R> result) {
        require(result, "result");
        InjectorConfig c = config(FaultKind.TOOL_ERROR_RESULT);
        return before(c, null, call -> {
            R r = result.apply(call);
            if (r == null) {
                throw new IllegalStateException("injector " + name + ": the result factory returned null");
            }
            return r;
        });
    }

    /**
     * Blocks hit calls for {@code max} (a caller's deadline usually ends them first; an interrupt ends the
     * wait), then fails them with an {@link InjectedFaultException} caused by a {@link TimeoutException}.
     *
     * @param max how long a hit call blocks at most
     * @return the injector
     */
    public FaultInjector<R> hang(Duration max) {
        positive("max", max);
        InjectorConfig c = config(FaultKind.HANG);
        long nanos = max.toNanos();
        return before(c, r -> nanos, call -> {
            throw new InjectedFaultException(name, "hung for " + max,
                    new TimeoutException("injected hang of " + max));
        });
    }

    /**
     * Damages the JSON of hit results with one of {@code modes}, drawn per hit.
     *
     * @param codec converts results to JSON and back
     * @param modes the kinds of damage, at least one
     * @return the injector
     */
    public FaultInjector<R> payloadCorruption(PayloadCodec<R> codec, CorruptionMode... modes) {
        require(codec, "codec");
        if (modes == null || modes.length == 0) {
            throw new IllegalArgumentException("modes must name at least one CorruptionMode, was none");
        }
        for (int i = 0; i < modes.length; i++) {
            require(modes[i], "modes[" + i + "]");
        }
        InjectorConfig c = config(FaultKind.PAYLOAD_CORRUPTION);
        return new PayloadCorruptionInjector<>(c, chaosSwitch, meterRegistry, scope == null, codec, List.of(modes));
    }

    // ------------------------------------------------------------------ validation

    private FaultInjector<R> before(InjectorConfig c, Function<io.qudag.resilience.chaos.internal.SeededRandom,
            Long> delay, BeforeAttemptInjector.Outcome<R> outcome) {
        return new BeforeAttemptInjector<>(c, chaosSwitch, meterRegistry, scope == null, delay, outcome, sleeper,
                null);
    }

    /** Validates the shared settings. */
    InjectorConfig config(FaultKind kind) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + quote(name));
        }
        require(chaosSwitch, "chaosSwitch");
        validateRate("rate", rate);
        if (duration != null) {
            positive("duration", duration);
        }
        require(clock, "clock");
        require(tenantOf, "tenantOf");
        require(sleeper, "sleeper");
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return new InjectorConfig(name, kind, rate, scope == null ? ChaosContext.any() : scope,
                Optional.ofNullable(duration), s, clock, tenantOf);
    }

    private static boolean mcpSdkPresent() {
        try {
            Class.forName("io.modelcontextprotocol.spec.McpError", false, FaultInjectorBuilder.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static void validateRate(String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(field + " must be between 0 and 1, was " + value);
        }
    }

    static void positive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null, was null");
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }
}
