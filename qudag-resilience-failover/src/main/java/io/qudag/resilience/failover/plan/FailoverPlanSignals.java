package io.qudag.resilience.failover.plan;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.EndpointStatus;
import io.qudag.resilience.failover.FailoverCondition;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.event.EndpointStateChangedEvent;
import io.qudag.resilience.failover.event.FailoverEvent;
import io.qudag.resilience.failover.event.FailoverListener;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a disaster-recovery plan (spec §4.3, "Incident detection and assessment") with the state of
 * an {@link EndpointGroup}: one {@link IncidentSignal#endpointDown endpoint down} or {@link
 * IncidentSignal#endpointUp up} signal per endpoint, and per failover tier (spec §1.1) a {@link
 * IncidentSignal#tierPartitioned partitioned} signal when every one of its endpoints is down, {@link
 * IncidentSignal#tierAvailable available} otherwise. Every endpoint and tier is reported once at
 * start, so the classifier knows them all ("every tier out" needs that).
 *
 * <p>An endpoint is down when its state does not route ({@link EndpointState#routable()} is false).
 * Administrative moves are not failures, as for breakers in {@code PlanSignals}: a drained endpoint,
 * and, when an engine is watched, an endpoint still out because of a forced failover (which is what
 * {@link FailoverProcedures#activateTier} does), count as neither down nor up, and a tier with such an endpoint
 * is not partitioned (so forcing the rest of a half-failed tier out does not raise the incident the
 * step answers). Service and region of an endpoint come from its {@code service} and
 * {@code region} {@link io.qudag.resilience.failover.Endpoint#attributes() attributes}; the service
 * defaults to the group's name.
 *
 * <p>The group's listener only marks the watcher dirty and hands the work to the watcher's executor
 * (at most one task queued), so the threads that call the group never wait for the plan; the
 * executor reads the group's statuses and reports what changed since the last report.
 */
public final class FailoverPlanSignals implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FailoverPlanSignals.class);

    /** Endpoint attribute naming the service an endpoint serves (default: the group's name). */
    public static final String SERVICE_ATTRIBUTE = "service";
    /** Endpoint attribute naming the region an endpoint runs in (default: none). */
    public static final String REGION_ATTRIBUTE = "region";

    private enum Reported { UP, DOWN, ADMINISTRATIVE }

    private final EndpointGroup group;
    private final FailoverDecisionEngine engine;
    private final Consumer<IncidentSignal> sink;
    private final ExecutorService ownedExecutor;
    private final java.util.concurrent.Executor executor;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final FailoverListener listener = this::onEvent;
    private final Map<String, Reported> endpoints = new HashMap<>();
    private final Map<FailoverTier, Boolean> tiersOut = new EnumMap<>(FailoverTier.class);
    private volatile boolean closed;

    private FailoverPlanSignals(EndpointGroup group, FailoverDecisionEngine engine, Consumer<IncidentSignal> sink,
            java.util.concurrent.Executor executor) {
        if (group == null) {
            throw new IllegalArgumentException("group must not be null, was null");
        }
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null, was null");
        }
        this.group = group;
        this.engine = engine;
        this.sink = sink;
        if (executor == null) {
            this.ownedExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "qudag-plan-signals-" + group.name());
                t.setDaemon(true);
                return t;
            });
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = executor;
        }
    }

    /**
     * Watches {@code engine}'s group; endpoints out because of a forced failover or a drain are not
     * reported as failures. Reports the current state of every endpoint and tier on the executor.
     *
     * @param engine the engine whose group is watched; non-null
     * @param sink     where signals go, e.g. {@code plan::signal}
     * @param executor where the group's state is read and the sink called; must not run tasks on the
     *                 submitting thread; {@code null} for a daemon thread owned by the watcher
     * @return the running watcher; close it to stop
     */
    public static FailoverPlanSignals watch(FailoverDecisionEngine engine, Consumer<IncidentSignal> sink,
            java.util.concurrent.Executor executor) {
        if (engine == null) {
            throw new IllegalArgumentException("engine must not be null, was null");
        }
        return start(new FailoverPlanSignals(engine.group(), engine, sink, executor));
    }

    /**
     * As {@link #watch(FailoverDecisionEngine, Consumer, java.util.concurrent.Executor)} with an owned thread.
     *
     * @param engine the engine whose group is watched; non-null
     * @param sink where signals go, e.g. {@code plan::signal}
     * @return the running watcher; close it to stop
     */
    public static FailoverPlanSignals watch(FailoverDecisionEngine engine, Consumer<IncidentSignal> sink) {
        return watch(engine, sink, null);
    }

    /**
     * Watches a group without engine: only drained endpoints count as administrative.
     *
     * @param group the group watched
     * @param sink where signals go, e.g. {@code plan::signal}
     * @param executor where the group's state is read and the sink called; {@code null} for an owned daemon thread
     * @return the running watcher; close it to stop
     */
    public static FailoverPlanSignals watch(EndpointGroup group, Consumer<IncidentSignal> sink,
            java.util.concurrent.Executor executor) {
        return start(new FailoverPlanSignals(group, null, sink, executor));
    }

    /**
     * As {@link #watch(EndpointGroup, Consumer, java.util.concurrent.Executor)} with an owned thread.
     *
     * @param group the group watched
     * @param sink where signals go, e.g. {@code plan::signal}
     * @return the running watcher; close it to stop
     */
    public static FailoverPlanSignals watch(EndpointGroup group, Consumer<IncidentSignal> sink) {
        return watch(group, sink, null);
    }

    private static FailoverPlanSignals start(FailoverPlanSignals w) {
        w.group.addListener(w.listener);
        w.schedule();
        return w;
    }

    /** Reads the group again and reports what changed (also done after each endpoint state change). */
    public void refresh() {
        schedule();
    }

    private void onEvent(FailoverEvent event) {
        if (event instanceof EndpointStateChangedEvent) {
            schedule();
        }
    }

    private void schedule() {
        if (closed || !queued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            queued.set(false);
            log.warn("group {}: plan signals not delivered, executor rejected the task", group.name());
        }
    }

    private void drain() {
        queued.set(false);
        try {
            report();
        } catch (RuntimeException e) {
            log.warn("group {}: reporting plan signals failed", group.name(), e);
        }
    }

    private synchronized void report() {
        if (closed) {
            return;
        }
        List<EndpointStatus> statuses = group.statuses();
        Set<String> forced = forcedOut(statuses);
        List<IncidentSignal> out = new ArrayList<>();
        Map<FailoverTier, int[]> tiers = new EnumMap<>(FailoverTier.class); // [endpoints, down]
        for (EndpointStatus s : statuses) {
            Reported now = s.state().routable() ? Reported.UP
                    : s.state() == EndpointState.DRAINED || forced.contains(s.id()) ? Reported.ADMINISTRATIVE
                    : Reported.DOWN;
            int[] counts = tiers.computeIfAbsent(s.endpoint().tier(), t -> new int[2]);
            counts[0]++;
            if (now == Reported.DOWN) {
                counts[1]++;
            }
            Reported before = endpoints.put(s.id(), now);
            if (before != now && now != Reported.ADMINISTRATIVE) {
                String service = s.endpoint().attributes().getOrDefault(SERVICE_ATTRIBUTE, group.name());
                String region = s.endpoint().attributes().get(REGION_ATTRIBUTE);
                out.add(now == Reported.DOWN ? IncidentSignal.endpointDown(s.id(), service, region)
                        : IncidentSignal.endpointUp(s.id(), service, region));
            }
        }
        for (Map.Entry<FailoverTier, int[]> e : tiers.entrySet()) {
            boolean partitioned = e.getValue()[1] == e.getValue()[0];
            Boolean before = tiersOut.put(e.getKey(), partitioned);
            if (before == null || before != partitioned) {
                out.add(partitioned ? IncidentSignal.tierPartitioned(e.getKey()) : IncidentSignal.tierAvailable(e.getKey()));
            }
        }
        for (IncidentSignal signal : out) {
            try {
                sink.accept(signal);
            } catch (RuntimeException ex) {
                log.warn("group {}: plan sink failed on {}", group.name(), signal.key(), ex);
            }
        }
    }

    /** Endpoints out since a forced failover (unavailable since then, or probing to come back). */
    private Set<String> forcedOut(List<EndpointStatus> statuses) {
        if (engine == null) {
            return Set.of();
        }
        Map<String, FailoverDecision> latest = new HashMap<>();
        for (FailoverDecision d : engine.decisions()) {
            latest.put(d.sourceEndpointId(), d);
        }
        Set<String> out = new HashSet<>();
        for (EndpointStatus s : statuses) {
            FailoverDecision d = latest.get(s.id());
            if (d != null && d.condition() == FailoverCondition.OPERATOR_FORCE_FAILOVER
                    && (s.state() == EndpointState.PROBING
                        || s.state() == EndpointState.UNAVAILABLE && !s.since().isAfter(d.executedAt()))) {
                out.add(s.id());
            }
        }
        return out;
    }

    /** {@return the group watched} */
    public EndpointGroup group() {
        return group;
    }

    /** Stops listening; an owned executor is shut down. Idempotent. */
    @Override
    public void close() {
        closed = true;
        group.removeListener(listener);
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }
}
