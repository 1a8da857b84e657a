package io.qudag.resilience.failover.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointGroupConfig;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.EndpointStatus;
import io.qudag.resilience.failover.NoEndpointAvailableException;
import io.qudag.resilience.failover.OutlierDetectionConfig;
import io.qudag.resilience.failover.RecoveryConfig;
import io.qudag.resilience.failover.RoutingSnapshot;
import io.qudag.resilience.failover.event.EndpointStateChangedEvent;
import io.qudag.resilience.failover.event.FailoverEvent;
import io.qudag.resilience.failover.event.FailoverListener;
import io.qudag.resilience.failover.spi.HealthProbe;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EndpointGroup} implementation. The call path ({@link #choose}, {@link #onOutcome}) uses
 * a volatile {@link RoutingTable} and atomics only; state changes (rare) take the group's lock,
 * rebuild the table and publish it. Events are collected under the lock and delivered after it.
 */
public final class DefaultEndpointGroup implements EndpointGroup {

    private static final Logger log = LoggerFactory.getLogger(DefaultEndpointGroup.class);

    final String name;
    final EndpointGroupConfig config;
    final Clock clock;
    final MeterRegistry registry;
    private final HealthProbe probe;
    private final OutcomePolicy policy;
    private final OutlierDetectionConfig outlier;
    private final RecoveryConfig recovery;
    private final List<Endpoint> endpoints;
    final EndpointRuntime[] runtimes;
    private final Map<String, EndpointRuntime> byId;
    private final FailoverTier[] tiers;
    private final EndpointRuntime[][] tierMembers;
    private final StripedCursor.Stripes stripes = new StripedCursor.Stripes();
    private final StripedCursor tierCounter = new StripedCursor();
    private final StripedCursor[] endpointCounters;
    private final CopyOnWriteArrayList<FailoverListener> listeners;
    private volatile RoutingTable table;
    volatile GroupObserver observer = GroupObserver.NONE;

    /** Guards state changes; never taken on the steady-state call path. */
    final Object lock = new Object();
    private static final long SKIP_LOG_SPACING_MILLIS = 10_000;
    private final List<FailoverEvent> pendingEvents = new ArrayList<>();
    private long nextIntervalAtMillis;
    private final Map<String, Counter> ejectionCounters = new HashMap<>();
    /** Gauges registered at construction; removed by {@link #close()}. Guarded by {@link #lock} after construction. */
    private final List<Meter> gauges = new ArrayList<>();
    private boolean closed;

    public DefaultEndpointGroup(String name, List<Endpoint> endpoints, EndpointGroupConfig config, Clock clock,
                                MeterRegistry registry, HealthProbe probe, List<FailoverListener> listeners) {
        this.name = name;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.probe = probe;
        this.policy = config.outcomePolicy();
        this.outlier = config.outlierDetection();
        this.recovery = config.recovery();
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        Map<FailoverTier, List<Endpoint>> byTier = new EnumMap<>(FailoverTier.class);
        for (Endpoint e : endpoints) {
            byTier.computeIfAbsent(e.tier(), t -> new ArrayList<>()).add(e);
        }
        this.tiers = byTier.keySet().toArray(new FailoverTier[0]);
        this.tierMembers = new EndpointRuntime[tiers.length][];
        this.endpointCounters = new StripedCursor[tiers.length];
        List<Endpoint> ordered = new ArrayList<>();
        List<EndpointRuntime> all = new ArrayList<>();
        long now = clock.millis();
        for (int t = 0; t < tiers.length; t++) {
            List<Endpoint> members = byTier.get(tiers[t]);
            tierMembers[t] = new EndpointRuntime[members.size()];
            endpointCounters[t] = new StripedCursor();
            for (int i = 0; i < members.size(); i++) {
                Endpoint e = members.get(i);
                EndpointRuntime r = new EndpointRuntime(e, all.size(), t,
                        EndpointMetricsFactory.create(name, e, clock, registry), now);
                tierMembers[t][i] = r;
                all.add(r);
                ordered.add(e);
            }
        }
        this.endpoints = List.copyOf(ordered);
        this.runtimes = all.toArray(new EndpointRuntime[0]);
        Map<String, EndpointRuntime> ids = new HashMap<>();
        for (EndpointRuntime r : runtimes) {
            ids.put(r.id(), r);
        }
        this.byId = Map.copyOf(ids);
        this.nextIntervalAtMillis = now + outlier.interval().toMillis();
        rebuild();
        if (registry != null) {
            for (EndpointRuntime r : runtimes) {
                gauges.add(Gauge.builder("qudag.resilience.failover.endpoint.share", this,
                                g -> g.table.endpointShare[r.index])
                        .tags(Tags.of("group", name, "endpoint", r.id(), "tier", r.endpoint.tier().name()))
                        .description("Share of the group's traffic routed to the endpoint (0..1)")
                        .register(registry));
                gauges.add(Gauge.builder("qudag.resilience.failover.endpoint.state", r, x -> x.state.ordinal())
                        .tags(Tags.of("group", name, "endpoint", r.id()))
                        .description("EndpointState ordinal: 0 HEALTHY, 1 DEGRADED, 2 UNAVAILABLE, 3 PROBING, "
                                + "4 RAMPING, 5 DRAINED")
                        .register(registry));
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    // ---------------------------------------------------------------- call path

    @Override
    public Endpoint choose(ToolCall call) {
        RoutingTable t = table;
        int[] ts = t.tierSchedule;
        if (ts.length == 0) {
            throw new NoEndpointAvailableException(name, "no endpoint of group " + name + " can take calls");
        }
        int stripe = stripes.current();
        int tier = ts.length == 1 ? ts[0] : ts[tierCounter.next(stripe, ts.length)];
        RoutingTable.TierRoute route = t.routes[tier];
        int[] s = route.schedule;
        return route.candidates[s.length == 1 ? s[0] : s[endpointCounters[tier].next(stripe, s.length)]];
    }

    @Override
    public List<String> rank(ToolCall call) {
        RoutingTable t = table;
        int[] ts = t.tierSchedule;
        if (ts.length == 0) {
            throw new NoEndpointAvailableException(name, "no endpoint of group " + name + " can take calls");
        }
        int stripe = stripes.current();
        int tier = ts.length == 1 ? ts[0] : ts[tierCounter.next(stripe, ts.length)];
        RoutingTable.TierRoute route = t.routes[tier];
        int[] s = route.schedule;
        return t.ranking(runtimes[route.candidateIndex[s.length == 1 ? s[0]
                : s[endpointCounters[tier].next(stripe, s.length)]]]);
    }

    @Override
    public Endpoint chooseOther(ToolCall call, String avoidEndpointId) {
        Endpoint first = choose(call);
        if (avoidEndpointId == null || !first.id().equals(avoidEndpointId)) {
            return first;
        }
        RoutingTable t = table;
        EndpointRuntime avoided = byId.get(avoidEndpointId);
        int startTier = avoided == null ? 0 : avoided.tierIndex;
        // Same tier first, then the tiers after it, then the ones before it.
        for (int k = 0; k < t.routes.length; k++) {
            RoutingTable.TierRoute route = t.routes[(startTier + k) % t.routes.length];
            Endpoint[] pool = route.loadPercent > 0 ? route.candidates : route.healthy;
            if (pool.length == 0) {
                continue;
            }
            int offset = endpointCounters[(startTier + k) % t.routes.length].next(stripes.current(), pool.length);
            for (int i = 0; i < pool.length; i++) {
                Endpoint e = pool[(offset + i) % pool.length];
                if (!e.id().equals(avoidEndpointId)) {
                    return e;
                }
            }
        }
        return first;
    }

    @Override
    public void onOutcome(String endpointId, CallOutcome outcome, long durationNanos) {
        EndpointRuntime r = byId.get(endpointId);
        if (r == null) {
            throw new IllegalArgumentException("endpointId must name an endpoint of group " + name + ", was "
                    + endpointId);
        }
        if (outcome == CallOutcome.REJECTED) {
            return;
        }
        boolean failure = policy.isFailure(outcome);
        boolean transport = outcome == CallOutcome.TRANSPORT_ERROR;
        r.calls.increment();
        r.intervalCalls.increment();
        r.metrics.recordCall(durationNanos, failure, transport);
        if (failure || transport) {
            if (failure) {
                r.failures.increment();
            }
            int cf = failure ? r.consecutiveFailures.incrementAndGet() : r.consecutiveFailures.get();
            int ct = transport ? r.consecutiveTransportErrors.incrementAndGet() : resetTransport(r);
            long now = clock.millis();
            EndpointState s = r.state;
            if (s == EndpointState.RAMPING && cf >= recovery.relapseConsecutiveFailures()) {
                relapse(r, "consecutive_failures=" + cf + " during ramp", now);
            } else if (outlier.consecutiveFailuresEnabled() && cf >= outlier.consecutiveFailures()
                    && cf % outlier.consecutiveFailures() == 0 // at each crossing, as Envoy: not every failure
                    && (s == EndpointState.HEALTHY || s == EndpointState.DEGRADED)) {
                ejectOutlier(r, "consecutive_failures=" + cf, now);
            }
            observer.onFailure(r, outcome, ct, now);
        } else {
            r.intervalSuccesses.increment();
            if (r.consecutiveFailures.get() != 0) {
                r.consecutiveFailures.set(0);
            }
            resetTransport(r);
            observer.onSuccess(r, 0L);
        }
    }

    private static int resetTransport(EndpointRuntime r) {
        if (r.consecutiveTransportErrors.get() != 0) {
            r.consecutiveTransportErrors.set(0);
        }
        return 0;
    }

    // ---------------------------------------------------------------- time-driven work

    /** One health check to start: the endpoint and the check's sequence number. */
    private record ProbeRun(EndpointRuntime runtime, long seq) {
    }

    @Override
    public void tick() {
        List<ProbeRun> toProbe = null;
        List<CompletionStage<Boolean>> timedOut = null;
        synchronized (lock) {
            long now = clock.millis();
            boolean changed = false;
            for (EndpointRuntime r : runtimes) {
                if (r.probeInFlight && now >= r.probeDeadlineMillis) {
                    // A check that never answers must not keep the endpoint PROBING forever.
                    CompletionStage<Boolean> stale = expireProbe(r);
                    if (stale != null) {
                        if (timedOut == null) {
                            timedOut = new ArrayList<>();
                        }
                        timedOut.add(stale);
                    }
                }
                if (r.state == EndpointState.UNAVAILABLE && now >= r.unavailableUntilMillis) {
                    if (probe != null) {
                        transition(r, EndpointState.PROBING, 0.0, "recovery checks every "
                                + recovery.healthCheckInterval().toSeconds() + " s", now, false);
                        r.probeSuccesses = 0;
                        r.nextProbeAtMillis = now;
                    } else {
                        startRamp(r, 0.0, "unavailable period over; passive recovery", now);
                    }
                    changed = true;
                }
                if (r.state == EndpointState.PROBING && !r.probeInFlight && now >= r.nextProbeAtMillis) {
                    long interval = recovery.healthCheckInterval().toMillis();
                    r.probeInFlight = true;
                    r.probeSeq++;
                    r.probeStage = null;
                    r.nextProbeAtMillis = now + interval;
                    r.probeDeadlineMillis = now + interval;
                    if (toProbe == null) {
                        toProbe = new ArrayList<>();
                    }
                    toProbe.add(new ProbeRun(r, r.probeSeq));
                }
                if (r.state == EndpointState.RAMPING) {
                    changed |= advanceRamp(r, now);
                }
            }
            if (now >= nextIntervalAtMillis) {
                changed |= analyseInterval(now);
                nextIntervalAtMillis = now + outlier.interval().toMillis();
            }
            if (changed) {
                rebuild();
            }
        }
        flushEvents();
        if (timedOut != null) {
            for (CompletionStage<Boolean> stale : timedOut) {
                cancelQuietly(stale);
            }
        }
        if (toProbe != null) {
            for (ProbeRun run : toProbe) {
                runProbe(run.runtime(), run.seq());
            }
        }
    }

    /**
     * Counts the check in flight as failed: it did not answer within the check interval. Its result,
     * should it still come, is ignored. Caller holds the lock; returns the stage to cancel, if known.
     */
    private CompletionStage<Boolean> expireProbe(EndpointRuntime r) {
        CompletionStage<Boolean> stale = r.probeStage;
        r.probeInFlight = false;
        r.probeSeq++;
        r.probeStage = null;
        if (r.state == EndpointState.PROBING) {
            r.probeSuccesses = 0;
        }
        log.warn("group {} endpoint {} health check did not answer within {} ms; counted as failed", name, r.id(),
                recovery.healthCheckInterval().toMillis());
        return stale;
    }

    private static void cancelQuietly(CompletionStage<Boolean> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (RuntimeException e) {
            // A stage that cannot be cancelled (or converted) is simply left to finish; its result is ignored.
            log.debug("could not cancel a timed-out health check: {}", e.toString());
        }
    }

    private void runProbe(EndpointRuntime r, long seq) {
        CompletionStage<Boolean> stage;
        try {
            stage = probe.check(r.endpoint);
            if (stage == null) {
                throw new IllegalStateException("health probe returned no stage");
            }
        } catch (RuntimeException e) {
            onProbeResult(r, seq, false, e);
            return;
        }
        synchronized (lock) {
            if (r.probeSeq == seq && r.probeInFlight) {
                r.probeStage = stage;
            }
        }
        stage.whenComplete((ok, err) -> onProbeResult(r, seq, err == null && Boolean.TRUE.equals(ok), err));
    }

    private void onProbeResult(EndpointRuntime r, long seq, boolean ok, Throwable err) {
        synchronized (lock) {
            if (r.probeSeq != seq) {
                log.debug("group {} endpoint {}: result of a timed-out health check ignored", name, r.id());
                return;
            }
            r.probeInFlight = false;
            r.probeStage = null;
            if (r.state != EndpointState.PROBING) {
                return;
            }
            long now = clock.millis();
            if (ok) {
                r.probeSuccesses++;
                log.debug("group {} endpoint {} health check ok ({}/{})", name, r.id(), r.probeSuccesses,
                        recovery.successesToReturn());
                if (r.probeSuccesses >= recovery.successesToReturn()) {
                    startRamp(r, 0.0, r.probeSuccesses + " consecutive successful checks", now);
                    rebuild();
                }
            } else {
                r.probeSuccesses = 0;
                log.debug("group {} endpoint {} health check failed: {}", name, r.id(),
                        err == null ? "unhealthy" : err.toString());
            }
        }
        flushEvents();
    }

    /** Starts (or restarts) the ramp from {@code floor}; caller holds the lock and rebuilds. */
    void startRamp(EndpointRuntime r, double floor, String reason, long now) {
        double inc = recovery.rampIncrement();
        double first = Math.min(1.0, Math.max(floor, inc));
        transition(r, EndpointState.RAMPING, first, reason + "; ramp step 1/" + recovery.rampSteps(), now, false);
        r.rampStartMillis = now;
        r.rampFloor = floor;
        r.rampStartCalls = r.calls.sum();
        r.rampStartFailures = r.failures.sum();
        r.consecutiveFailures.set(0);
    }

    private boolean advanceRamp(EndpointRuntime r, long now) {
        long calls = r.calls.sum() - r.rampStartCalls;
        long fails = r.failures.sum() - r.rampStartFailures;
        if (calls >= recovery.relapseMinSamples() && (double) fails / calls > recovery.relapseErrorRate()) {
            relapseLocked(r, String.format(java.util.Locale.ROOT, "error_rate=%.3f over %d calls during ramp",
                    (double) fails / calls, calls), now);
            return true;
        }
        long elapsed = now - r.rampStartMillis;
        if (elapsed >= recovery.monitoringPeriod().toMillis()) {
            transition(r, EndpointState.HEALTHY, 1.0, "ramp complete after " + recovery.monitoringPeriod().toSeconds()
                    + " s", now, false);
            return true;
        }
        int step = (int) (elapsed / recovery.rampStepInterval().toMillis());
        double f = Math.min(1.0, Math.max(r.rampFloor, recovery.rampIncrement() * (step + 1)));
        f = Math.round(f * 1e6) / 1e6;
        if (f != r.factor) {
            transition(r, EndpointState.RAMPING, f, "ramp step " + (step + 1) + "/" + recovery.rampSteps(), now, false);
            return true;
        }
        return false;
    }

    private void relapse(EndpointRuntime r, String reason, long now) {
        synchronized (lock) {
            if (r.state != EndpointState.RAMPING) {
                return;
            }
            relapseLocked(r, reason, now);
            rebuild();
        }
        flushEvents();
    }

    private void relapseLocked(EndpointRuntime r, String reason, long now) {
        makeUnavailable(r, "relapse: " + reason, now, true);
        log.warn("group {} endpoint {} relapsed during recovery ramp ({}); rolled back to UNAVAILABLE until {}",
                name, r.id(), reason, Instant.ofEpochMilli(r.unavailableUntilMillis));
    }

    /**
     * Takes an endpoint out: UNAVAILABLE until now + base ejection time × ejection count (capped); with a
     * health probe and {@code probeAtOnce}, checks start at the next tick. Caller holds the lock.
     */
    void makeUnavailable(EndpointRuntime r, String reason, long now, boolean backoff) {
        long until = now;
        if (backoff || probe == null) {
            r.ejectionCount++;
            long base = outlier.baseEjectionTime().toMillis();
            until = now + Math.min(base * r.ejectionCount, outlier.maxEjectionTime().toMillis());
        }
        r.unavailableUntilMillis = until;
        transition(r, EndpointState.UNAVAILABLE, 0.0, reason, now, false);
        r.consecutiveFailures.set(0);
        r.consecutiveTransportErrors.set(0);
    }

    /** Takes an endpoint out until {@code untilMillis} (a maintenance window's end). Caller holds the lock. */
    void makeUnavailableUntil(EndpointRuntime r, String reason, long now, long untilMillis) {
        r.unavailableUntilMillis = untilMillis;
        transition(r, EndpointState.UNAVAILABLE, 0.0, reason, now, false);
        r.unavailableUntilMillis = untilMillis;
        r.consecutiveFailures.set(0);
        r.consecutiveTransportErrors.set(0);
    }

    /** Starts health checks for a restored PROBING endpoint. Caller holds the lock. */
    void restartProbing(EndpointRuntime r, long now) {
        r.probeSuccesses = 0;
        r.nextProbeAtMillis = now;
    }

    private void ejectOutlier(EndpointRuntime r, String reason, long now) {
        synchronized (lock) {
            EndpointState s = r.state;
            if (s != EndpointState.HEALTHY && s != EndpointState.DEGRADED) {
                return;
            }
            if (!ejectLocked(r, reason, now)) {
                return;
            }
            rebuild();
        }
        flushEvents();
    }

    private boolean ejectLocked(EndpointRuntime r, String reason, long now) {
        int ejected = 0;
        for (EndpointRuntime x : runtimes) {
            if (x.outlierEjected && x.state == EndpointState.UNAVAILABLE) {
                ejected++;
            }
        }
        int max = Math.max(1, (int) Math.floor(outlier.maxEjectionShare() * runtimes.length + 1e-9));
        if (ejected >= max) {
            if (now - r.lastSkipLogMillis >= SKIP_LOG_SPACING_MILLIS) {
                r.lastSkipLogMillis = now;
                log.info("group {} endpoint {} is an outlier ({}) but {} of max {} endpoints are already ejected",
                        name, r.id(), reason, ejected, max);
            }
            count("skipped", r.id());
            return false;
        }
        makeUnavailable(r, "ejected: " + reason, now, true);
        r.outlierEjected = true;
        count(reason.startsWith("success_rate") ? "success_rate" : "consecutive_failures", r.id());
        log.warn("group {} ejected endpoint {} ({}), ejection #{} until {}", name, r.id(), reason, r.ejectionCount,
                Instant.ofEpochMilli(r.unavailableUntilMillis));
        return true;
    }

    private void count(String kind, String endpointId) {
        if (registry == null || closed) {
            return;
        }
        ejectionCounters.computeIfAbsent(kind + '|' + endpointId, k -> Counter
                .builder("qudag.resilience.failover.ejections")
                .tags("group", name, "endpoint", endpointId, "kind", kind)
                .description("Outlier ejections (kind=skipped: an outlier not ejected because of the max share)")
                .register(registry)).increment();
    }

    /** Success-rate outliers and ejection-count decay, once per interval. Caller holds the lock. */
    private boolean analyseInterval(long now) {
        int n = runtimes.length;
        long[] calls = new long[n];
        long[] ok = new long[n];
        for (int i = 0; i < n; i++) {
            calls[i] = runtimes[i].intervalCalls.sumThenReset();
            ok[i] = runtimes[i].intervalSuccesses.sumThenReset();
        }
        boolean changed = false;
        for (EndpointRuntime r : runtimes) {
            if (r.state == EndpointState.HEALTHY && r.ejectionCount > 0 && r.consecutiveFailures.get() == 0) {
                r.ejectionCount--;
            }
            if (r.state != EndpointState.UNAVAILABLE) {
                r.outlierEjected = false;
            }
        }
        if (!outlier.successRateEnabled()) {
            return false;
        }
        List<EndpointRuntime> eligible = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EndpointState s = runtimes[i].state;
            if (calls[i] >= outlier.successRateRequestVolume()
                    && (s == EndpointState.HEALTHY || s == EndpointState.DEGRADED)) {
                eligible.add(runtimes[i]);
                rates.add((double) ok[i] / calls[i]);
            }
        }
        if (eligible.size() < outlier.successRateMinimumHosts()) {
            return false;
        }
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(1.0);
        double var = rates.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / rates.size();
        double limit = mean - outlier.successRateStdevFactor() * Math.sqrt(var);
        for (int i = 0; i < eligible.size(); i++) {
            if (rates.get(i) < limit) {
                changed |= ejectLocked(eligible.get(i), String.format(java.util.Locale.ROOT,
                        "success_rate=%.3f below %.3f (mean %.3f - %.1f stdev)", rates.get(i), limit, mean,
                        outlier.successRateStdevFactor()), now);
            }
        }
        return changed;
    }

    // ---------------------------------------------------------------- state changes (lock held)

    /**
     * Moves {@code r} to {@code to} with traffic factor {@code factor}. {@code force} allows a move
     * outside the transition table (rollback). Caller holds the lock and rebuilds the table.
     */
    void transition(EndpointRuntime r, EndpointState to, double factor, String reason, long now, boolean force) {
        EndpointState from = r.state;
        if (from != to && !force && !from.canMoveTo(to)) {
            throw new IllegalStateException("endpoint " + r.id() + " cannot move from " + from + " to " + to);
        }
        if (from == to && factor == r.factor && reason.equals(r.reason)) {
            return;
        }
        r.factor = factor;
        r.reason = reason;
        if (from != to) {
            r.state = to;
            r.sinceMillis = now;
            if (to != EndpointState.UNAVAILABLE) {
                r.unavailableUntilMillis = 0;
            }
            log.info("group {} endpoint {}: {} -> {} (factor {}, {})", name, r.id(), from, to, factor, reason);
        } else {
            log.debug("group {} endpoint {}: {} factor {} ({})", name, r.id(), to, factor, reason);
        }
        pendingEvents.add(new EndpointStateChangedEvent(name, r.id(), from, to, factor, reason,
                Instant.ofEpochMilli(now)));
    }

    /** Publishes a new routing table from the current states. Caller holds the lock. */
    void rebuild() {
        table = RoutingTable.build(tiers, tierMembers, runtimes.length, config.overprovisioningFactor(),
                config.panicThreshold());
    }

    void addPending(FailoverEvent event) {
        synchronized (lock) {
            pendingEvents.add(event);
        }
    }

    /** Delivers the events collected under the lock, outside it. */
    void flushEvents() {
        List<FailoverEvent> events;
        synchronized (lock) {
            if (pendingEvents.isEmpty()) {
                return;
            }
            events = new ArrayList<>(pendingEvents);
            pendingEvents.clear();
        }
        for (FailoverEvent e : events) {
            for (FailoverListener l : listeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    log.warn("failover listener {} failed on {}", l, e, ex);
                }
            }
        }
    }

    // ---------------------------------------------------------------- views

    EndpointRuntime runtime(String endpointId) {
        EndpointRuntime r = byId.get(endpointId);
        if (r == null) {
            throw new IllegalArgumentException("endpointId must name an endpoint of group " + name + ", was "
                    + endpointId);
        }
        return r;
    }

    double share(EndpointRuntime r) {
        return table.endpointShare[r.index];
    }

    double[] shares() {
        return table.endpointShare.clone();
    }

    /** The shares if {@code r} were in {@code state} with {@code factor}; nothing changes. Lock held. */
    double[] sharesIf(EndpointRuntime r, EndpointState state, double factor) {
        return RoutingTable.build(tiers, tierMembers, runtimes.length, config.overprovisioningFactor(),
                config.panicThreshold(), r, state, factor).endpointShare;
    }

    /** The traffic factor {@link #startRamp} gives for {@code floor}. */
    double rampFirstFactor(double floor) {
        return Math.min(1.0, Math.max(floor, recovery.rampIncrement()));
    }

    /**
     * Moves {@code r} to a state another instance's engine decided and the group agreed on (a follower
     * following its leader). Caller holds the lock and rebuilds the table.
     */
    void applyAgreed(EndpointRuntime r, EndpointState to, double factor, String reason, long now) {
        switch (to) {
            case UNAVAILABLE -> {
                long until = now + outlier.baseEjectionTime().toMillis();
                transition(r, EndpointState.UNAVAILABLE, 0.0, reason, now, true);
                r.unavailableUntilMillis = until;
            }
            case RAMPING -> {
                transition(r, EndpointState.RAMPING, factor, reason, now, true);
                r.rampStartMillis = now;
                r.rampFloor = factor;
                r.rampStartCalls = r.calls.sum();
                r.rampStartFailures = r.failures.sum();
            }
            case PROBING -> {
                transition(r, EndpointState.PROBING, 0.0, reason, now, true);
                restartProbing(r, now);
            }
            default -> transition(r, to, factor, reason, now, true);
        }
        r.consecutiveFailures.set(0);
        r.consecutiveTransportErrors.set(0);
    }

    boolean hasProbe() {
        return probe != null;
    }

    @Override
    public EndpointStatus status(String endpointId) {
        return status(runtime(endpointId));
    }

    private EndpointStatus status(EndpointRuntime r) {
        long until = r.unavailableUntilMillis;
        return new EndpointStatus(r.endpoint, r.state, r.factor, share(r), r.ejectionCount,
                r.state == EndpointState.UNAVAILABLE ? Instant.ofEpochMilli(until) : null, r.reason,
                Instant.ofEpochMilli(r.sinceMillis), r.consecutiveFailures.get());
    }

    @Override
    public List<EndpointStatus> statuses() {
        List<EndpointStatus> out = new ArrayList<>(runtimes.length);
        for (EndpointRuntime r : runtimes) {
            out.add(status(r));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public RoutingSnapshot routing() {
        return table.snapshot(runtimes);
    }

    @Override
    public void addListener(FailoverListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (registry != null) {
                gauges.forEach(registry::remove);
                ejectionCounters.values().forEach(registry::remove);
            }
            ejectionCounters.clear();
            for (EndpointRuntime r : runtimes) {
                r.metrics.close();
            }
        }
        log.debug("group {} closed: its meters are removed", name);
    }

    @Override
    public void removeListener(FailoverListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "EndpointGroup{" + name + ", " + runtimes.length + " endpoints in " + tiers.length + " tiers}";
    }
}
