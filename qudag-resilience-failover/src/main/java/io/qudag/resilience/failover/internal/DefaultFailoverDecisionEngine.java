package io.qudag.resilience.failover.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.spi.FailoverCoordinator;
import io.qudag.resilience.core.spi.HealthTrendSignal;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverAction;
import io.qudag.resilience.failover.FailoverCondition;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.FailoverEngineConfig;
import io.qudag.resilience.failover.FailoverTrigger;
import io.qudag.resilience.failover.MaintenanceWindow;
import io.qudag.resilience.failover.NoEndpointAvailableException;
import io.qudag.resilience.failover.event.DecisionEvent;
import io.qudag.resilience.failover.event.DecisionSuppressedEvent;
import io.qudag.resilience.failover.event.FailoverConfirmedEvent;
import io.qudag.resilience.failover.event.FailoverListener;
import io.qudag.resilience.failover.event.SessionReplicationEvent;
import io.qudag.resilience.failover.spi.SessionState;
import io.qudag.resilience.failover.spi.SessionStateReplicator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FailoverDecisionEngine} implementation. Immediate triggers run on the thread that
 * reports the outcome (a counter crosses its threshold: one lock, one decision); gradual and predictive
 * triggers run in {@link #evaluate()}. Every decision takes the group's lock, asks the coordinator,
 * executes the state change, publishes a new routing table and records the decision. With the
 * in-process coordinator that is one step; with any other coordinator the decision is prepared under
 * the lock (with the full routing it makes), committed outside it on the engine's commit thread, and
 * executed under the lock once committed, so a replication round trip never holds the group's lock
 * and a call-path trigger never waits for it.
 */
public final class DefaultFailoverDecisionEngine implements FailoverDecisionEngine, GroupObserver {

    private static final Logger log = LoggerFactory.getLogger(DefaultFailoverDecisionEngine.class);
    private static final int HISTORY = 1000;
    /** Decisions waiting for their first success on a target, at most (the call path scans them). */
    private static final int MAX_PENDING = 8;

    private final DefaultEndpointGroup group;
    private final FailoverEngineConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final FailoverCoordinator coordinator;
    /** The in-process coordinator commits instantly: decisions stay synchronous, in one lock. */
    private final boolean inlineCommit;
    /** Any other coordinator commits here, off the group's lock and off the callers' threads. */
    private java.util.concurrent.ExecutorService commitExecutor;
    private boolean closed;
    /** Per endpoint: a call-path decision is queued on the commit thread (at most one each). */
    private final java.util.concurrent.atomic.AtomicIntegerArray inFlight;
    private final HealthTrendSignal trend;
    private final SessionStateReplicator replicator;
    private final AuditLog audit;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private ScheduledFuture<?> task;

    // Per endpoint (runtime index); guarded by group.lock.
    private final double[] baselineP95;
    private final long[] nextShiftAt;
    private final long[] holdUntil;
    private final Deque<Entry> history = new ArrayDeque<>();

    /** Decisions waiting for their first success on a target; copy-on-write. */
    private volatile Pending[] pending = new Pending[0];

    private final Map<FailoverTrigger, Timer> decisionTimers = new EnumMap<>(FailoverTrigger.class);
    private final Map<FailoverTrigger, Timer> executionTimers = new EnumMap<>(FailoverTrigger.class);
    private final Map<FailoverCondition, Counter> decisionCounters = new EnumMap<>(FailoverCondition.class);

    /** What a decision changed, so it can be undone. */
    private record Restore(EndpointState state, double factor, long unavailableUntil) {
    }

    private static final class Entry {
        final FailoverDecision decision;
        final EndpointRuntime source;
        final Restore before;
        final EndpointRuntime[] targets;
        final long[] targetCalls0;
        final long[] targetFailures0;
        final double sourceErrorRate;
        final long decidedAtMillis;
        boolean rolledBack;

        Entry(FailoverDecision decision, EndpointRuntime source, Restore before, EndpointRuntime[] targets,
              double sourceErrorRate, long decidedAtMillis) {
            this.decision = decision;
            this.source = source;
            this.before = before;
            this.targets = targets;
            this.targetCalls0 = new long[targets.length];
            this.targetFailures0 = new long[targets.length];
            for (int i = 0; i < targets.length; i++) {
                targetCalls0[i] = targets[i].calls.sum();
                targetFailures0[i] = targets[i].failures.sum();
            }
            this.sourceErrorRate = sourceErrorRate;
            this.decidedAtMillis = decidedAtMillis;
        }
    }

    private record Pending(String decisionId, EndpointRuntime[] targets, Instant decidedAt, long expiresAtMillis) {
    }

    /** A condition found by the assessment, with the inputs it rests on. */
    private record Finding(FailoverCondition condition, Map<String, Double> inputs, String reason) {
    }

    public DefaultFailoverDecisionEngine(DefaultEndpointGroup group, FailoverEngineConfig config, Clock clock,
                                         MeterRegistry registry, FailoverCoordinator coordinator,
                                         HealthTrendSignal trend, SessionStateReplicator replicator, Path auditFile,
                                         ScheduledExecutorService scheduler, List<FailoverListener> listeners) {
        this.group = group;
        this.config = config;
        this.clock = clock == null ? group.clock : clock;
        this.registry = registry != null ? registry : group.registry;
        this.coordinator = coordinator;
        this.inlineCommit = coordinator instanceof LocalFailoverCoordinator;
        this.inFlight = new java.util.concurrent.atomic.AtomicIntegerArray(group.runtimes.length);
        this.trend = trend;
        this.replicator = replicator;
        this.audit = new AuditLog(auditFile, this.registry, group.name());
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler;
        int n = group.runtimes.length;
        this.baselineP95 = new double[n];
        Arrays.fill(baselineP95, Double.NaN);
        this.nextShiftAt = new long[n];
        this.holdUntil = new long[n];
        group.addListener(audit);
        listeners.forEach(group::addListener);
        group.observer = this;
    }

    @Override
    public EndpointGroup group() {
        return group;
    }

    // ---------------------------------------------------------------- scheduling

    @Override
    public synchronized void start() {
        if (task != null) {
            return;
        }
        ScheduledExecutorService s = scheduler != null ? scheduler : ownScheduler();
        long ms = config.evaluationInterval().toMillis();
        task = s.scheduleAtFixedRate(this::evaluateSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    private ScheduledExecutorService ownedScheduler;

    private ScheduledExecutorService ownScheduler() {
        ownedScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qudag-failover-" + group.name());
            t.setDaemon(true);
            return t;
        });
        return ownedScheduler;
    }

    /**
     * The scheduled task. Catches everything: a task of {@code scheduleAtFixedRate} that throws is never
     * run again, and a failing extension (probe, trend signal, listener) must not stop evaluation and
     * recovery for good.
     */
    private void evaluateSafely() {
        try {
            evaluate();
        } catch (Throwable e) {
            log.error("failover evaluation of group {} failed; the next one runs as scheduled", group.name(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (ownsScheduler && ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        closed = true;
        if (commitExecutor != null) {
            commitExecutor.shutdownNow();
        }
        group.observer = GroupObserver.NONE;
        group.removeListener(audit);
        audit.close();
    }

    // ---------------------------------------------------------------- immediate triggers (call path)

    @Override
    public void onFailure(EndpointRuntime r, CallOutcome outcome, int consecutiveTransportErrors, long nowMillis) {
        // No hold-off here: a rollback must never keep traffic on an endpoint that stopped answering.
        if (consecutiveTransportErrors < config.unreachableAfterTransportErrors() || !r.state.routable()) {
            return;
        }
        Instant detectedAt = clock.instant();
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("consecutive_transport_errors", (double) consecutiveTransportErrors);
        decide(r, true, x -> Target.OUT,
                FailoverCondition.SERVER_UNREACHABLE, FailoverAction.INSTANT_REDIRECTION, detectedAt, inputs,
                consecutiveTransportErrors + " transport errors in a row", null,
                x -> x.state.routable(), now -> group.makeUnavailable(r, "failover: server unreachable", now, false));
    }

    @Override
    public void onSuccess(EndpointRuntime r, long ignored) {
        Pending[] p = pending;
        if (p.length == 0) {
            return;
        }
        for (Pending x : p) {
            for (EndpointRuntime t : x.targets) {
                if (t == r) {
                    confirm(x, r);
                    return;
                }
            }
        }
    }

    private void confirm(Pending x, EndpointRuntime r) {
        synchronized (group.lock) {
            Pending[] cur = pending;
            int i = Arrays.asList(cur).indexOf(x);
            if (i < 0) {
                return;
            }
            Pending[] next = new Pending[cur.length - 1];
            System.arraycopy(cur, 0, next, 0, i);
            System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
            pending = next;
            Instant now = clock.instant();
            Duration since = Duration.between(x.decidedAt, now);
            group.addPending(new FailoverConfirmedEvent(group.name(), x.decisionId, r.id(), since, now));
            log.info("failover {} confirmed: first success on {} {} ms after the decision", x.decisionId, r.id(),
                    since.toNanos() / 1e6);
        }
        group.flushEvents();
    }

    @Override
    public Optional<FailoverDecision> reportCondition(String endpointId, FailoverCondition condition, String detail) {
        if (condition == null || condition.trigger() != FailoverTrigger.IMMEDIATE) {
            throw new IllegalArgumentException("condition must be of the IMMEDIATE family, was " + condition);
        }
        EndpointRuntime r = group.runtime(endpointId);
        Instant detectedAt = clock.instant();
        return decide(r, false, x -> Target.OUT, condition, FailoverAction.INSTANT_REDIRECTION, detectedAt, Map.of(),
                detail == null ? condition.name().toLowerCase(Locale.ROOT) : detail, null,
                x -> x.state.routable(), now -> group.makeUnavailable(r, "failover: "
                        + condition.name().toLowerCase(Locale.ROOT), now, false));
    }

    @Override
    public void recordResource(String endpointId, String metric, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(metric + " must be a fraction in [0, 1], was " + value);
        }
        group.runtime(endpointId).metrics.recordResource(metric, value);
    }

    // ---------------------------------------------------------------- evaluation (gradual, predictive)

    @Override
    public synchronized void evaluate() {
        group.tick();
        long now = clock.millis();
        expirePending(now);
        if (config.autoRollback()) {
            autoRollback(now);
        }
        for (EndpointRuntime r : group.runtimes) {
            MaintenanceWindow w = activeWindow(r, now);
            if (w != null) {
                maintenance(r, w, now);
                continue;
            }
            EndpointState s = r.state;
            if (!(s == EndpointState.HEALTHY || s == EndpointState.DEGRADED || s == EndpointState.RAMPING)) {
                continue;
            }
            EndpointMetrics.Reading rd = r.metrics.read();
            Finding f = now < holdUntil[r.index] ? null : assess(r, rd);
            if (f == null) {
                if (s == EndpointState.HEALTHY) {
                    learnBaseline(r, rd);
                } else if (s == EndpointState.DEGRADED) {
                    synchronized (group.lock) {
                        if (r.state == EndpointState.DEGRADED) {
                            group.startRamp(r, r.factor, "condition cleared", now);
                            group.rebuild();
                        }
                    }
                    group.flushEvents();
                }
                continue;
            }
            if (s == EndpointState.DEGRADED && now < nextShiftAt[r.index]) {
                continue;
            }
            shiftStep(r, f, now);
        }
    }

    private void shiftStep(EndpointRuntime r, Finding f, long now) {
        FailoverAction action = f.condition.trigger() == FailoverTrigger.PREDICTIVE
                ? FailoverAction.PROACTIVE_REDISTRIBUTION : FailoverAction.PROGRESSIVE_SHIFT;
        double target = round(r.factor - config.shiftStep());
        Instant detectedAt = clock.instant();
        decide(r, false, x -> target <= 0 ? Target.OUT : new Target(EndpointState.DEGRADED, target),
                f.condition, action, detectedAt, f.inputs,
                f.reason + String.format(Locale.ROOT, "; traffic factor %.2f -> %.2f", r.factor, Math.max(0, target)),
                null, x -> x.state == EndpointState.HEALTHY || x.state == EndpointState.DEGRADED
                        || x.state == EndpointState.RAMPING,
                t -> {
                    nextShiftAt[r.index] = t + config.shiftInterval().toMillis();
                    if (target <= 0) {
                        group.makeUnavailable(r, "shifted away: " + f.condition.name().toLowerCase(Locale.ROOT), t,
                                false);
                    } else {
                        group.transition(r, EndpointState.DEGRADED, target,
                                f.condition.name().toLowerCase(Locale.ROOT) + ": " + f.reason, t, false);
                    }
                });
    }

    private Finding assess(EndpointRuntime r, EndpointMetrics.Reading rd) {
        Map<String, Double> in = inputs(r, rd);
        // A ramping endpoint's error window still holds the failures that took it out; errors during the
        // ramp are judged by the group's relapse rule, over the calls since the ramp began.
        boolean judgeErrorRate = r.state != EndpointState.RAMPING;
        if (judgeErrorRate && rd.errorCount() >= config.minSamples() && rd.errorRate() > config.errorRateThreshold()) {
            return new Finding(FailoverCondition.ERROR_RATE, in, String.format(Locale.ROOT,
                    "error rate %.3f > %.3f over %d calls", rd.errorRate(), config.errorRateThreshold(),
                    rd.errorCount()));
        }
        double base = baselineP95[r.index];
        if (rd.responseCount() >= config.minSamples() && base > 0
                && rd.responseP95Millis() > base * (1 + config.degradationThreshold())) {
            return new Finding(FailoverCondition.PERFORMANCE_DEGRADATION, in, String.format(Locale.ROOT,
                    "p95 %.1f ms is %.0f%% above baseline %.1f ms", rd.responseP95Millis(),
                    (rd.responseP95Millis() / base - 1) * 100, base));
        }
        if (rd.cpu() > config.cpuThreshold() || rd.memory() > config.memoryThreshold()
                || rd.diskIoWait() > config.diskIoWaitThreshold()) {
            return new Finding(FailoverCondition.RESOURCE_EXHAUSTION, in, String.format(Locale.ROOT,
                    "resources cpu %.2f/%.2f memory %.2f/%.2f disk_io_wait %.2f/%.2f", rd.cpu(),
                    config.cpuThreshold(), rd.memory(), config.memoryThreshold(), rd.diskIoWait(),
                    config.diskIoWaitThreshold()));
        }
        Optional<HealthTrendSignal.Prediction> p = predict(r);
        if (p.isPresent()) {
            HealthTrendSignal.Prediction x = p.get();
            in.put("predicted_failure_probability", x.failureProbability());
            in.put("prediction_horizon_s", (double) x.horizon().toSeconds());
            return new Finding(FailoverCondition.TREND_PREDICTS_FAILURE, in, String.format(Locale.ROOT,
                    "trend predicts failure p=%.2f within %d s: %s", x.failureProbability(),
                    x.horizon().toSeconds(), x.reason()));
        }
        double capacity = r.endpoint.capacityPerSecond();
        if (capacity > 0 && rd.responseCount() >= config.minSamples()
                && rd.callsPerSecond() > config.capacityThreshold() * capacity) {
            in.put("calls_per_second", rd.callsPerSecond());
            in.put("capacity_per_second", capacity);
            return new Finding(FailoverCondition.CAPACITY_THRESHOLD_EXCEEDED, in, String.format(Locale.ROOT,
                    "%.1f calls/s > %.0f%% of capacity %.1f/s", rd.callsPerSecond(),
                    config.capacityThreshold() * 100, capacity));
        }
        return null;
    }

    private Optional<HealthTrendSignal.Prediction> predict(EndpointRuntime r) {
        Optional<HealthTrendSignal.Prediction> p;
        try {
            p = trend.predict(r.id());
        } catch (RuntimeException e) {
            log.warn("trend signal failed for endpoint {}: {}", r.id(), e.toString());
            return Optional.empty();
        }
        return p.filter(x -> x.failureProbability() >= config.predictiveProbability()
                && x.horizon().compareTo(config.predictiveHorizon()) <= 0);
    }

    private Map<String, Double> inputs(EndpointRuntime r, EndpointMetrics.Reading rd) {
        Map<String, Double> in = new LinkedHashMap<>();
        put(in, "response_time_p95_ms", rd.responseP95Millis());
        put(in, "response_time_baseline_ms", baselineP95[r.index]);
        put(in, "error_rate", rd.errorRate());
        put(in, "connection_success_rate", rd.connectionSuccessRate());
        put(in, "cpu_utilization", rd.cpu());
        put(in, "memory_utilization", rd.memory());
        put(in, "disk_io_wait", rd.diskIoWait());
        put(in, "health_score", rd.healthScore());
        in.put("calls_in_window", (double) rd.errorCount());
        in.put("traffic_factor", r.factor);
        return in;
    }

    private static void put(Map<String, Double> in, String k, double v) {
        if (Double.isFinite(v)) {
            in.put(k, v);
        }
    }

    private void learnBaseline(EndpointRuntime r, EndpointMetrics.Reading rd) {
        if (rd.responseCount() < config.minSamples() || !(rd.responseP95Millis() > 0)) {
            return;
        }
        double b = baselineP95[r.index];
        baselineP95[r.index] = Double.isNaN(b) ? rd.responseP95Millis()
                : b + config.baselineAlpha() * (rd.responseP95Millis() - b);
    }

    private MaintenanceWindow activeWindow(EndpointRuntime r, long now) {
        for (MaintenanceWindow w : config.maintenanceWindows()) {
            if (w.endpointId().equals(r.id()) && now >= w.start().toEpochMilli() - config.maintenanceLead().toMillis()
                    && now < w.end().toEpochMilli()) {
                return w;
            }
        }
        return null;
    }

    private void maintenance(EndpointRuntime r, MaintenanceWindow w, long now) {
        long start = w.start().toEpochMilli();
        long end = w.end().toEpochMilli();
        EndpointState s = r.state;
        if (s == EndpointState.UNAVAILABLE || s == EndpointState.PROBING) {
            synchronized (group.lock) {
                if (r.state == EndpointState.PROBING) {
                    group.makeUnavailableUntil(r, "maintenance window until " + w.end(), now, end);
                    group.rebuild();
                } else if (r.state == EndpointState.UNAVAILABLE && r.unavailableUntilMillis < end) {
                    r.unavailableUntilMillis = end;
                }
            }
            group.flushEvents();
            return;
        }
        if (!s.routable()) {
            return;
        }
        // Linear from factor 1 at (start - lead) to 0 at start, moved in steps every shiftInterval.
        double target = now >= start ? 0.0
                : round(Math.min(1.0, (double) (start - now) / config.maintenanceLead().toMillis()));
        if (target >= r.factor - 1e-9 || (target > 0 && now < nextShiftAt[r.index])) {
            return;
        }
        double next = target;
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("seconds_to_window", (double) Math.max(0, (start - now) / 1000));
        in.put("traffic_factor", r.factor);
        decide(r, false, x -> next <= 0 ? Target.OUT : new Target(EndpointState.DEGRADED, next),
                FailoverCondition.MAINTENANCE_WINDOW_APPROACHING, FailoverAction.PROACTIVE_REDISTRIBUTION,
                clock.instant(), in, String.format(Locale.ROOT,
                        "maintenance window %s..%s; traffic factor %.2f -> %.2f", w.start(), w.end(), r.factor, next),
                null, x -> x.state.routable(), t -> {
                    nextShiftAt[r.index] = t + config.shiftInterval().toMillis();
                    if (next <= 0) {
                        group.makeUnavailableUntil(r, "maintenance window until " + w.end(), t, end);
                    } else {
                        group.transition(r, EndpointState.DEGRADED, next, "maintenance window approaching", t, false);
                    }
                });
    }

    // ---------------------------------------------------------------- manual operations

    @Override
    public FailoverDecision drain(String endpointId) {
        EndpointRuntime r = group.runtime(endpointId);
        return decide(r, false, x -> new Target(EndpointState.DRAINED, 0.0),
                FailoverCondition.OPERATOR_DRAIN, FailoverAction.DRAIN, clock.instant(), Map.of(),
                "operator drain", null, x -> x.state != EndpointState.DRAINED,
                now -> group.transition(r, EndpointState.DRAINED, 0.0, "drained by operator", now, false))
                .orElseThrow(() -> notDecided(endpointId, "drain"));
    }

    @Override
    public FailoverDecision undrain(String endpointId) {
        EndpointRuntime r = group.runtime(endpointId);
        return decide(r, false, x -> new Target(EndpointState.RAMPING, group.rampFirstFactor(0.0)),
                FailoverCondition.OPERATOR_UNDRAIN, FailoverAction.DRAIN, clock.instant(), Map.of(),
                "operator undrain", null, x -> x.state == EndpointState.DRAINED,
                now -> group.startRamp(r, 0.0, "undrained by operator", now))
                .orElseThrow(() -> notDecided(endpointId, "undrain"));
    }

    @Override
    public FailoverDecision forceFailover(String endpointId) {
        EndpointRuntime r = group.runtime(endpointId);
        return decide(r, false, x -> Target.OUT,
                FailoverCondition.OPERATOR_FORCE_FAILOVER, FailoverAction.INSTANT_REDIRECTION,
                clock.instant(), Map.of(), "operator forced failover", null,
                x -> x.state.routable(),
                now -> group.makeUnavailable(r, "failover forced by operator", now, false))
                .orElseThrow(() -> notDecided(endpointId, "forceFailover"));
    }

    private IllegalStateException notDecided(String endpointId, String op) {
        EndpointRuntime r = group.runtime(endpointId);
        return new IllegalStateException(op + " of endpoint " + endpointId + " not done: state " + r.state
                + ", coordinator role " + coordinator.role(group.name()));
    }

    @Override
    public Optional<FailoverDecision> rollback() {
        Entry e;
        synchronized (group.lock) {
            e = null;
            for (Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
                Entry x = it.next();
                if (!x.rolledBack && x.decision.trigger() != FailoverTrigger.ROLLBACK) {
                    e = x;
                    break;
                }
            }
        }
        if (e == null) {
            return Optional.empty();
        }
        return undo(List.of(e), FailoverCondition.MANUAL_ROLLBACK, Map.of(), "operator one-step rollback of "
                + e.decision.id());
    }

    private void autoRollback(long now) {
        List<Entry> series = null;
        Map<String, Double> in = null;
        String reason = null;
        synchronized (group.lock) {
            boolean[] newerDecision = new boolean[group.runtimes.length];
            for (Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (now - e.decidedAtMillis > config.rollbackWindow().toMillis()) {
                    break;
                }
                boolean superseded = newerDecision[e.source.index];
                newerDecision[e.source.index] = true;
                if (superseded || e.source.state != e.decision.sourceStateAfter()) {
                    // a later decision (say the endpoint stopped answering) or the group itself (an
                    // ejection) moved the source since: undoing this shift would send traffic back to it
                    continue;
                }
                FailoverTrigger t = e.decision.trigger();
                if (e.rolledBack || e.targets.length == 0
                        || (t != FailoverTrigger.GRADUAL && t != FailoverTrigger.PREDICTIVE)) {
                    continue;
                }
                long calls = 0;
                long fails = 0;
                for (int i = 0; i < e.targets.length; i++) {
                    calls += e.targets[i].calls.sum() - e.targetCalls0[i];
                    fails += e.targets[i].failures.sum() - e.targetFailures0[i];
                }
                if (calls < config.rollbackMinSamples()) {
                    continue;
                }
                double targetRate = (double) fails / calls;
                double sourceRate = Double.isNaN(e.sourceErrorRate) ? 0.0 : e.sourceErrorRate;
                if (targetRate > sourceRate) {
                    series = seriesOf(e);
                    in = new LinkedHashMap<>();
                    in.put("target_error_rate", targetRate);
                    in.put("source_error_rate", sourceRate);
                    in.put("target_calls", (double) calls);
                    reason = String.format(Locale.ROOT,
                            "targets did worse than the source: error rate %.3f > %.3f over %d calls", targetRate,
                            sourceRate, calls);
                    break;
                }
            }
        }
        if (series != null) {
            undo(series, FailoverCondition.AUTOMATIC_ROLLBACK, in, reason);
        }
    }

    /** The decision and the earlier steps of the same progressive shift of the same endpoint. Lock held. */
    private List<Entry> seriesOf(Entry last) {
        List<Entry> out = new ArrayList<>();
        boolean found = false;
        for (Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
            Entry x = it.next();
            if (x == last) {
                found = true;
            }
            if (!found || x.source != last.source || x.rolledBack) {
                continue;
            }
            if (x.decision.condition() != last.decision.condition()) {
                break;
            }
            out.add(x);
            if (x.before.state != EndpointState.DEGRADED) {
                break;
            }
        }
        return out;
    }

    /** Restores the state before the oldest of {@code entries} (newest first). */
    private Optional<FailoverDecision> undo(List<Entry> entries, FailoverCondition condition,
                                            Map<String, Double> inputs, String reason) {
        Entry newest = entries.get(0);
        Entry oldest = entries.get(entries.size() - 1);
        EndpointRuntime r = newest.source;
        Restore before = oldest.before;
        Optional<FailoverDecision> d = decide(r, false, x -> Target.restoring(before, group),
                condition, FailoverAction.ROLLBACK, clock.instant(), inputs, reason,
                newest.decision.id(), x -> !newest.rolledBack, now -> {
                    restore(r, before, "rollback of " + newest.decision.id(), now);
                    for (Entry e : entries) {
                        e.rolledBack = true;
                    }
                    holdUntil[r.index] = now + config.rollbackWindow().toMillis();
                });
        if (d.isPresent()) {
            log.warn("group {}: rolled back {} ({})", group.name(), newest.decision.id(), reason);
        }
        return d;
    }

    private void restore(EndpointRuntime r, Restore before, String reason, long now) {
        switch (before.state) {
            case RAMPING -> {
                if (r.state.canMoveTo(EndpointState.RAMPING)) {
                    group.startRamp(r, before.factor, reason, now);
                } else {
                    group.transition(r, EndpointState.RAMPING, before.factor, reason, now, true);
                }
            }
            case UNAVAILABLE -> {
                group.transition(r, EndpointState.UNAVAILABLE, 0.0, reason, now, true);
                r.unavailableUntilMillis = Math.max(now, before.unavailableUntil);
            }
            case PROBING -> {
                group.transition(r, EndpointState.PROBING, 0.0, reason, now, true);
                group.restartProbing(r, now);
            }
            default -> group.transition(r, before.state, before.factor, reason, now, true);
        }
        r.consecutiveFailures.set(0);
        r.consecutiveTransportErrors.set(0);
    }

    @Override
    public void applyAgreed(String decisionId, String endpointId, EndpointState state, double factor) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null, was null");
        }
        if (!(factor >= 0.0 && factor <= 1.0)) {
            throw new IllegalArgumentException("factor must be in [0, 1], was " + factor);
        }
        EndpointRuntime r = group.runtime(endpointId);
        synchronized (group.lock) {
            if (r.state == state && Math.abs(r.factor - factor) < 1e-9) {
                return;
            }
            group.applyAgreed(r, state, state.routable() ? factor : 0.0, "agreed decision " + decisionId,
                    clock.millis());
            group.rebuild();
        }
        group.flushEvents();
        log.info("group {}: applied agreed decision {}: {} -> {} (factor {})", group.name(), decisionId, endpointId,
                state, fmt(factor));
    }

    @Override
    public List<FailoverDecision> decisions() {
        synchronized (group.lock) {
            List<FailoverDecision> out = new ArrayList<>(history.size());
            for (Entry e : history) {
                out.add(e.decision);
            }
            return List.copyOf(out);
        }
    }

    // ---------------------------------------------------------------- the decision itself

    private interface Change {
        void apply(long nowMillis);
    }

    /** Where a decision moves its source endpoint: what is committed before it is executed. */
    private record Target(EndpointState state, double factor) {
        static final Target OUT = new Target(EndpointState.UNAVAILABLE, 0.0);

        static Target restoring(Restore before, DefaultEndpointGroup group) {
            return switch (before.state) {
                case UNAVAILABLE, PROBING, DRAINED -> new Target(before.state, 0.0);
                case RAMPING -> new Target(EndpointState.RAMPING, group.rampFirstFactor(before.factor));
                default -> new Target(before.state, before.factor);
            };
        }
    }

    /** What the leader commits before executing: the id and the full routing change. */
    private record Prepared(String id, Instant decidedAt, String payload) {
    }

    private Optional<FailoverDecision> decide(EndpointRuntime r, boolean fromCallPath,
                                              java.util.function.Function<EndpointRuntime, Target> plan,
                                              FailoverCondition condition, FailoverAction action,
                                              Instant detectedAt, Map<String, Double> inputs, String reason,
                                              String rollsBack, Predicate<EndpointRuntime> precondition,
                                              Change change) {
        if (!inlineCommit) {
            if (fromCallPath && inFlight.get(r.index) != 0) {
                return Optional.empty(); // a decision on this endpoint is being committed
            }
            Prepared p = prepareReplicated(r, plan, condition, action, detectedAt, inputs, reason, precondition);
            if (p == null) {
                return Optional.empty();
            }
            if (fromCallPath) {
                // The caller's thread only prepared; the commit and the execution run on the commit thread.
                if (inFlight.compareAndSet(r.index, 0, 1)) {
                    try {
                        commitThread().execute(() -> {
                            try {
                                commitAndExecute(p, r, condition, action, detectedAt, inputs, reason, rollsBack,
                                        precondition, change);
                            } catch (RuntimeException e) {
                                log.warn("group {}: decision on {} failed: {}", group.name(), r.id(), e.toString());
                            } finally {
                                inFlight.set(r.index, 0);
                            }
                        });
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        inFlight.set(r.index, 0); // engine closed
                    }
                }
                return Optional.empty();
            }
            return commitAndExecute(p, r, condition, action, detectedAt, inputs, reason, rollsBack, precondition,
                    change);
        }
        FailoverDecision d;
        synchronized (group.lock) {
            if (!precondition.test(r)) {
                return Optional.empty();
            }
            FailoverCoordinator.Role role = role();
            if (role != FailoverCoordinator.Role.LEADER) {
                suppressed(r, condition, role);
                d = null;
            } else {
                // The in-process coordinator commits at once and never blocks: decide in one step.
                Prepared p = prepare(r, plan.apply(r), condition, action, inputs, reason, detectedAt);
                d = commit(p) ? executeLocked(r, condition, action, detectedAt, inputs, reason, rollsBack, change,
                        p.id(), p.decidedAt()) : null;
                if (d == null) {
                    suppressed(r, condition, FailoverCoordinator.Role.NO_QUORUM);
                }
            }
        }
        return finish(r, d);
    }

    /**
     * A decision through a distributed coordinator: prepared under the group's lock, committed outside
     * it (on the commit thread), then executed under the lock if it still applies. A replication round
     * trip never holds the group's lock, and the call path never waits for it.
     */
    private Prepared prepareReplicated(EndpointRuntime r, java.util.function.Function<EndpointRuntime, Target> plan,
                                       FailoverCondition condition, FailoverAction action, Instant detectedAt,
                                       Map<String, Double> inputs, String reason,
                                       Predicate<EndpointRuntime> precondition) {
        Prepared p = null;
        synchronized (group.lock) {
            if (!precondition.test(r)) {
                return null;
            }
            FailoverCoordinator.Role role = role();
            if (role != FailoverCoordinator.Role.LEADER) {
                suppressed(r, condition, role);
            } else {
                p = prepare(r, plan.apply(r), condition, action, inputs, reason, detectedAt);
            }
        }
        if (p == null) {
            group.flushEvents();
        }
        return p;
    }

    private Optional<FailoverDecision> commitAndExecute(Prepared p, EndpointRuntime r, FailoverCondition condition,
                                                        FailoverAction action, Instant detectedAt,
                                                        Map<String, Double> inputs, String reason, String rollsBack,
                                                        Predicate<EndpointRuntime> precondition, Change change) {
        boolean committed = commitOffLock(p);
        FailoverDecision d = null;
        synchronized (group.lock) {
            if (!committed) {
                suppressed(r, condition, FailoverCoordinator.Role.NO_QUORUM);
            } else if (!precondition.test(r)) {
                log.warn("group {}: committed decision {} no longer applies to {} (now {}); not executed here",
                        group.name(), p.id(), r.id(), r.state);
            } else {
                d = executeLocked(r, condition, action, detectedAt, inputs, reason, rollsBack, change, p.id(),
                        p.decidedAt());
            }
        }
        return finish(r, d);
    }

    private Optional<FailoverDecision> finish(EndpointRuntime r, FailoverDecision d) {
        group.flushEvents();
        if (d == null) {
            return Optional.empty();
        }
        record(d);
        if (replicator != null && d.sourceShareAfter() < d.sourceShareBefore()) {
            replicateSessions(d, r);
        }
        return Optional.of(d);
    }

    private FailoverCoordinator.Role role() {
        try {
            FailoverCoordinator.Role role = coordinator.role(group.name());
            return role == null ? FailoverCoordinator.Role.NO_QUORUM : role;
        } catch (RuntimeException ex) {
            log.warn("coordinator failed to tell its role for group {}: {}", group.name(), ex.toString());
            return FailoverCoordinator.Role.NO_QUORUM;
        }
    }

    /** The decision's id and its payload: the full routing change it makes. Lock held. */
    private Prepared prepare(EndpointRuntime r, Target target, FailoverCondition condition, FailoverAction action,
                             Map<String, Double> inputs, String reason, Instant detectedAt) {
        Instant decidedAt = clock.instant();
        String id = UUID.randomUUID().toString();
        double[] before = group.shares();
        double[] after = group.sharesIf(r, target.state(), target.factor());
        Map<String, Double> shares = new LinkedHashMap<>();
        Map<String, Double> targets = new LinkedHashMap<>();
        for (EndpointRuntime x : group.runtimes) {
            shares.put(x.id(), after[x.index]);
            if (x != r && after[x.index] > before[x.index] + 1e-9) {
                targets.put(x.id(), after[x.index]);
            }
        }
        String payload = audit.payload(id, group.name(), condition.name(), action.name(), r.id(), r.state.name(),
                target.state().name(), target.factor(), targets, shares, inputs, reason, detectedAt.toString(),
                decidedAt.toString());
        return new Prepared(id, decidedAt, payload);
    }

    private boolean commit(Prepared p) {
        try {
            return coordinator.commit(group.name(), p.id(), p.payload());
        } catch (RuntimeException ex) {
            log.warn("coordinator failed to commit decision {}: {}", p.id(), ex.toString());
            return false;
        }
    }

    /** Commits on the commit thread (never under the group's lock); waits when called from elsewhere. */
    private boolean commitOffLock(Prepared p) {
        if (Thread.currentThread().getName().startsWith(COMMIT_THREAD_PREFIX)) {
            return commit(p);
        }
        java.util.concurrent.Future<Boolean> f;
        try {
            f = commitThread().submit(() -> commit(p));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("group {}: engine closed; decision {} not committed", group.name(), p.id());
            return false;
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("coordinator failed to commit decision {}: {}", p.id(), e.getCause().toString());
            return false;
        }
    }

    private static final String COMMIT_THREAD_PREFIX = "qudag-failover-commit-";

    private synchronized java.util.concurrent.ExecutorService commitThread() {
        if (commitExecutor == null) {
            if (closed) {
                throw new java.util.concurrent.RejectedExecutionException("engine closed");
            }
            commitExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, COMMIT_THREAD_PREFIX + group.name());
                t.setDaemon(true);
                return t;
            });
        }
        return commitExecutor;
    }

    /** Executes one committed decision. Lock held. */
    private FailoverDecision executeLocked(EndpointRuntime r, FailoverCondition condition, FailoverAction action,
                                          Instant detectedAt, Map<String, Double> inputs, String reason,
                                          String rollsBack, Change change, String id, Instant decidedAt) {
        FailoverDecision d;
        EndpointRuntime[] targets;
        {
            EndpointState stateBefore = r.state;
            double[] sharesBefore = group.shares();
            Restore restore = new Restore(r.state, r.factor, r.unavailableUntilMillis);
            double sourceErrorRate = inputs.getOrDefault("error_rate", Double.NaN);
            long nowMillis = clock.millis();
            change.apply(nowMillis);
            group.rebuild();
            Instant executedAt = clock.instant();
            double[] sharesAfter = group.shares();
            List<EndpointRuntime> gained = new ArrayList<>();
            for (EndpointRuntime x : group.runtimes) {
                if (x != r && sharesAfter[x.index] > sharesBefore[x.index] + 1e-9) {
                    gained.add(x);
                }
            }
            gained.sort(Comparator.comparingDouble((EndpointRuntime x) -> -sharesAfter[x.index]));
            Map<String, Double> targetShares = new LinkedHashMap<>();
            for (EndpointRuntime x : gained) {
                targetShares.put(x.id(), sharesAfter[x.index]);
            }
            targets = gained.toArray(new EndpointRuntime[0]);
            d = new FailoverDecision(id, group.name(), condition, action, r.id(), stateBefore, r.state,
                    sharesBefore[r.index], sharesAfter[r.index], targetShares, inputs, reason, detectedAt, decidedAt,
                    executedAt, rollsBack);
            history.addLast(new Entry(d, r, restore, targets, sourceErrorRate, nowMillis));
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
            if (targets.length > 0) {
                // Bounded: expired entries leave, and only the most recent MAX_PENDING wait for a first success.
                List<Pending> next = new ArrayList<>(MAX_PENDING);
                for (Pending p : pending) {
                    if (p.expiresAtMillis > nowMillis) {
                        next.add(p);
                    }
                }
                next.add(new Pending(id, targets, decidedAt, nowMillis + config.rollbackWindow().toMillis()));
                int from = Math.max(0, next.size() - MAX_PENDING);
                pending = next.subList(from, next.size()).toArray(new Pending[0]);
            }
            group.addPending(new DecisionEvent(d));
        }
        return d;
    }

    private void suppressed(EndpointRuntime r, FailoverCondition condition, FailoverCoordinator.Role role) {
        log.info("group {}: {} on {} not decided here (coordinator role {})", group.name(), condition, r.id(), role);
        group.addPending(new DecisionSuppressedEvent(group.name(), r.id(), condition, role, clock.instant()));
        if (registry != null) {
            registry.counter("qudag.resilience.failover.decisions.suppressed", "group", group.name(),
                    "condition", condition.name()).increment();
        }
    }

    private void record(FailoverDecision d) {
        boolean slow = d.decisionLatency().compareTo(config.decisionBudget()) > 0
                || d.executionLatency().compareTo(config.executionBudget()) > 0;
        String msg = "group {} failover decision {}: {} {} on {} ({} -> {}, share {} -> {}), targets {}; {}; "
                + "decision {} ms, execution {} ms";
        Object[] args = {d.group(), d.id(), d.condition(), d.action(), d.sourceEndpointId(), d.sourceStateBefore(),
                d.sourceStateAfter(), fmt(d.sourceShareBefore()), fmt(d.sourceShareAfter()), d.targets().keySet(),
                d.reason(), d.decisionLatency().toNanos() / 1e6, d.executionLatency().toNanos() / 1e6};
        if (slow) {
            log.warn(msg + " (over budget {} / {})", append(args, config.decisionBudget(), config.executionBudget()));
        } else {
            log.info(msg, args);
        }
        if (registry == null) {
            return;
        }
        FailoverTrigger t = d.trigger();
        synchronized (decisionTimers) {
            decisionTimers.computeIfAbsent(t, k -> Timer.builder("qudag.resilience.failover.decision.latency")
                    .tags("group", group.name(), "trigger", k.name())
                    .description("Detection to decision (spec budget 100 ms)")
                    .register(registry)).record(d.decisionLatency());
            executionTimers.computeIfAbsent(t, k -> Timer.builder("qudag.resilience.failover.execution.latency")
                    .tags("group", group.name(), "trigger", k.name())
                    .description("Decision to new routing in effect (spec budget 500 ms)")
                    .register(registry)).record(d.executionLatency());
            decisionCounters.computeIfAbsent(d.condition(), k -> Counter.builder("qudag.resilience.failover.decisions")
                    .tags("group", group.name(), "trigger", k.trigger().name(), "condition", k.name())
                    .register(registry)).increment();
        }
    }

    private static Object[] append(Object[] a, Object... more) {
        Object[] out = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    private void replicateSessions(FailoverDecision d, EndpointRuntime source) {
        Collection<SessionState> sessions;
        try {
            sessions = replicator.sessionsOn(source.endpoint);
        } catch (RuntimeException e) {
            log.warn("session replicator failed to list sessions on {}: {}", source.id(), e.toString());
            return;
        }
        if (sessions == null) {
            return; // a replicator bug; the decision stands
        }
        for (SessionState s : sessions) {
            if (s == null) {
                continue;
            }
            Endpoint target;
            try {
                target = group.chooseOther(null, source.id());
            } catch (NoEndpointAvailableException e) {
                return;
            }
            if (target.id().equals(source.id())) {
                return;
            }
            try {
                CompletionStage<?> recreated = replicator.recreate(s, target);
                if (recreated == null) {
                    throw new IllegalStateException("the session replicator returned no stage");
                }
                recreated.whenComplete((v, err) -> {
                    group.addPending(new SessionReplicationEvent(group.name(), d.id(), s.sessionKey(), source.id(),
                            target.id(), err == null, err == null ? null : err.toString(), clock.instant()));
                    group.flushEvents();
                });
            } catch (RuntimeException e) {
                group.addPending(new SessionReplicationEvent(group.name(), d.id(), s.sessionKey(), source.id(),
                        target.id(), false, e.toString(), clock.instant()));
                group.flushEvents();
            }
        }
    }

    private void expirePending(long now) {
        Pending[] cur = pending;
        if (cur.length == 0) {
            return;
        }
        synchronized (group.lock) {
            pending = Arrays.stream(pending).filter(p -> p.expiresAtMillis > now).toArray(Pending[]::new);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
