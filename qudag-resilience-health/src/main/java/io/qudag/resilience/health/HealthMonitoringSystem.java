package io.qudag.resilience.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.event.HealthActionEvent;
import io.qudag.resilience.core.health.HealthAction;
import io.qudag.resilience.core.health.HealthActionListener;
import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.HealthIndicator;
import io.qudag.resilience.core.health.HealthModel;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.core.health.IndicatorDirection;
import io.qudag.resilience.core.spi.HealthTrendSignal;
import io.qudag.resilience.health.event.HealthAlertEvent;
import io.qudag.resilience.health.event.HealthAlertListener;
import io.qudag.resilience.health.event.HealthFindingEvent;
import io.qudag.resilience.health.predict.ConnectionLeakDetector;
import io.qudag.resilience.health.predict.GcHeapListener;
import io.qudag.resilience.health.predict.MemoryLeakDetector;
import io.qudag.resilience.health.predict.PageHinkleyDetector;
import io.qudag.resilience.health.history.MetricHistory;
import io.qudag.resilience.health.internal.AlertState;
import io.qudag.resilience.health.predict.EarlyWarning;
import io.qudag.resilience.health.predict.EarlyWarningLevel;
import io.qudag.resilience.health.predict.EarlyWarnings;
import io.qudag.resilience.health.predict.HoltForecaster;
import io.qudag.resilience.health.predict.RobustZScoreDetector;
import io.qudag.resilience.health.spi.AnomalyDetector;
import io.qudag.resilience.health.spi.Forecaster;
import io.qudag.resilience.health.spi.MetricSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health monitoring system of spec §2.1 for one process: collects the metrics of the three
 * monitored dimensions from {@link MetricSource}s (or from {@link #record(String, String, double)}),
 * raises and clears alerts with hysteresis, keeps a 24 h {@link MetricHistory} per metric and subject,
 * predicts with a {@link Forecaster} and an {@link AnomalyDetector} per series, and scores each subject
 * with the composite of spec §2.1 (system 0.3, application 0.4, business 0.2, predictive 0.1) through
 * core's {@link HealthModel} and {@link HealthMonitor}.
 *
 * <h2>Actions</h2>
 * Core's automated actions fire once per crossing as {@link HealthActionEvent}s to the
 * {@linkplain Builder#actionListener action listeners}; besides: while {@code INCREASE_MONITORING}
 * (score &lt; 75) is due, the subject's sources are read {@link Builder#fastIntervalFactor faster}; while
 * {@code ACTIVATE_FAILOVER} (score &lt; 40) is due, this system, as core's {@link HealthTrendSignal},
 * predicts failure of the subject with probability 1 so the failover engine moves traffic away. The
 * optimisation (&lt; 60) and emergency (&lt; 20) hooks are action listeners
 * ({@link Builder#onAction(HealthAction, HealthActionListener)}).
 *
 * <h2>Findings</h2>
 * Besides the anomaly detector, p95 latency series run a Page-Hinkley change-point test (performance
 * regression), active-connection series a connection-leak test, and with
 * {@link Builder#heapLeakDetection(String)} the heap after every GC feeds a {@link MemoryLeakDetector}.
 * Each condition is reported once when it starts as a {@link HealthFindingEvent} (and kept in
 * {@link #findings()}); after an ANOMALY finding a series reports no other anomaly for
 * {@value #ANOMALY_SUPPRESSION} samples (suppression, so noise does not flood listeners). Anomalies
 * are logged at DEBUG, the other findings at WARN.
 *
 * <h2>Bad input</h2>
 * A NaN, infinite or negative sample is rejected (returns false), logged at DEBUG and counted in
 * {@link #rejectedSamples()} and the counter {@code qudag.resilience.health.samples.rejected{reason}};
 * it never reaches a score.
 *
 * <h2>Meters</h2>
 * Core's {@code qudag.resilience.health.score{subject}}, {@code ...indicator.score} and
 * {@code ...actions}; gauge {@code qudag.resilience.health.alert.level{subject, metric}} (0 NONE,
 * 1 WARNING, 2 CRITICAL, 3 EMERGENCY); gauge {@code qudag.resilience.health.warning.level{subject}}
 * (0 none, 1 ADVISORY … 4 EMERGENCY); gauge {@code qudag.resilience.health.status{subject}} (0 UNKNOWN,
 * then the grades 1 EXCELLENT … 5 CRITICAL), defined before any data, unlike core's score gauge, which
 * is present only while the subject has a score (never NaN).
 *
 * <p>Thread-safe. {@link #record} allocates nothing once a subject's series exist (a finding
 * allocates its event only when a {@linkplain Builder#findingListener finding listener} is registered
 * or DEBUG logging of anomalies is on; {@link #findings()} builds the events when asked).
 */
public final class HealthMonitoringSystem implements HealthTrendSignal, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitoringSystem.class);

    /** Samples after an ANOMALY finding during which further anomalies of that series are not reported. */
    public static final int ANOMALY_SUPPRESSION = 60;

    private static final String ANOMALY_DETAIL = "sample flagged by the anomaly detector";

    /** The name of the predictive indicator in the composite model. */
    public static final String PREDICTIVE_RISK = "predictive_risk";

    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, MetricSpec> specs;
    private final HealthModel model;
    private final Duration scoreWindow;
    /** The bucket length of core's score windows (the score window split into the monitor's buckets). */
    private final long windowBucketMillis;
    private final double fastIntervalFactor;
    /** Whether an unchanged subject may keep its last result (always, but for the equivalence test). */
    private final boolean evaluationCache;
    private final List<HealthAlertListener> alertListeners;
    private final List<HealthActionListener> actionListeners;
    private final Supplier<Forecaster> forecasters;
    private final Supplier<AnomalyDetector> detectors;
    private final Map<String, Subject> subjects = new ConcurrentHashMap<>();
    /** The subjects sorted by name, replaced (under its own lock) when one is added; {@link #evaluate} walks it. */
    private volatile Subject[] sortedSubjects = new Subject[0];
    private final Object sortedSubjectsLock = new Object();
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();
    private final AtomicLong rejected = new AtomicLong();
    private final Counter rejectedNaN;
    private final Counter rejectedNegative;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final List<Consumer<HealthFindingEvent>> findingListeners;
    /**
     * The last {@value #MAX_FINDINGS} findings as a ring of fields (guarded by itself), so that a finding
     * allocates nothing unless a listener wants the event; {@link #findings()} builds the events.
     */
    private final FindingRing findings = new FindingRing(MAX_FINDINGS);
    private final GcHeapListener gcListener;
    private final MemoryLeakDetector heapLeak;
    private volatile boolean heapLeaking;
    private volatile ScheduledFuture<?> task;
    private volatile Duration tick;
    private volatile long lastCollectMillis = Long.MIN_VALUE;

    private HealthMonitoringSystem(Builder b, HealthModel model) {
        this.clock = b.clock;
        this.registry = b.registry;
        this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(b.specs));
        this.model = model;
        this.scoreWindow = b.scoreWindow;
        this.windowBucketMillis = b.scoreWindow.toMillis() / HealthMonitor.DEFAULT_BUCKETS;
        this.fastIntervalFactor = b.fastIntervalFactor;
        this.evaluationCache = b.evaluationCache;
        this.alertListeners = List.copyOf(b.alertListeners);
        this.actionListeners = List.copyOf(b.actionListeners);
        this.forecasters = b.forecasters;
        this.detectors = b.detectors;
        if (registry != null) {
            rejectedNaN = Counter.builder("qudag.resilience.health.samples.rejected").tag("reason", "not_finite")
                    .description("Samples rejected before they reached a score").register(registry);
            rejectedNegative = Counter.builder("qudag.resilience.health.samples.rejected").tag("reason", "negative")
                    .description("Samples rejected before they reached a score").register(registry);
            meters.add(rejectedNaN);
            meters.add(rejectedNegative);
        } else {
            rejectedNaN = null;
            rejectedNegative = null;
        }
        this.findingListeners = List.copyOf(b.findingListeners);
        b.sources.forEach((s, list) -> list.forEach(src -> addSource(s, src)));
        if (b.heapLeakSubject != null) {
            String subject = b.heapLeakSubject;
            long max = Runtime.getRuntime().maxMemory();
            heapLeak = MemoryLeakDetector.forLimit(max == Long.MAX_VALUE ? Runtime.getRuntime().totalMemory() : max);
            gcListener = GcHeapListener.register((at, used, gc) -> onHeapAfterGc(subject, at, used), clock);
        } else {
            heapLeak = null;
            gcListener = null;
        }
    }

    /**
     * Feeds the heap leak detector (also the GC listener's callback); public for tests and other GC sources.
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param atMillis when the collection ended, epoch milliseconds
     * @param heapUsedBytes heap in use after the collection, in bytes
     */
    public void onHeapAfterGc(String subject, long atMillis, long heapUsedBytes) {
        if (heapLeak == null) {
            throw new IllegalStateException("heap leak detection is off; enable heapLeakDetection(subject)");
        }
        boolean leaking;
        synchronized (heapLeak) {
            leaking = heapLeak.update(atMillis, heapUsedBytes);
        }
        if (leaking && !heapLeaking) {
            finding(subject, MetricSpecs.MEMORY_UTILIZATION, HealthFindingEvent.Kind.MEMORY_LEAK,
                    heapUsedBytes, String.format(Locale.ROOT, "heap after GC rising %.0f B/s, limit in %s",
                    heapLeak.bytesPerSecond(), heapLeak.timeToLimit().map(Duration::toString).orElse("?")),
                    atMillis);
        }
        heapLeaking = leaking;
    }

    /** {@return the last {@value #MAX_FINDINGS} findings, oldest first} */
    public List<HealthFindingEvent> findings() {
        synchronized (findings) {
            return findings.events();
        }
    }

    /** How many findings {@link #findings()} keeps. */
    public static final int MAX_FINDINGS = 100;

    /** Keeps, logs and publishes one finding; allocates only for listeners and enabled log levels. */
    private void finding(String subject, String metric, HealthFindingEvent.Kind kind, double value, String detail,
                         long atMillis) {
        synchronized (findings) {
            findings.add(subject, metric, kind, value, detail, atMillis);
        }
        if (kind != HealthFindingEvent.Kind.ANOMALY) {
            log.warn("Health finding {} on {} of {}: {}", kind, metric, subject, detail);
        } else if (log.isDebugEnabled()) {
            log.debug("Health finding {} on {} of {}: value {}", kind, metric, subject, value);
        }
        if (findingListeners.isEmpty()) {
            return;
        }
        HealthFindingEvent e = new HealthFindingEvent(subject, metric, kind, value, detail, Instant.ofEpochMilli(atMillis));
        for (Consumer<HealthFindingEvent> l : findingListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                log.error("Finding listener {} failed on {}", l, e, ex);
            }
        }
    }

    /** {@return a builder with the spec's nine metrics ({@link MetricSpecs#all()}) and default weights} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the metrics this system knows, by name} */
    public Map<String, MetricSpec> metrics() {
        return specs;
    }

    /** {@return the clock everything is timed by} */
    public Clock clock() {
        return clock;
    }

    /**
     * Registers a source for {@code subject}; it is read at its metric's collection interval by
     * {@link #collect()}.
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param source reads one metric
     * @throws IllegalArgumentException for an unknown metric or a null argument
     */
    public void addSource(String subject, MetricSource source) {
        requireName("subject", subject);
        if (source == null) {
            throw new IllegalArgumentException("source must not be null, was null");
        }
        MetricSpec spec = spec(source.metric());
        bindings.add(new Binding(subject, spec, source));
        subject(subject);
    }

    /**
     * Records one sample of {@code metric} for {@code subject} at the clock's time.
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param metric a registered metric's name
     * @param value the sample, in the metric's unit
     * @return false when the sample was rejected (NaN, infinite or negative) and counted
     * @throws IllegalArgumentException for an unknown metric or a blank subject
     */
    public boolean record(String subject, String metric, double value) {
        Subject s = subjects.get(subject);
        if (s == null) {
            requireName("subject", subject);
            s = subject(subject);
        }
        Series series = s.series.get(metric);
        if (series == null) {
            spec(metric);
            series = s.series(metric);
        }
        if (!Double.isFinite(value)) {
            reject(subject, metric, value, rejectedNaN);
            return false;
        }
        if (value < 0) {
            reject(subject, metric, value, rejectedNegative);
            return false;
        }
        series.add(clock.millis(), value);
        return true;
    }

    /** {@return the samples rejected so far (NaN, infinite or negative)} */
    public long rejectedSamples() {
        return rejected.get();
    }

    /**
     * Reads every source that is due by the clock (unsupported ones are skipped), then evaluates every
     * subject. Call it from a scheduler ({@link #start}) or, in tests, after moving the clock.
     *
     * @return the number of samples recorded
     */
    public int collect() {
        long now = clock.millis();
        int n = 0;
        for (Binding b : bindings) {
            if (b.source.state() == MetricSource.State.UNSUPPORTED
                    || (b.lastRead != Long.MIN_VALUE && now < b.lastRead + interval(b))) {
                continue;
            }
            b.lastRead = now;
            OptionalDouble v;
            try {
                v = b.source.sample();
            } catch (RuntimeException e) {
                log.warn("Metric source {} of {} failed: {}", b.source, b.subject, e.toString());
                continue;
            }
            if (v.isPresent() && record(b.subject, b.spec.name(), v.getAsDouble())) {
                n++;
            }
        }
        evaluate();
        lastCollectMillis = clock.millis();
        return n;
    }

    /** {@return when {@link #collect()} last finished; empty before the first} */
    public Optional<Instant> lastCollect() {
        long t = lastCollectMillis;
        return t == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t));
    }

    /** {@return the tick of the collection task; empty when not {@linkplain #start started}} */
    public Optional<Duration> tick() {
        return Optional.ofNullable(tick);
    }

    /**
     * {@return the composite scores of {@code subject} over the last {@code window} (up to 24 h), one point per
     * history slot: {@code [epochMillis, mean score, max score]}, oldest first}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param window how far back, up to 24 h
     */
    public double[][] scoreHistory(String subject, Duration window) {
        Subject s = subject == null ? null : subjects.get(subject);
        return s == null ? new double[0][] : s.scores.points(clock.millis(), window);
    }

    /**
     * {@return the effective collection interval of {@code metric} for {@code subject} (shortened while score &lt; 75)}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param metric a registered metric's name
     */
    public Optional<Duration> collectionInterval(String subject, String metric) {
        for (Binding b : bindings) {
            if (b.subject.equals(subject) && b.spec.name().equals(metric)) {
                return Optional.of(Duration.ofMillis(interval(b)));
            }
        }
        return Optional.empty();
    }

    private long interval(Binding b) {
        long interval = b.spec.collectionInterval().toMillis();
        Subject s = subjects.get(b.subject);
        if (s != null && s.monitor.activeActions().contains(HealthAction.INCREASE_MONITORING)) {
            interval = Math.max(1, (long) (interval * fastIntervalFactor));
        }
        return interval;
    }

    /** {@return the state of every registered source: subject to metric to state} */
    public Map<String, Map<String, MetricSource.State>> sourceStates() {
        Map<String, Map<String, MetricSource.State>> out = new LinkedHashMap<>();
        for (Binding b : bindings) {
            out.computeIfAbsent(b.subject, k -> new LinkedHashMap<>()).put(b.spec.name(), b.source.state());
        }
        return out;
    }

    /**
     * Evaluates every subject (composite score, actions, predictions).
     *
     * @return one composite per subject
     */
    public List<CompositeHealth> evaluate() {
        Subject[] sorted = sortedSubjects; // sorted by name, so the results are too
        List<CompositeHealth> out = new ArrayList<>(sorted.length);
        for (Subject s : sorted) {
            out.add(s.evaluate());
        }
        return out;
    }

    /**
     * {@return the composite of {@code subject} as of the last evaluation; UNKNOWN for an unknown subject or no data}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     */
    public CompositeHealth health(String subject) {
        Subject s = subjects.get(subject);
        if (s == null) {
            return CompositeHealth.unknown(subject == null ? "" : subject, clock.instant());
        }
        CompositeHealth h = s.last;
        return h == null ? s.evaluate() : h;
    }

    /** {@return the subjects known so far, sorted} */
    public List<String> subjects() {
        List<String> out = new ArrayList<>(subjects.keySet());
        Collections.sort(out);
        return out;
    }

    /** {@return every alert currently raised, sorted by subject and metric} */
    public List<ActiveAlert> alerts() {
        List<ActiveAlert> out = new ArrayList<>();
        for (String name : subjects()) {
            Subject s = subjects.get(name);
            for (Series series : s.series.values()) {
                AlertLevel level = series.alert.level();
                if (level != AlertLevel.NONE) {
                    out.add(new ActiveAlert(name, series.spec.name(), level, series.history.lastValue(),
                            series.spec.threshold(level), Instant.ofEpochMilli(series.alertSince)));
                }
            }
        }
        out.sort(Comparator.comparing(ActiveAlert::subject).thenComparing(ActiveAlert::metric));
        return out;
    }

    /**
     * {@return the alert level of one series (NONE for one without data)}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param metric a registered metric's name
     */
    public AlertLevel alertLevel(String subject, String metric) {
        Series s = series(subject, metric);
        return s == null ? AlertLevel.NONE : s.alert.level();
    }

    /**
     * {@return the history of one series, if it has been created}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param metric a registered metric's name
     */
    public Optional<MetricHistory> history(String subject, String metric) {
        Series s = series(subject, metric);
        return s == null ? Optional.empty() : Optional.of(s.history);
    }

    /** {@return the current early warnings of every subject, worst first} */
    public List<EarlyWarning> warnings() {
        List<EarlyWarning> out = new ArrayList<>();
        for (Subject s : subjects.values()) {
            out.addAll(s.warnings);
        }
        out.sort(Comparator.comparing((EarlyWarning w) -> w.level()).reversed()
                .thenComparing(EarlyWarning::subject));
        return out;
    }

    /**
     * {@return whether the last sample of a series was flagged by its anomaly detector}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     * @param metric a registered metric's name
     */
    public boolean anomalous(String subject, String metric) {
        Series s = series(subject, metric);
        return s != null && s.anomalous;
    }

    /**
     * {@return the actions currently due for {@code subject}}
     *
     * @param subject the monitored subject, e.g. an endpoint id
     */
    public Set<HealthAction> activeActions(String subject) {
        Subject s = subjects.get(subject);
        return s == null ? Set.of() : s.monitor.activeActions();
    }

    /**
     * Core's predictive signal (spec §1.2, §2.1): failure probability 1 while {@code ACTIVATE_FAILOVER}
     * is due; otherwise the most confident CAUTION-or-worse early warning of the subject: its confidence
     * (of crossing the critical threshold within the level's advance notice) as the probability, that
     * notice as the horizon, and the estimated time to the crossing in the reason.
     */
    @Override
    public Optional<Prediction> predict(String subject) {
        Subject s = subject == null ? null : subjects.get(subject);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (s.monitor.activeActions().contains(HealthAction.ACTIVATE_FAILOVER)) {
            return Optional.of(new Prediction(subject, 1.0, Duration.ofSeconds(1),
                    "health score below the failover threshold", now));
        }
        EarlyWarning best = null;
        for (EarlyWarning w : s.warnings) {
            if (w.level().compareTo(EarlyWarningLevel.CAUTION) >= 0
                    && (best == null || w.confidence() > best.confidence())) {
                best = w;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new Prediction(subject, best.confidence(), best.level().advanceNotice(), best.reason(), now));
    }

    /**
     * Runs {@link #collect()} every {@code tick} on {@code executor} until {@link #close()}.
     *
     * @param executor runs the collection; the caller owns it
     * @param tick how often {@link #collect()} runs; positive
     */
    public synchronized void start(ScheduledExecutorService executor, Duration tick) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null, was null");
        }
        if (tick == null || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be > 0, was " + tick);
        }
        if (task != null) {
            throw new IllegalStateException("already started");
        }
        this.tick = tick;
        task = executor.scheduleWithFixedDelay(() -> {
            try {
                collect();
            } catch (RuntimeException e) {
                log.error("Health collection failed", e);
            }
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the collection task and removes the meters. */
    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        for (Subject s : subjects.values()) {
            s.monitor.close();
        }
        if (gcListener != null) {
            gcListener.close();
        }
        if (registry != null) {
            meters.forEach(registry::remove);
        }
    }

    private Series series(String subject, String metric) {
        Subject s = subject == null ? null : subjects.get(subject);
        return s == null || metric == null ? null : s.series.get(metric);
    }

    private MetricSpec spec(String metric) {
        MetricSpec spec = metric == null ? null : specs.get(metric);
        if (spec == null) {
            throw new IllegalArgumentException("metric '" + metric + "' is not monitored; known: " + specs.keySet());
        }
        return spec;
    }

    private Subject subject(String name) {
        Subject s = subjects.get(name);
        if (s != null) {
            return s;
        }
        s = subjects.computeIfAbsent(name, Subject::new);
        synchronized (sortedSubjectsLock) {
            Subject[] old = sortedSubjects;
            int lo = 0;
            int hi = old.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = old[mid].name.compareTo(name);
                if (c == 0) {
                    return s; // another thread added it
                }
                if (c < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            Subject[] next = new Subject[old.length + 1];
            System.arraycopy(old, 0, next, 0, lo);
            next[lo] = s;
            System.arraycopy(old, lo, next, lo + 1, old.length - lo);
            sortedSubjects = next;
        }
        return s;
    }

    private void reject(String subject, String metric, double value, Counter counter) {
        rejected.incrementAndGet();
        if (counter != null) {
            counter.increment();
        }
        log.debug("Rejected sample {} of {} for {}", value, metric, subject);
    }

    private static void requireName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }

    private void fireAlert(HealthAlertEvent e) {
        if (e.kind() == HealthAlertEvent.Kind.RAISED) {
            log.warn("Alert {} on {} of {}: value {} reached {}", e.level(), e.metric(), e.subject(), e.value(),
                    e.threshold());
        } else {
            log.info("Alert on {} of {} {} to {}: value {} (threshold {})", e.metric(), e.subject(), e.kind(),
                    e.level(), e.value(), e.threshold());
        }
        for (HealthAlertListener l : alertListeners) {
            try {
                l.onAlert(e);
            } catch (RuntimeException ex) {
                log.error("Alert listener {} failed on {}", l, e, ex);
            }
        }
    }

    private final class Subject {
        final String name;
        final HealthMonitor monitor;
        final Map<String, Series> series = new ConcurrentHashMap<>();
        /** The values of {@link #series} in its iteration order, for {@link #evaluate()} to walk. */
        volatile Series[] seriesArray = new Series[0];
        private final Object seriesArrayLock = new Object();
        final MetricHistory scores = new MetricHistory();
        volatile CompositeHealth last;
        volatile List<EarlyWarning> warnings = List.of();
        volatile int warningLevel;
        /** Set when a series took a sample since the last full {@link #evaluate()}. */
        private volatile boolean changed = true;
        /** The score windows' bucket (epoch) of the last full evaluation (guarded by this subject). */
        private long lastEpoch = Long.MIN_VALUE;
        /** The predictive risk recorded by the last full evaluation, NaN when none was (guarded by this subject). */
        private double lastRisk = Double.NaN;
        /** The bucket of the last non-zero predictive risk recorded (guarded by this subject). */
        private long lastNonZeroRiskEpoch = Long.MIN_VALUE;

        Subject(String name) {
            this.name = name;
            HealthMonitor.Builder mb = HealthMonitor.builder(name, model).clock(clock).meterRegistry(registry)
                    .listener(this::onAction);
            this.monitor = mb.build();
            if (registry != null) {
                meters.add(Gauge.builder("qudag.resilience.health.warning.level", this, x -> x.warningLevel)
                        .tag("subject", name).description("Worst early-warning level: 0 none, 1 ADVISORY .. 4 EMERGENCY")
                        .register(registry));
                meters.add(Gauge.builder("qudag.resilience.health.status", this,
                                x -> x.last == null ? 0 : x.last.status().ordinal())
                        .tag("subject", name)
                        .description("Health status: 0 UNKNOWN, 1 EXCELLENT, 2 GOOD, 3 FAIR, 4 POOR, 5 CRITICAL")
                        .register(registry));
            }
        }

        Series series(String metric) {
            Series s = series.get(metric);
            if (s == null) {
                s = series.computeIfAbsent(metric, m -> new Series(this, specs.get(m)));
                synchronized (seriesArrayLock) {
                    // the map's own iteration order, rebuilt after every insertion (the last rebuild
                    // follows every completed insertion)
                    seriesArray = series.values().toArray(new Series[0]);
                }
            }
            return s;
        }

        private void onAction(HealthActionEvent e) {
            for (HealthActionListener l : actionListeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    log.error("Action listener {} failed on {}", l, e, ex);
                }
            }
        }

        /** Called by a series of this subject after it took a sample (under the series' lock). */
        void changed() {
            if (!changed) {
                changed = true;
            }
        }

        /**
         * The composite now. A full evaluation assesses every series, records the predictive risk and
         * scores the monitor's windows. It is skipped, with exactly the same result, when none of its
         * inputs can have changed since the last full one: no series took a sample, the clock is still
         * in the same bucket of the score windows (so no sample expired), and the predictive risk is
         * none or zero with no non-zero risk left in the window (the zero is still recorded, as its count
         * weighs later risks, and leaves the window's mean at exactly zero). The last composite is then
         * returned, restamped with the current time, and the score history gets its point as before.
         */
        synchronized CompositeHealth evaluate() {
            Instant now = clock.instant();
            long nowMillis = now.toEpochMilli();
            long epoch = Math.floorDiv(nowMillis, windowBucketMillis);
            CompositeHealth previous = last;
            if (evaluationCache && previous != null && !changed && epoch == lastEpoch
                    && (Double.isNaN(lastRisk) || (lastRisk == 0.0 && lastNonZeroRiskEpoch <= epoch - HealthMonitor.DEFAULT_BUCKETS))) {
                if (lastRisk == 0.0) {
                    // as a full evaluation would: the count of zeros weighs any later non-zero risk
                    monitor.record(PREDICTIVE_RISK, 0.0);
                }
                CompositeHealth h = previous;
                if (!now.equals(previous.at())) {
                    h = new CompositeHealth(previous.subject(), previous.status(), previous.score(),
                            previous.dimensions(), previous.metrics(), now);
                }
                if (h.score().isPresent()) {
                    scores.add(nowMillis, h.score().getAsDouble());
                }
                last = h;
                return h;
            }
            changed = false; // cleared before the series are read: a sample arriving meanwhile sets it again
            List<EarlyWarning> ws = null;
            double risk = Double.NaN;
            for (Series s : seriesArray) {
                EarlyWarning w = s.assess(now);
                if (w != null) {
                    if (ws == null) {
                        ws = new ArrayList<>(2);
                    }
                    ws.add(w);
                }
                if (s.assessedReady) {
                    double r = w != null ? w.confidence() : 0.0;
                    risk = Double.isNaN(risk) ? r : Math.max(risk, r);
                }
            }
            warnings = ws == null ? List.of() : List.copyOf(ws);
            int lvl = 0;
            if (ws != null) {
                for (EarlyWarning w : ws) {
                    lvl = Math.max(lvl, w.level().ordinal() + 1);
                }
            }
            warningLevel = lvl;
            if (!Double.isNaN(risk)) {
                double recorded = Math.min(1.0, Math.max(0.0, risk));
                monitor.record(PREDICTIVE_RISK, recorded);
                if (recorded != 0.0) {
                    lastNonZeroRiskEpoch = epoch;
                }
                lastRisk = recorded;
            } else {
                lastRisk = Double.NaN;
            }
            lastEpoch = epoch;
            CompositeHealth h = CompositeHealth.of(monitor.score());
            if (h.score().isPresent()) {
                scores.add(h.at().toEpochMilli(), h.score().getAsDouble());
            }
            last = h;
            return h;
        }
    }

    private final class Series {
        final Subject owner;
        final MetricSpec spec;
        final AlertState alert;
        /** Allocated last in the constructor, so that the series' small objects lie together before its arrays. */
        final MetricHistory history;
        final Forecaster forecaster;
        final AnomalyDetector detector;
        final PageHinkleyDetector regression;
        final ConnectionLeakDetector connectionLeak;
        boolean leaking;
        int quietSamples;
        volatile boolean anomalous;
        volatile long alertSince;
        long lastAt = Long.MIN_VALUE;
        double stepMillis;
        /*
         * What assess() needs, mirrored here by add() (under this lock) so that a series that is not
         * degrading is assessed without touching its history or forecaster: the history's last value
         * (same rule as MetricHistory: the sample with the latest time), and the forecaster's readiness
         * and trend after the last update (the forecaster changes only in add()).
         */
        boolean hasData;
        long lastValueAt = Long.MIN_VALUE;
        double lastValue = Double.NaN;
        boolean ready;
        double trend;
        /** The forecaster's readiness as of the last assess(), read right after it by the same thread. */
        boolean assessedReady;

        Series(Subject owner, MetricSpec spec) {
            this.owner = owner;
            this.spec = spec;
            this.alert = new AlertState(spec);
            this.forecaster = forecasters.get();
            this.detector = detectors.get();
            this.regression = spec.name().equals(MetricSpecs.RESPONSE_TIME_P95) ? PageHinkleyDetector.defaults() : null;
            this.connectionLeak = spec.name().equals(MetricSpecs.ACTIVE_CONNECTIONS)
                    ? ConnectionLeakDetector.defaults() : null;
            this.history = new MetricHistory();
            if (registry != null) {
                meters.add(Gauge.builder("qudag.resilience.health.alert.level", alert, a -> a.level().ordinal())
                        .tag("subject", owner.name).tag("metric", spec.name())
                        .description("Alert level of a metric: 0 NONE, 1 WARNING, 2 CRITICAL, 3 EMERGENCY")
                        .register(registry));
            }
        }

        synchronized void add(long at, double value) {
            history.add(at, value);
            owner.monitor.record(spec.name(), value);
            forecaster.update(value);
            hasData = true;
            if (at >= lastValueAt) {
                lastValueAt = at;
                lastValue = value;
            }
            ready = forecaster.ready();
            trend = forecaster.trend();
            anomalous = detector.update(value);
            if (quietSamples > 0) {
                quietSamples--;
            }
            if (anomalous && quietSamples == 0) {
                quietSamples = ANOMALY_SUPPRESSION;
                finding(owner.name, spec.name(), HealthFindingEvent.Kind.ANOMALY, value, ANOMALY_DETAIL, at);
            }
            if (regression != null && regression.update(value)) {
                finding(owner.name, spec.name(), HealthFindingEvent.Kind.REGRESSION, value,
                        "p95 latency shifted up (Page-Hinkley change point)", at);
            }
            if (connectionLeak != null) {
                boolean now = connectionLeak.update(value);
                if (now && !leaking) {
                    finding(owner.name, spec.name(), HealthFindingEvent.Kind.CONNECTION_LEAK,
                            value, String.format(Locale.ROOT, "connections rose in %.0f%% of changes",
                            100 * connectionLeak.lastScore()), at);
                }
                leaking = now;
            }
            if (lastAt != Long.MIN_VALUE && at > lastAt) {
                double dt = at - lastAt;
                stepMillis = stepMillis == 0 ? dt : 0.8 * stepMillis + 0.2 * dt;
            }
            lastAt = at;
            owner.changed();
            AlertLevel before = alert.level();
            AlertLevel after = alert.apply(value);
            if (after != before) {
                HealthAlertEvent.Kind kind = after.isWorseThan(before) ? HealthAlertEvent.Kind.RAISED
                        : after == AlertLevel.NONE ? HealthAlertEvent.Kind.CLEARED : HealthAlertEvent.Kind.LOWERED;
                if (before == AlertLevel.NONE) {
                    alertSince = at;
                }
                double threshold = kind == HealthAlertEvent.Kind.RAISED ? spec.threshold(after) : spec.threshold(before);
                fireAlert(new HealthAlertEvent(owner.name, spec.name(), after, before, kind, value, threshold,
                        Instant.ofEpochMilli(at)));
            }
        }

        /**
         * The early warning of this series now, or null; sets {@link #assessedReady}. Same result as
         * {@link EarlyWarnings#assess} on the history's last value, without allocating unless there is a
         * warning, and without touching the forecaster when the series is neither past its critical
         * threshold nor trending towards it.
         */
        synchronized EarlyWarning assess(Instant now) {
            assessedReady = ready;
            if (!hasData || !ready) {
                return null;
            }
            long step = (long) (stepMillis > 0 ? stepMillis : spec.collectionInterval().toMillis());
            if (step <= 0) {
                return null;
            }
            if (!spec.reaches(lastValue, spec.critical())
                    && !(spec.direction() == IndicatorDirection.HIGHER_IS_WORSE ? trend > 0 : trend < 0)) {
                return null; // not degrading: EarlyWarnings would return nothing
            }
            return EarlyWarnings.warningOrNull(owner.name, spec, forecaster, lastValue, step, now);
        }
    }

    /** A ring of the last findings' fields, oldest overwritten first; not thread-safe (callers lock it). */
    private static final class FindingRing {
        final String[] subject;
        final String[] metric;
        final HealthFindingEvent.Kind[] kind;
        final double[] value;
        final String[] detail;
        final long[] atMillis;
        int head;
        int size;

        FindingRing(int capacity) {
            subject = new String[capacity];
            metric = new String[capacity];
            kind = new HealthFindingEvent.Kind[capacity];
            value = new double[capacity];
            detail = new String[capacity];
            atMillis = new long[capacity];
        }

        void add(String s, String m, HealthFindingEvent.Kind k, double v, String d, long at) {
            int i = (head + size) % subject.length;
            if (size == subject.length) {
                head = (head + 1) % subject.length;
            } else {
                size++;
            }
            subject[i] = s;
            metric[i] = m;
            kind[i] = k;
            value[i] = v;
            detail[i] = d;
            atMillis[i] = at;
        }

        List<HealthFindingEvent> events() {
            List<HealthFindingEvent> out = new ArrayList<>(size);
            for (int n = 0; n < size; n++) {
                int i = (head + n) % subject.length;
                out.add(new HealthFindingEvent(subject[i], metric[i], kind[i], value[i], detail[i],
                        Instant.ofEpochMilli(atMillis[i])));
            }
            return List.copyOf(out);
        }
    }

    private static final class Binding {
        final String subject;
        final MetricSpec spec;
        final MetricSource source;
        volatile long lastRead = Long.MIN_VALUE;

        Binding(String subject, MetricSpec spec, MetricSource source) {
            this.subject = subject;
            this.spec = spec;
            this.source = source;
        }
    }

    /** Builds a {@link HealthMonitoringSystem}; {@link #build()} validates everything. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry;
        private final Map<String, MetricSpec> specs = new LinkedHashMap<>();
        private final Map<HealthCategory, Double> weights = new EnumMap<>(HealthCategory.class);
        private Duration scoreWindow = Duration.ofSeconds(60);
        private double fastIntervalFactor = 0.5;
        private boolean evaluationCache = true;
        private final List<HealthAlertListener> alertListeners = new ArrayList<>();
        private final List<HealthActionListener> actionListeners = new ArrayList<>();
        private final Map<String, List<MetricSource>> sources = new LinkedHashMap<>();
        private Supplier<Forecaster> forecasters = HoltForecaster::defaults;
        private Supplier<AnomalyDetector> detectors = RobustZScoreDetector::defaults;
        private final List<Consumer<HealthFindingEvent>> findingListeners = new ArrayList<>();
        private String heapLeakSubject;
        private boolean heapLeakSet;
        private String nullField;

        private Builder() {
            for (MetricSpec s : MetricSpecs.all()) {
                specs.put(s.name(), s);
            }
            for (HealthCategory c : HealthCategory.values()) {
                weights.put(c, c.defaultWeight());
            }
        }

        /**
         * Default the system UTC clock.
         *
         * @param clock non-null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Turns the skipping of unchanged subjects off, so that a test can compare both paths. */
        Builder evaluationCache(boolean enabled) {
            this.evaluationCache = enabled;
            return this;
        }

        /**
         * Where meters go; default none.
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Adds a metric or replaces the one of the same name.
         *
         * @param spec the metric's thresholds, interval and category; non-null
         * @return this builder
         */
        public Builder metric(MetricSpec spec) {
            if (spec == null) {
                nullField = "metric";
            } else {
                specs.put(spec.name(), spec);
            }
            return this;
        }

        /**
         * The weight of a dimension in the composite; the four must sum to 1. Defaults 0.3/0.4/0.2/0.1.
         *
         * @param category the dimension; non-null
         * @param weight {@code >= 0}
         * @return this builder
         */
        public Builder categoryWeight(HealthCategory category, double weight) {
            if (category == null) {
                nullField = "categoryWeight category";
            } else {
                weights.put(category, weight);
            }
            return this;
        }

        /**
         * The window each metric's mean is scored over; default 60 s.
         *
         * @param scoreWindow a positive duration
         * @return this builder
         */
        public Builder scoreWindow(Duration scoreWindow) {
            this.scoreWindow = scoreWindow;
            return this;
        }

        /**
         * The factor applied to collection intervals while a subject scores below 75; in (0, 1], default 0.5.
         *
         * @param factor in (0, 1]
         * @return this builder
         */
        public Builder fastIntervalFactor(double factor) {
            this.fastIntervalFactor = factor;
            return this;
        }

        /**
         * Receives every alert raised or cleared; repeatable.
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder alertListener(HealthAlertListener listener) {
            if (listener == null) {
                nullField = "alertListener";
            } else {
                alertListeners.add(listener);
            }
            return this;
        }

        /**
         * Receives every automated-action event (core's {@link HealthActionEvent}).
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder actionListener(HealthActionListener listener) {
            if (listener == null) {
                nullField = "actionListener";
            } else {
                actionListeners.add(listener);
            }
            return this;
        }

        /**
         * A hook run when {@code action} becomes due (ENTERED events only): e.g. the optimisation hook
         * for PERFORMANCE_OPTIMIZATION, the emergency hook for EMERGENCY_RESPONSE.
         *
         * @param action the action; non-null
         * @param hook runs when it becomes due; non-null
         * @return this builder
         */
        public Builder onAction(HealthAction action, HealthActionListener hook) {
            if (action == null || hook == null) {
                nullField = "onAction";
                return this;
            }
            return actionListener(e -> {
                if (e.action() == action && e.kind() == HealthActionEvent.Kind.ENTERED) {
                    hook.onEvent(e);
                }
            });
        }

        /**
         * A source for {@code subject}, read at its metric's collection interval.
         *
         * @param subject the monitored subject; not blank
         * @param source reads one registered metric; non-null
         * @return this builder
         */
        public Builder source(String subject, MetricSource source) {
            if (source == null) {
                nullField = "source";
            } else {
                sources.computeIfAbsent(subject, k -> new ArrayList<>()).add(source);
            }
            return this;
        }

        /**
         * Receives detector findings (anomaly, p95 regression, connection leak, memory leak).
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder findingListener(Consumer<HealthFindingEvent> listener) {
            if (listener == null) {
                nullField = "findingListener";
            } else {
                findingListeners.add(listener);
            }
            return this;
        }

        /**
         * Watches the heap after every garbage collection (JVM GC notifications) and reports a
         * MEMORY_LEAK finding for {@code subject} when it keeps rising towards the max heap. Off by
         * default.
         *
         * @param subject the subject the findings are reported for; not blank
         * @return this builder
         */
        public Builder heapLeakDetection(String subject) {
            this.heapLeakSubject = subject;
            this.heapLeakSet = true;
            return this;
        }

        /**
         * A new forecaster per series; default {@link HoltForecaster#defaults()}.
         *
         * @param factory makes one forecaster per series; non-null
         * @return this builder
         */
        public Builder forecaster(Supplier<Forecaster> factory) {
            if (factory == null) {
                nullField = "forecaster";
            } else {
                this.forecasters = factory;
            }
            return this;
        }

        /**
         * A new anomaly detector per series; default {@link RobustZScoreDetector#defaults()}.
         *
         * @param factory makes one detector per series; non-null
         * @return this builder
         */
        public Builder anomalyDetector(Supplier<AnomalyDetector> factory) {
            if (factory == null) {
                nullField = "anomalyDetector";
            } else {
                this.detectors = factory;
            }
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the system, with no sample recorded
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         */
        public HealthMonitoringSystem build() {
            if (nullField != null) {
                throw new IllegalArgumentException(nullField + " must not be null, was null");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            if (scoreWindow == null || scoreWindow.isNegative() || scoreWindow.isZero()) {
                throw new IllegalArgumentException("scoreWindow must be > 0, was " + scoreWindow);
            }
            if (!(fastIntervalFactor > 0 && fastIntervalFactor <= 1)) {
                throw new IllegalArgumentException("fastIntervalFactor must be in (0, 1], was " + fastIntervalFactor);
            }
            double sum = 0;
            for (Map.Entry<HealthCategory, Double> e : weights.entrySet()) {
                double w = e.getValue();
                if (!Double.isFinite(w) || w < 0) {
                    throw new IllegalArgumentException("categoryWeight " + e.getKey() + " must be a finite number >= 0, was " + w);
                }
                sum += w;
            }
            if (Math.abs(sum - 1.0) > 1e-6) {
                throw new IllegalArgumentException("category weights must sum to 1, was " + sum + " " + weights);
            }
            for (String subject : sources.keySet()) {
                requireName("source subject", subject);
            }
            if (heapLeakSet) {
                requireName("heapLeakDetection subject", heapLeakSubject);
            }
            HealthModel.Builder mb = HealthModel.builder().normalizeWeights(true);
            for (MetricSpec s : specs.values()) {
                mb.indicator(s.indicator().toBuilder().evaluationWindow(scoreWindow).build());
            }
            mb.indicator(HealthIndicator.builder(PREDICTIVE_RISK).category(HealthCategory.PREDICTIVE).fraction(true)
                    .threshold(0.3).ideal(0).zeroScoreMultiple(1 / 0.3).evaluationWindow(scoreWindow).build());
            weights.forEach(mb::categoryWeight);
            for (HealthCategory c : HealthCategory.values()) {
                if (weights.get(c) == 0) {
                    mb.categoryWeight(c, 0);
                }
            }
            return new HealthMonitoringSystem(this, mb.build());
        }
    }
}
