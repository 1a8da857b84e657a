package io.qudag.resilience.core.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.event.HealthActionEvent;
import io.qudag.resilience.core.health.internal.Checks;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runtime health of one subject, such as an MCP endpoint (spec §2.1): records samples of the
 * {@link HealthModel}'s metrics into one {@link SlidingTimeWindow} each, computes the weighted
 * composite {@link HealthScore} on demand, and reports the automated actions of spec §2.1 as
 * {@link HealthActionEvent}s.
 *
 * <h2>Actions</h2>
 * Each {@link HealthAction} is due while the score is strictly below its threshold (default
 * {@link HealthAction#defaultThreshold()}). {@link #score()} compares the new score with each threshold
 * and fires {@code ENTERED} once when an action becomes due and {@code CLEARED} once when it stops
 * being due, never on every evaluation. When a drop crosses several thresholds at once, ENTERED events
 * fire from the highest threshold down; CLEARED events fire from the lowest threshold up. A score
 * without data changes no action state.
 *
 * <h2>Metrics and logs</h2>
 * With a {@link MeterRegistry}: gauge {@code qudag.resilience.health.score{subject}} (last composite;
 * registered by the first evaluation with data and removed by an evaluation without data, so it is
 * absent rather than NaN while there is no score), gauge {@code qudag.resilience.health.indicator.score{subject,
 * indicator}} (last indicator score, NaN without data) and counter
 * {@code qudag.resilience.health.actions{subject, action, kind}} (action and kind are the enum names).
 * {@link #close()} removes them. Use one subject name per monitor and registry: Micrometer hands a
 * second monitor of the same subject the first one's meters. The score gauge holds the monitor weakly
 * (Micrometer reads NaN once the monitor is garbage; {@link #close()} the monitor to remove it). ENTERED is logged at WARN, CLEARED at INFO.
 *
 * <p>Thread-safe: {@link #record(String, double)} is lock-free and allocation-free; {@link #score()}
 * may be called from any thread (concurrent evaluations may fire their events in either order, but
 * each crossing still fires once).
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /** Default number of buckets per sliding window. */
    public static final int DEFAULT_BUCKETS = 10;

    private final String subject;
    private final HealthModel model;
    private final Clock clock;
    private final Map<String, SlidingTimeWindow> windows;
    /** The windows, statistics and last indicator scores in {@code model.indicators()} order. */
    private final SlidingTimeWindow[] windowByIndex;
    private final IndicatorStatistic[] statisticByIndex;
    private final String[] metricByIndex;
    private final Map<String, AtomicLong> lastIndicatorScores;
    private final AtomicLong[] lastIndicatorScoreByIndex;
    private final AtomicLong lastScoreBits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    private final Map<HealthAction, Double> actionThresholds;
    /** Actions sorted by descending threshold (the order in which ENTERED fires). */
    private final HealthAction[] actionsByThresholdDesc;
    private final Map<HealthAction, AtomicBoolean> actionActive;
    private final List<HealthActionListener> listeners;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<HealthAction, Counter[]> actionCounters;
    /** The score gauge while the last score had data; guarded by {@link #meters}. */
    private volatile Gauge scoreGauge;
    private boolean closed;

    private HealthMonitor(Builder b) {
        this.subject = b.subject;
        this.model = b.model;
        this.clock = b.clock;
        this.registry = b.registry;
        this.listeners = List.copyOf(b.listeners);
        Map<String, SlidingTimeWindow> w = new HashMap<>();
        Map<String, AtomicLong> last = new LinkedHashMap<>();
        for (HealthIndicator indicator : model.indicators()) {
            boolean percentiles = indicator.statistic() == IndicatorStatistic.P95;
            w.put(indicator.metric(), SlidingTimeWindow.of(indicator.evaluationWindow(), b.buckets, clock, percentiles));
            last.put(indicator.metric(), new AtomicLong(Double.doubleToRawLongBits(Double.NaN)));
        }
        this.windows = Collections.unmodifiableMap(w);
        this.lastIndicatorScores = Collections.unmodifiableMap(last);
        List<HealthIndicator> indicators = model.indicators();
        this.windowByIndex = new SlidingTimeWindow[indicators.size()];
        this.statisticByIndex = new IndicatorStatistic[indicators.size()];
        this.metricByIndex = new String[indicators.size()];
        this.lastIndicatorScoreByIndex = new AtomicLong[indicators.size()];
        for (int i = 0; i < indicators.size(); i++) {
            String metric = indicators.get(i).metric();
            windowByIndex[i] = w.get(metric);
            statisticByIndex[i] = indicators.get(i).statistic();
            metricByIndex[i] = metric;
            lastIndicatorScoreByIndex[i] = last.get(metric);
        }
        this.actionThresholds = Collections.unmodifiableMap(new EnumMap<>(b.thresholds));
        this.actionsByThresholdDesc = HealthAction.values();
        Arrays.sort(actionsByThresholdDesc,
                Comparator.comparingDouble((HealthAction a) -> actionThresholds.get(a)).reversed());
        Map<HealthAction, AtomicBoolean> active = new EnumMap<>(HealthAction.class);
        for (HealthAction a : HealthAction.values()) {
            active.put(a, new AtomicBoolean(false));
        }
        this.actionActive = Collections.unmodifiableMap(active);
        Map<HealthAction, Counter[]> counters = new EnumMap<>(HealthAction.class);
        if (registry != null) {
            for (Map.Entry<String, AtomicLong> e : lastIndicatorScores.entrySet()) {
                AtomicLong bits = e.getValue();
                meters.add(Gauge.builder("qudag.resilience.health.indicator.score", bits,
                                x -> Double.longBitsToDouble(x.get()))
                        .tag("subject", subject).tag("indicator", e.getKey())
                        .description("Last 0-100 score of one health indicator")
                        .register(registry));
            }
            for (HealthAction a : HealthAction.values()) {
                Counter[] byKind = new Counter[HealthActionEvent.Kind.values().length];
                for (HealthActionEvent.Kind k : HealthActionEvent.Kind.values()) {
                    byKind[k.ordinal()] = Counter.builder("qudag.resilience.health.actions")
                            .tag("subject", subject).tag("action", a.name()).tag("kind", k.name())
                            .description("Automated health actions entered and cleared")
                            .register(registry);
                    meters.add(byKind[k.ordinal()]);
                }
                counters.put(a, byKind);
            }
        }
        this.actionCounters = Collections.unmodifiableMap(counters);
    }

    /**
     * {@return a builder for the monitor of {@code subject} judged by {@code model}} Defaults: system UTC clock,
     * no meter registry, the spec's action thresholds, {@value #DEFAULT_BUCKETS} buckets per window.
     *
     * @param subject what is monitored, e.g. an endpoint id; not blank
     * @param model the indicators and weights; non-null
     */
    public static Builder builder(String subject, HealthModel model) {
        return new Builder(subject, model);
    }

    /** {@return what is monitored, e.g. an endpoint id; the {@code subject} meter tag} */
    public String subject() {
        return subject;
    }

    /** {@return the indicators and weights the score is computed with} */
    public HealthModel model() {
        return model;
    }

    /**
     * Records one sample of {@code metric} (a latency in the indicator's unit, 0/1 for a ratio, a
     * utilisation fraction...). Lock-free, O(1).
     *
     * @throws IllegalArgumentException for a metric the model does not have, or a negative, NaN or infinite value
     * @param metric an indicator's metric name in the model
     * @param value the sample, in the indicator's unit; finite and {@code >= 0}
     */
    public void record(String metric, double value) {
        window(metric).record(value);
    }

    /**
     * {@return the current statistics of {@code metric}'s window}
     *
     * @param metric an indicator's metric name in the model
     */
    public WindowSnapshot snapshot(String metric) {
        return window(metric).snapshot();
    }

    /**
     * Evaluates the composite score now, updates the gauges and fires action events for the
     * thresholds crossed since the last evaluation. Indicators without samples are left out.
     *
     * @return the composite score, its grade and the indicators' scores at this instant
     */
    public HealthScore score() {
        Instant at = clock.instant();
        double[] values = new double[windowByIndex.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = windowByIndex[i].liveValue(statisticByIndex[i]);
        }
        HealthScore score = model.scoreByIndex(subject, values, at);
        Map<String, Double> indicatorScores = score.indicatorScores();
        for (int i = 0; i < metricByIndex.length; i++) {
            Double s = indicatorScores.isEmpty() ? null : indicatorScores.get(metricByIndex[i]);
            lastIndicatorScoreByIndex[i].set(Double.doubleToRawLongBits(s == null ? Double.NaN : s));
        }
        double previous = Double.longBitsToDouble(lastScoreBits.getAndSet(Double.doubleToRawLongBits(score.value())));
        updateScoreGauge(score.hasData());
        if (score.hasData()) {
            evaluateActions(score.value(), previous, at);
        }
        return score;
    }

    /**
     * Registers the score gauge when a score with data appears and removes it when the score has no
     * data any more, so the gauge never reads NaN. Only transitions take the lock.
     */
    private void updateScoreGauge(boolean hasData) {
        if (registry == null || hasData == (scoreGauge != null)) {
            return;
        }
        synchronized (meters) {
            if (closed) {
                return;
            }
            if (hasData && scoreGauge == null) {
                scoreGauge = Gauge.builder("qudag.resilience.health.score", this, HealthMonitor::lastScoreOrZero)
                        .tag("subject", subject)
                        .description("Last composite health score (0-100) of the subject; absent without data")
                        .register(registry);
            } else if (!hasData && scoreGauge != null) {
                registry.remove(scoreGauge);
                scoreGauge = null;
            }
        }
    }

    /** The gauge's reading: present only while there is a score, so NaN is not expected; 0 guards a race. */
    private double lastScoreOrZero() {
        double v = Double.longBitsToDouble(lastScoreBits.get());
        return Double.isNaN(v) ? 0.0 : v;
    }

    /**
     * The composite of the last {@link #score()} call, NaN before the first one or without data.
     *
     * @return the last composite score, or NaN
     * @deprecated NaN stands for "no score"; use {@link #lastScoreIfAny()}, which is empty instead.
     */
    @Deprecated(since = "0.1.0")
    public double lastScore() {
        return Double.longBitsToDouble(lastScoreBits.get());
    }

    /** {@return the composite of the last {@link #score()} call; empty before the first one or without data} */
    public java.util.OptionalDouble lastScoreIfAny() {
        double v = Double.longBitsToDouble(lastScoreBits.get());
        return Double.isNaN(v) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(v);
    }

    /** {@return the actions currently due (ENTERED and not yet CLEARED)} */
    public Set<HealthAction> activeActions() {
        Set<HealthAction> out = EnumSet.noneOf(HealthAction.class);
        actionActive.forEach((a, on) -> {
            if (on.get()) {
                out.add(a);
            }
        });
        return out;
    }

    /** {@return the effective threshold of each action} */
    public Map<HealthAction, Double> actionThresholds() {
        return actionThresholds;
    }

    /** Removes this monitor's meters from the registry (if any). Recording and scoring keep working. */
    @Override
    public void close() {
        if (registry != null) {
            synchronized (meters) {
                closed = true;
                meters.forEach(registry::remove);
                if (scoreGauge != null) {
                    registry.remove(scoreGauge);
                    scoreGauge = null;
                }
            }
        }
    }

    private SlidingTimeWindow window(String metric) {
        SlidingTimeWindow w = metric == null ? null : windows.get(metric);
        if (w == null) {
            throw new IllegalArgumentException("metric '" + metric + "' is not in the model of " + subject
                    + "; known: " + windows.keySet());
        }
        return w;
    }

    private void evaluateActions(double value, double previous, Instant at) {
        for (HealthAction a : actionsByThresholdDesc) {
            if (value < actionThresholds.get(a) && actionActive.get(a).compareAndSet(false, true)) {
                fire(a, HealthActionEvent.Kind.ENTERED, value, previous, at);
            }
        }
        for (int i = actionsByThresholdDesc.length - 1; i >= 0; i--) {
            HealthAction a = actionsByThresholdDesc[i];
            if (value >= actionThresholds.get(a) && actionActive.get(a).compareAndSet(true, false)) {
                fire(a, HealthActionEvent.Kind.CLEARED, value, previous, at);
            }
        }
    }

    private void fire(HealthAction action, HealthActionEvent.Kind kind, double value, double previous, Instant at) {
        double threshold = actionThresholds.get(action);
        if (kind == HealthActionEvent.Kind.ENTERED) {
            log.warn("Health of {} fell below {}: score {} (before {}), action {} due",
                    subject, threshold, value, describe(previous), action);
        } else {
            log.info("Health of {} back at or above {}: score {} (before {}), action {} cleared",
                    subject, threshold, value, describe(previous), action);
        }
        Counter[] counters = actionCounters.get(action);
        if (counters != null) {
            counters[kind.ordinal()].increment();
        }
        HealthActionEvent event = new HealthActionEvent(subject, action, kind, value, previous, at);
        for (HealthActionListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.error("Health action listener {} failed on {}", listener, event, e);
            }
        }
    }

    /** A score for a log line: the number, or "no earlier score" instead of NaN. */
    private static Object describe(double score) {
        return Double.isNaN(score) ? "no earlier score" : score;
    }

    /** Builds a {@link HealthMonitor}; {@link #build()} validates everything. */
    public static final class Builder {
        private final String subject;
        private final HealthModel model;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry;
        private final Map<HealthAction, Double> thresholds = new EnumMap<>(HealthAction.class);
        private final List<HealthActionListener> listeners = new ArrayList<>();
        private boolean nullListener;
        private boolean nullAction;
        private int buckets = DEFAULT_BUCKETS;

        private Builder(String subject, HealthModel model) {
            this.subject = subject;
            this.model = model;
            for (HealthAction a : HealthAction.values()) {
                thresholds.put(a, a.defaultThreshold());
            }
        }

        /**
         * Clock for windows and event instants; default {@code Clock.systemUTC()}.
         *
         * @param clock non-null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Where to publish gauges and counters; null (the default) publishes none.
         *
         * @param registry the registry, or {@code null}
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Overrides the thresholds of the given actions (others keep their defaults).
         *
         * @param overrides score below which each action is due, in [0, 100]; non-null
         * @return this builder
         */
        public Builder actionThresholds(Map<HealthAction, Double> overrides) {
            Checks.notNull("actionThresholds", overrides).forEach((action, threshold) -> {
                if (action == null) {
                    nullAction = true;
                } else {
                    thresholds.put(action, threshold); // a null threshold is reported by build()
                }
            });
            return this;
        }

        /**
         * Overrides one action's threshold; must be in [0, 100].
         *
         * @param action the action; non-null
         * @param threshold the score below which it is due; spec 75 / 60 / 40 / 20
         * @return this builder
         */
        public Builder actionThreshold(HealthAction action, double threshold) {
            if (action == null) {
                nullAction = true;
            } else {
                thresholds.put(action, threshold);
            }
            return this;
        }

        /**
         * Adds a listener for action events.
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder listener(HealthActionListener listener) {
            if (listener == null) {
                nullListener = true;
            } else {
                listeners.add(listener);
            }
            return this;
        }

        /**
         * Buckets per sliding window (default {@value #DEFAULT_BUCKETS}); more buckets expire samples more smoothly.
         *
         * @param buckets {@code >= 1}, at least 1 ms per bucket of every window
         * @return this builder
         */
        public Builder bucketsPerWindow(int buckets) {
            this.buckets = buckets;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         * @return the monitor, with empty windows
         */
        public HealthMonitor build() {
            Checks.name("subject", subject);
            Checks.notNull("model", model);
            Checks.notNull("clock", clock);
            if (nullListener) {
                throw new IllegalArgumentException("listener must not be null, was null");
            }
            if (nullAction) {
                throw new IllegalArgumentException("actionThreshold action must not be null, was null");
            }
            Checks.atLeast("bucketsPerWindow", buckets, 1);
            for (Map.Entry<HealthAction, Double> e : thresholds.entrySet()) {
                Double t = e.getValue();
                if (t == null) {
                    throw new IllegalArgumentException("actionThresholds." + e.getKey() + " must not be null, was null");
                }
                Checks.inRange("actionThresholds." + e.getKey(), t, 0.0, 100.0);
            }
            for (HealthIndicator i : model.indicators()) {
                if (i.evaluationWindow().toMillis() < buckets) {
                    throw new IllegalArgumentException("bucketsPerWindow must leave at least 1 ms per bucket of "
                            + i.metric() + ".evaluationWindow " + i.evaluationWindow() + ", was " + buckets);
                }
            }
            return new HealthMonitor(this);
        }
    }
}
