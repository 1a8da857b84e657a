package io.qudag.resilience.health.source;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.spi.MetricSource;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Application-dimension sources of spec §2.1 read from Micrometer meters the user names. The default
 * wiring reads the library's own meters: {@value #DEFAULT_CALLS} (a timer per endpoint, tool and
 * outcome) for the request success rate, {@value #DEFAULT_RESPONSE_TIME} (per MCP endpoint) or
 * {@value #DEFAULT_DURATION} (per pipeline) for the p95 response time and {@value #DEFAULT_INFLIGHT}
 * (a gauge per endpoint) for active connections.
 *
 * <p>Each source remembers the counts of its last reading and reports the interval since then: the
 * success rate is the share of calls that did not fail by the {@link OutcomePolicy} (an empty sample
 * when there were no calls). The p95 is the largest 0.95 percentile the matching timers publish; a
 * timer that publishes neither percentiles nor a histogram gives its interval mean instead (documented
 * stand-in, not a fake p95). Meters are looked up at each reading, so meters registered later count.
 */
public final class MicrometerSources {

    /** The MCP client's call timer (tags endpoint, tool, outcome). */
    public static final String DEFAULT_CALLS = "qudag.resilience.mcp.calls";
    /** The pipeline's duration timer (tag pipeline). */
    public static final String DEFAULT_DURATION = "qudag.resilience.pipeline.duration";
    /**
     * The MCP client's responsiveness timer (tag endpoint): a call's duration, or for a call that received
     * progress notifications its longest silence, so a tool that is slow by design and says so does not
     * count as a slow server.
     */
    public static final String DEFAULT_RESPONSE_TIME = "qudag.resilience.mcp.response.time";
    /** The MCP client's calls-in-flight gauge (tag endpoint). */
    public static final String DEFAULT_INFLIGHT = "qudag.resilience.mcp.inflight";

    private MicrometerSources() {
    }

    /**
     * {@return a source of the success rate (fraction) of the timers named {@code meter} with the given tags; a timer's
     * {@code outcome} tag (a {@link CallOutcome} name) decides success by {@code policy}; timers without
     * the tag count as successes}
     *
     * @param registry the registry the meters are read from
     * @param meter the timers' name
     * @param policy decides which outcomes are failures
     * @param tags only meters with all these tags count
     */
    public static MetricSource successRate(MeterRegistry registry, String meter, OutcomePolicy policy, Tag... tags) {
        check(registry, meter);
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null, was null");
        }
        List<Tag> filter = List.of(tags);
        return new MetricSource() {
            private long lastTotal = -1;
            private long lastFailed;

            @Override
            public String metric() {
                return MetricSpecs.REQUEST_SUCCESS_RATE;
            }

            @Override
            public synchronized OptionalDouble sample() {
                long total = 0;
                long failed = 0;
                for (Timer t : registry.find(meter).tags(filter).timers()) {
                    long c = t.count();
                    total += c;
                    String outcome = t.getId().getTag("outcome");
                    if (outcome != null && isFailure(policy, outcome)) {
                        failed += c;
                    }
                }
                OptionalDouble out = OptionalDouble.empty();
                if (lastTotal >= 0 && total > lastTotal) {
                    long dt = total - lastTotal;
                    long df = Math.max(0, failed - lastFailed);
                    out = OptionalDouble.of(1.0 - (double) Math.min(df, dt) / dt);
                } else if (lastTotal < 0 && total > 0) {
                    out = OptionalDouble.of(1.0 - (double) failed / total);
                }
                lastTotal = total;
                lastFailed = failed;
                return out;
            }

            @Override
            public String toString() {
                return "success rate of " + meter + filter;
            }
        };
    }

    /**
     * {@return a source of the success rate of the default meter {@value #DEFAULT_CALLS} for one endpoint, with the default outcome policy}
     *
     * @param registry the registry the meters are read from
     * @param endpoint the {@code endpoint} tag's value
     */
    public static MetricSource successRate(MeterRegistry registry, String endpoint) {
        return successRate(registry, DEFAULT_CALLS, OutcomePolicy.defaults(), Tag.of("endpoint", endpoint));
    }

    /**
     * {@return a source of the p95 response time in ms of the timers named {@code meter} with the given tags}
     *
     * @param registry the registry the meters are read from
     * @param meter the timers' name
     * @param tags only meters with all these tags count
     */
    public static MetricSource p95(MeterRegistry registry, String meter, Tag... tags) {
        check(registry, meter);
        List<Tag> filter = List.of(tags);
        return new MetricSource() {
            private long lastCount = -1;
            private double lastTotalMs;

            @Override
            public String metric() {
                return MetricSpecs.RESPONSE_TIME_P95;
            }

            @Override
            public synchronized OptionalDouble sample() {
                Collection<Timer> timers = registry.find(meter).tags(filter).timers();
                double p95 = Double.NaN;
                long count = 0;
                double totalMs = 0;
                for (Timer t : timers) {
                    HistogramSnapshot s = t.takeSnapshot();
                    count += s.count();
                    totalMs += s.total(TimeUnit.MILLISECONDS);
                    for (ValueAtPercentile v : s.percentileValues()) {
                        if (Math.abs(v.percentile() - 0.95) < 1e-9) {
                            double ms = v.value(TimeUnit.MILLISECONDS);
                            p95 = Double.isNaN(p95) ? ms : Math.max(p95, ms);
                        }
                    }
                }
                long dc = lastCount < 0 ? count : count - lastCount;
                double dt = lastCount < 0 ? totalMs : totalMs - lastTotalMs;
                lastCount = count;
                lastTotalMs = totalMs;
                if (!Double.isNaN(p95)) {
                    return OptionalDouble.of(p95);
                }
                return dc > 0 ? OptionalDouble.of(Math.max(0, dt / dc)) : OptionalDouble.empty();
            }

            @Override
            public String toString() {
                return "p95 of " + meter + filter;
            }
        };
    }

    /**
     * {@return a source of the p95 of the default meter {@value #DEFAULT_DURATION} for one pipeline}
     *
     * @param registry the registry the meters are read from
     * @param pipeline the {@code pipeline} tag's value
     */
    public static MetricSource p95(MeterRegistry registry, String pipeline) {
        return p95(registry, DEFAULT_DURATION, Tag.of("pipeline", pipeline));
    }

    /**
     * The default for an MCP endpoint: p95 response time of {@value #DEFAULT_RESPONSE_TIME} of one
     * endpoint (its interval mean unless the timer publishes a 0.95 percentile).
     *
     * @param registry the registry holding the timer
     * @param endpoint the endpoint's id (the {@code endpoint} tag)
     * @return the source
     */
    public static MetricSource responseTimeP95(MeterRegistry registry, String endpoint) {
        return p95(registry, DEFAULT_RESPONSE_TIME, Tag.of("endpoint", endpoint));
    }

    /**
     * Sum of the gauges named {@code meter} with the given tags, as active connections.
     *
     * @param registry the registry holding the gauges
     * @param meter    the gauges' name
     * @param tags     the tags a gauge must have
     * @return the source
     */
    public static MetricSource activeConnections(MeterRegistry registry, String meter, Tag... tags) {
        check(registry, meter);
        List<Tag> filter = List.of(tags);
        return new MetricSource() {
            @Override
            public String metric() {
                return MetricSpecs.ACTIVE_CONNECTIONS;
            }

            @Override
            public OptionalDouble sample() {
                Collection<Gauge> gauges = registry.find(meter).tags(filter).gauges();
                if (gauges.isEmpty()) {
                    return OptionalDouble.empty();
                }
                double sum = 0;
                for (Gauge g : gauges) {
                    double v = g.value();
                    if (!Double.isNaN(v)) {
                        sum += v;
                    }
                }
                return OptionalDouble.of(sum);
            }

            @Override
            public String toString() {
                return "sum of " + meter + filter;
            }
        };
    }

    /**
     * {@return a source of the default gauge {@value #DEFAULT_INFLIGHT} for one endpoint}
     *
     * @param registry the registry the meters are read from
     * @param endpoint the {@code endpoint} tag's value
     */
    public static MetricSource activeConnections(MeterRegistry registry, String endpoint) {
        return activeConnections(registry, DEFAULT_INFLIGHT, Tag.of("endpoint", endpoint));
    }

    private static boolean isFailure(OutcomePolicy policy, String outcome) {
        try {
            return policy.isFailure(CallOutcome.valueOf(outcome));
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static void check(MeterRegistry registry, String meter) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null, was null");
        }
        if (meter == null || meter.isBlank()) {
            throw new IllegalArgumentException("meter must not be blank, was " + (meter == null ? "null" : "'" + meter + "'"));
        }
    }
}
