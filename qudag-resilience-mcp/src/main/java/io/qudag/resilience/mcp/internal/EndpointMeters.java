package io.qudag.resilience.mcp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qudag.resilience.core.CallOutcome;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one endpoint, named {@code qudag.resilience.mcp.*} and tagged with
 * {@code endpoint} (and {@code tool}, {@code outcome} for calls). Meters are created once per tool
 * and outcome and cached, so recording allocates nothing in steady state. A {@code null} registry
 * records nothing.
 */
final class EndpointMeters {

    private static final CallOutcome[] OUTCOMES = CallOutcome.values();

    /**
     * The endpoint's responsiveness timer (tag {@code endpoint}): a call's duration, or for a call that
     * received progress notifications its longest silence; what health scoring reads as response time.
     * The whole duration stays in {@code qudag.resilience.mcp.calls}.
     */
    static final String RESPONSE_TIME = "qudag.resilience.mcp.response.time";

    private final MeterRegistry registry;
    private final String endpointId;
    private final ConcurrentHashMap<String, Timer[]> callTimers = new ConcurrentHashMap<>();
    private final Counter failedPings;
    private final Counter failedFast;
    private final Counter restarts;
    private final Counter suspicions;
    private final Timer responseTime;

    <T> EndpointMeters(MeterRegistry registry, String endpointId, T state, ToDoubleFunction<T> pingMillis,
            ToDoubleFunction<T> inFlight, ToDoubleFunction<T> livenessTimeoutMillis) {
        this.registry = registry;
        this.endpointId = endpointId;
        if (registry == null) {
            failedPings = null;
            failedFast = null;
            restarts = null;
            suspicions = null;
            responseTime = null;
            return;
        }
        failedPings = Counter.builder("qudag.resilience.mcp.ping.failures").tag("endpoint", endpointId)
                .description("pings that found the server gone").register(registry);
        failedFast = Counter.builder("qudag.resilience.mcp.inflight.failed.fast").tag("endpoint", endpointId)
                .description("in-flight requests failed at once because the connection or child died")
                .register(registry);
        restarts = Counter.builder("qudag.resilience.mcp.restarts").tag("endpoint", endpointId)
                .description("stdio child restarts and reconnects").register(registry);
        suspicions = Counter.builder("qudag.resilience.mcp.liveness.suspicions").tag("endpoint", endpointId)
                .description("times the endpoint was suspected (no answer within the liveness timeout)")
                .register(registry);
        responseTime = Timer.builder(RESPONSE_TIME).tag("endpoint", endpointId)
                .description("how long the endpoint kept a call waiting without a sign of life: the call's duration,"
                        + " or for a call that received progress notifications its longest silence")
                .register(registry);
        Gauge.builder("qudag.resilience.mcp.liveness.timeout", state, livenessTimeoutMillis)
                .tag("endpoint", endpointId).baseUnit("milliseconds")
                .description("the adaptive liveness timeout (srtt + 4 rttvar of pings, clamped)").register(registry);
        Gauge.builder("qudag.resilience.mcp.ping.latency", state, pingMillis).tag("endpoint", endpointId)
                .baseUnit("milliseconds").description("latency of the last successful ping").register(registry);
        Gauge.builder("qudag.resilience.mcp.inflight", state, inFlight).tag("endpoint", endpointId)
                .description("requests sent and not answered").register(registry);
    }

    void call(String tool, CallOutcome outcome, long nanos) {
        if (registry == null) {
            return;
        }
        Timer[] timers = callTimers.computeIfAbsent(tool, t -> new Timer[OUTCOMES.length]);
        Timer timer = timers[outcome.ordinal()];
        if (timer == null) {
            timer = Timer.builder("qudag.resilience.mcp.calls").tag("endpoint", endpointId).tag("tool", tool)
                    .tag("outcome", outcome.name()).description("tool calls by endpoint, tool and outcome")
                    .register(registry);
            timers[outcome.ordinal()] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One answered or failed call's response time (not a rejected one): see {@link #RESPONSE_TIME}. */
    void responseTime(long nanos) {
        if (responseTime != null) {
            responseTime.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void pingFailed() {
        if (failedPings != null) {
            failedPings.increment();
        }
    }

    void failedFast(int n) {
        if (failedFast != null && n > 0) {
            failedFast.increment(n);
        }
    }

    void suspected() {
        if (suspicions != null) {
            suspicions.increment();
        }
    }

    void restarted() {
        if (restarts != null) {
            restarts.increment();
        }
    }
}
