package io.qudag.resilience.core.hierarchy.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.breaker.internal.AdaptiveCircuitBreakerImpl;
import io.qudag.resilience.core.event.BreakerStateTransitionEvent;
import io.qudag.resilience.core.event.HierarchyEvent;
import io.qudag.resilience.core.event.HierarchyEventListener;
import io.qudag.resilience.core.hierarchy.ApprovalDecision;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerHierarchyConfig;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.EscalationProposal;
import io.qudag.resilience.core.hierarchy.HierarchyPath;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.core.hierarchy.spi.EscalationApprovalGate;
import io.qudag.resilience.core.hierarchy.spi.LevelHealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BreakerHierarchy} (spec §3.2). Nodes live in a concurrent map by path; the call path
 * goes through cached {@link HierarchyPathImpl}s and never locks. Coordination (the escalation
 * rules, holds, staged recovery, proposals) runs under one {@link ReentrantLock}, entered from
 * breaker transition events and from {@link #tick()}.
 */
public final class BreakerHierarchyImpl implements BreakerHierarchy {

    private static final Logger LOG = LoggerFactory.getLogger(BreakerHierarchy.class);
    private static final String NONE = "";
    private static final long RESOLVER_WARNING_SPACING_MILLIS = 10_000;
    /** Routes (endpoint, service, tool) remembered; beyond this every call resolves its path anew. */
    private static final int MAX_CACHED_ROUTES = 65_536;

    private final String name;
    private final BreakerHierarchyConfig config;
    private final Clock clock;
    /** As injected (null: the breakers' defaults, which keep their windows on {@code System.nanoTime()}). */
    private final Clock injectedClock;
    private final LongSupplier injectedTicker;
    private final MeterRegistry registry;
    private final EscalationApprovalGate gate;
    private final LevelHealthCheck healthCheck;
    private final PathResolver resolver;
    private final List<HierarchyEventListener> listeners;
    private final Counter[] rejectedByLevel;

    private final ConcurrentHashMap<BreakerPath, Node> nodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BreakerPath, HierarchyPathImpl> paths = new ConcurrentHashMap<>();
    /** endpoint → service → tool → path (keys "" for absent), so routing a call allocates nothing. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, HierarchyPathImpl>>>
            routes = new ConcurrentHashMap<>();
    private final HierarchyPathImpl plainPath;
    private volatile long resolverWarnedAt = Long.MIN_VALUE;
    private final AtomicInteger cachedRoutes = new AtomicInteger();
    private final Counter truncatedRoutes;

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final Deque<Opening> openings = new ArrayDeque<>();
    private final Map<String, Proposed> pending = new LinkedHashMap<>();
    private long proposalSeq;

    /**
     * @param clock  the injected clock, or {@code null} for the system clock
     * @param ticker the injected ticker, or {@code null} for {@code System.nanoTime()}
     */
    public BreakerHierarchyImpl(String name, BreakerHierarchyConfig config, Clock clock, LongSupplier ticker,
            MeterRegistry registry, EscalationApprovalGate gate, LevelHealthCheck healthCheck, PathResolver resolver,
            List<HierarchyEventListener> listeners) {
        this.name = name;
        this.config = config;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.injectedClock = clock;
        this.injectedTicker = ticker;
        this.registry = registry;
        this.gate = gate;
        this.healthCheck = healthCheck;
        this.resolver = resolver;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        if (registry != null) {
            rejectedByLevel = new Counter[BreakerLevel.values().length];
            for (BreakerLevel l : BreakerLevel.values()) {
                rejectedByLevel[l.ordinal()] = Counter.builder("qudag.resilience.hierarchy.rejected")
                        .tag("name", name).tag("level", l.name())
                        .description("Calls rejected by a breaker at this level").register(registry);
            }
            truncatedRoutes = Counter.builder("qudag.resilience.hierarchy.truncated").tag("name", name)
                    .description("Calls guarded by an ancestor because their node would exceed maxChildrenPerNode")
                    .register(registry);
        } else {
            rejectedByLevel = null;
            truncatedRoutes = null;
        }
        this.plainPath = (HierarchyPathImpl) path(BreakerPath.global());
    }

    /** One breaker of the hierarchy and its coordination state (fields other than the finals: under lock). */
    static final class Node {
        final BreakerPath path;
        final Node parent;
        final AdaptiveCircuitBreakerImpl breaker;
        final List<Node> children = new CopyOnWriteArrayList<>();
        /** Whether the child cap was logged (racy by design: at worst logged twice). */
        volatile boolean overflowReported;
        long heldUntil = -1;
        long holdMillis;
        Recovery recovery;
        /** REGIONAL only: when the current episode (first OPEN since CLOSED) began, or -1. */
        long episodeStart = -1;
        /** REGIONAL only: time spent OPEN or HALF_OPEN in this episode before the current stretch. */
        long openMillisBefore;
        /** REGIONAL only: when the current OPEN/HALF_OPEN stretch began, or -1 (CLOSED, RECOVERY). */
        long openStretchStart = -1;
        boolean proposed;

        /** REGIONAL only: how long this episode has kept the region OPEN or HALF_OPEN by {@code now}. */
        long openMillis(long now) {
            return openMillisBefore + (openStretchStart < 0 ? 0 : now - openStretchStart);
        }

        Node(BreakerPath path, Node parent, AdaptiveCircuitBreakerImpl breaker) {
            this.path = path;
            this.parent = parent;
            this.breaker = breaker;
        }

        BreakerLevel level() {
            return path.level();
        }

        boolean held() {
            return heldUntil >= 0;
        }
    }

    /** A running staged recovery of one held node. */
    static final class Recovery {
        BreakerLevel stage;
        long nextStageAt;
        final List<Node> released = new ArrayList<>();

        Recovery(BreakerLevel stage, long nextStageAt) {
            this.stage = stage;
            this.nextStageAt = nextStageAt;
        }
    }

    record Opening(long at, Node node) {
    }

    // ---------------------------------------------------------------- Breaker (routes by resolver)

    @Override
    public String name() {
        return name;
    }

    @Override
    public void acquirePermission(ToolCall call) {
        route(call, true).acquirePermission(call);
    }

    @Override
    public void releasePermission(ToolCall call) {
        route(call, false).releasePermission(call);
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error) {
        route(call, false).onOutcome(call, outcome, durationNanos, error);
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, long endNanoTime, Throwable error) {
        route(call, false).onOutcome(call, outcome, durationNanos, endNanoTime, error);
    }

    /** @param admitting whether this is the call's permission request (truncations are counted once a call) */
    private HierarchyPathImpl route(ToolCall call, boolean admitting) {
        if (call == null) {
            return plainPath;
        }
        String endpoint = call.endpointId() == null ? NONE : call.endpointId();
        String service = call.serviceId() == null ? NONE : call.serviceId();
        var byService = routes.get(endpoint);
        if (byService != null) {
            var byTool = byService.get(service);
            if (byTool != null) {
                HierarchyPathImpl p = byTool.get(call.toolName());
                if (p != null) {
                    return p;
                }
            }
        }
        BreakerPath resolved = resolve(call);
        if (resolved == null) {
            return plainPath; // not cached: the resolver may work for this call next time
        }
        BreakerPath within = withinBounds(resolved);
        HierarchyPathImpl p = (HierarchyPathImpl) path(within);
        if (within != resolved) {
            if (admitting && truncatedRoutes != null) {
                truncatedRoutes.increment();
            }
            return p; // not cached either, so that made-up names do not grow the route cache
        }
        if (cachedRoutes.get() < MAX_CACHED_ROUTES) {
            var byTool = routes.computeIfAbsent(endpoint, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(service, k -> new ConcurrentHashMap<>());
            if (byTool.putIfAbsent(call.toolName(), p) == null) {
                cachedRoutes.incrementAndGet();
            }
        }
        return p;
    }

    /**
     * {@code path}, or its longest ancestor within {@link BreakerHierarchyConfig#maxChildrenPerNode()}:
     * a node that already has that many children gets no more from routing (a soft cap: racing
     * callers may add a few). Returns {@code path} itself when nothing was cut.
     */
    private BreakerPath withinBounds(BreakerPath path) {
        BreakerPath up = path.parent();
        if (up == null || nodes.containsKey(path)) {
            return path;
        }
        BreakerPath parent = withinBounds(up);
        if (parent != up) {
            return parent; // cut higher up
        }
        Node parentNode = nodes.get(parent);
        if (parentNode != null && parentNode.children.size() >= config.maxChildrenPerNode()) {
            if (!parentNode.overflowReported) {
                parentNode.overflowReported = true;
                LOG.warn("Breaker hierarchy '{}': {} has {} children (maxChildrenPerNode); calls for new ones, "
                        + "like {}, are guarded by it", name, parent, parentNode.children.size(), path);
            }
            return parent;
        }
        return path;
    }

    // ---------------------------------------------------------------- structure

    @Override
    public HierarchyPath path(BreakerPath path) {
        HierarchyPathImpl p = paths.get(path);
        if (p != null) {
            return p;
        }
        List<Node> chain = new ArrayList<>();
        for (Node n = nodeOf(path); n != null; n = n.parent) {
            chain.add(0, n);
        }
        return paths.computeIfAbsent(path,
                k -> new HierarchyPathImpl(k, chain, rejectedByLevel, config.countingLevels()));
    }

    /**
     * The call's path by the resolver, or {@code null} when the resolver threw or returned null: a bug
     * or a passing outage in user code is not a reason to fail the call, which then goes through the
     * global breaker alone (logged at most every {@link #RESOLVER_WARNING_SPACING_MILLIS}).
     */
    private BreakerPath resolve(ToolCall call) {
        BreakerPath resolved;
        RuntimeException failure = null;
        try {
            resolved = resolver.resolve(call);
        } catch (RuntimeException e) {
            resolved = null;
            failure = e;
        }
        if (resolved != null) {
            return resolved;
        }
        long now = clock.millis();
        long last = resolverWarnedAt;
        if (now - last >= RESOLVER_WARNING_SPACING_MILLIS || last == Long.MIN_VALUE) {
            resolverWarnedAt = now;
            LOG.warn("Hierarchy '{}': path resolver {} gave no path for {}; the call is guarded by the global "
                    + "breaker only", name, resolver, call, failure);
        }
        return null;
    }

    @Override
    public HierarchyPath pathFor(ToolCall call) {
        return route(call, false);
    }

    @Override
    public AdaptiveCircuitBreaker node(BreakerPath path) {
        return nodeOf(path).breaker;
    }

    private Node nodeOf(BreakerPath path) {
        Node n = nodes.get(path);
        if (n != null) {
            return n;
        }
        Node parent = path.parent() == null ? null : nodeOf(path.parent());
        return nodes.computeIfAbsent(path, k -> {
            AdaptiveCircuitBreaker.Builder builder = AdaptiveCircuitBreaker.builder(k.toString())
                    .config(config.levelConfig(k.level())).meterRegistry(registry).tags(Tags.of("hierarchy", name));
            if (injectedClock != null) {
                builder.clock(injectedClock);
            }
            if (injectedTicker != null) {
                builder.ticker(injectedTicker);
            }
            AdaptiveCircuitBreakerImpl b = (AdaptiveCircuitBreakerImpl) builder.build();
            Node created = new Node(k, parent, b);
            b.addListener(e -> onTransition(created, e));
            if (parent != null) {
                parent.children.add(created);
            }
            return created;
        });
    }

    @Override
    public BreakerHierarchyConfig config() {
        return config;
    }

    @Override
    public void addListener(HierarchyEventListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null, was null");
        }
        listeners.add(listener);
    }

    // ---------------------------------------------------------------- event-driven rules

    private void onTransition(Node n, BreakerStateTransitionEvent e) {
        lock.lock();
        try {
            long now = e.at().toEpochMilli();
            BreakerState to = e.to();
            if (n.level() == BreakerLevel.REGIONAL) {
                trackEpisode(n, to, now);
            }
            if (to == BreakerState.CLOSED || to == BreakerState.DISABLED || to == BreakerState.FORCED_OPEN
                    || (to == BreakerState.HALF_OPEN && !e.automatic() && n.recovery == null)) {
                // an operator (or a recovery of an ancestor) took over: drop our hold
                n.heldUntil = -1;
                n.recovery = null;
            }
            if (to == BreakerState.OPEN && n.level() != BreakerLevel.GLOBAL
                    && !BreakerLevel.SERVICE.isAbove(n.level())) {
                // REGIONAL, INFRASTRUCTURE and SERVICE openings count towards a cascade; tools do not
                openings.addLast(new Opening(now, n));
                if (n.level() == BreakerLevel.SERVICE) {
                    checkRegionalEscalation(n, now);
                }
                checkCascade(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A region's episode runs from its first OPEN until it is CLOSED again (or an operator takes it
     * over: DISABLED, FORCED_OPEN); only time OPEN or HALF_OPEN counts towards the sustained-opening
     * rule, so a region that recovers (RECOVERY ramps traffic back for minutes) proposes nothing, while
     * one that keeps relapsing adds up its open stretches. Ending an episode withdraws its proposals.
     */
    private void trackEpisode(Node region, BreakerState to, long now) {
        switch (to) {
            case OPEN, HALF_OPEN -> {
                if (region.episodeStart < 0) {
                    region.episodeStart = now;
                }
                if (region.openStretchStart < 0) {
                    region.openStretchStart = now;
                }
            }
            case RECOVERY -> {
                if (region.openStretchStart >= 0) {
                    region.openMillisBefore += now - region.openStretchStart;
                    region.openStretchStart = -1;
                }
            }
            default -> { // CLOSED, DISABLED, FORCED_OPEN
                if (region.episodeStart >= 0) {
                    withdrawProposals(region, to, now);
                }
                region.episodeStart = -1;
                region.openMillisBefore = 0;
                region.openStretchStart = -1;
                region.proposed = false;
            }
        }
    }

    private void withdrawProposals(Node region, BreakerState to, long now) {
        for (var it = pending.values().iterator(); it.hasNext(); ) {
            Proposed waiting = it.next();
            if (waiting.region() == region) {
                it.remove();
                emit(HierarchyEvent.Type.GLOBAL_WITHDRAWN, nodeOf(BreakerPath.global()), BreakerLevel.GLOBAL,
                        waiting.proposal().id() + ": " + region.path + " is " + to + " now", now);
            }
        }
    }

    private void checkRegionalEscalation(Node service, long now) {
        Node region = ancestorAt(service, BreakerLevel.REGIONAL);
        if (region == null || region.breaker.state().rejectsAll()) {
            return;
        }
        List<Node> open = descendantsAt(region, BreakerLevel.SERVICE).stream()
                .filter(s -> s.breaker.state().rejectsAll()).collect(Collectors.toList());
        if (open.size() < config.regionalServiceThreshold()) {
            return;
        }
        String detail = open.size() + " service breakers open: " + paths(open);
        if (!canHold(region)) {
            LOG.warn("Breaker hierarchy '{}': regional escalation of {} skipped, the breaker is {} ({})", name,
                    region.path, region.breaker.state(), detail);
            return;
        }
        emit(HierarchyEvent.Type.REGIONAL_ESCALATION, region, BreakerLevel.REGIONAL, detail, now);
        hold(region, now, config.regionalEscalationOpenDuration(), "regional escalation: " + detail);
    }

    private void checkCascade(long now) {
        long from = now - config.cascadeWindow().toMillis();
        while (!openings.isEmpty() && openings.peekFirst().at() < from) {
            openings.removeFirst();
        }
        Set<String> regions = new HashSet<>();
        Set<BreakerPath> breakers = new HashSet<>();
        for (Opening o : openings) {
            breakers.add(o.node().path);
            if (o.node().level() == BreakerLevel.REGIONAL) {
                regions.add(o.node().path.id());
            }
        }
        String why;
        if (regions.size() >= config.cascadeRegionThreshold()) {
            why = "regional breakers of " + regions.size() + " regions opened within " + config.cascadeWindow()
                    + ": " + new java.util.TreeSet<>(regions);
        } else if (breakers.size() >= config.cascadeBreakerThreshold()) {
            why = breakers.size() + " breakers opened within " + config.cascadeWindow();
        } else {
            return;
        }
        Node global = nodeOf(BreakerPath.global());
        if (global.breaker.state().rejectsAll()) {
            return;
        }
        if (!canHold(global)) {
            LOG.warn("Breaker hierarchy '{}': cascading failure, but the global breaker is {} and stays so: {}", name,
                    global.breaker.state(), why);
            return;
        }
        LOG.error("Breaker hierarchy '{}': cascading failure, opening the global breaker: {}", name, why);
        emit(HierarchyEvent.Type.CASCADE_EMERGENCY, global, BreakerLevel.GLOBAL, why, now);
        hold(global, now, config.emergencyOpenDuration(), "cascading failure: " + why);
    }

    /** Whether {@code n} may be opened by the hierarchy (not DISABLED or FORCED_OPEN by an operator). */
    private static boolean canHold(Node n) {
        BreakerState st = n.breaker.state();
        return st == BreakerState.OPEN || st.canTransitionTo(BreakerState.OPEN);
    }

    /**
     * Opens {@code n} and holds it until {@code now + duration}; staged recovery releases it. The hold
     * is recorded only once the breaker is OPEN: an operator's DISABLED (or FORCED_OPEN) breaker may
     * not move to OPEN, and is skipped with a warning rather than left with a hold it does not have.
     */
    private boolean hold(Node n, long now, Duration duration, String reason) {
        BreakerState refusedIn = n.breaker.tryTransitionToOpen(null, reason);
        if (refusedIn != null) {
            LOG.warn("Breaker hierarchy '{}': not holding {} open, it is {} ({})", name, n.path, refusedIn, reason);
            return false;
        }
        n.heldUntil = now + duration.toMillis();
        n.holdMillis = duration.toMillis();
        n.recovery = null;
        if (registry != null) {
            registry.counter("qudag.resilience.hierarchy.holds", "name", name, "level",
                    n.level().name()).increment();
        }
        return true;
    }

    // ---------------------------------------------------------------- time-driven rules

    /**
     * {@inheritDoc}
     *
     * <p>Never throws: a failure at one node is logged and the other nodes still advance, so a
     * {@code scheduleAtFixedRate} task keeps running. The approval gate is asked outside the lock.
     */
    @Override
    public void tick() {
        List<Proposed> asks = new ArrayList<>(0);
        lock.lock();
        try {
            for (Node n : nodes.values()) {
                try {
                    n.breaker.tick();
                } catch (RuntimeException e) {
                    LOG.error("Breaker hierarchy '{}': tick of breaker {} failed", name, n.path, e);
                }
            }
            long now = clock.millis();
            List<Node> ordered = new ArrayList<>(nodes.values());
            // deepest first, so lower holds progress before the holds above them look at them
            ordered.sort(Comparator.comparingInt((Node n) -> n.level().ordinal()).reversed()
                    .thenComparing(n -> n.path.toString()));
            for (Node n : ordered) {
                try {
                    if (n.held() && n.recovery == null && now >= n.heldUntil) {
                        n.recovery = new Recovery(BreakerLevel.APPLICATION, now);
                        emit(HierarchyEvent.Type.RECOVERY_STARTED, n, n.level(), "hold of "
                                + Duration.ofMillis(n.holdMillis) + " expired", now);
                    }
                    if (n.recovery != null && now >= n.recovery.nextStageAt) {
                        advanceRecovery(n, now);
                    }
                } catch (RuntimeException e) {
                    LOG.error("Breaker hierarchy '{}': staged recovery of {} failed", name, n.path, e);
                }
            }
            for (Node n : ordered) {
                try {
                    if (n.level() == BreakerLevel.REGIONAL && n.episodeStart >= 0 && !n.proposed
                            && n.openMillis(now) >= config.regionalSustainedOpen().toMillis()) {
                        asks.add(propose(n, now));
                    }
                } catch (RuntimeException e) {
                    LOG.error("Breaker hierarchy '{}': proposing to open the global breaker for {} failed", name,
                            n.path, e);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Proposed ask : asks) {
            try {
                decideAndApply(ask);
            } catch (RuntimeException e) {
                LOG.error("Breaker hierarchy '{}': applying the decision on {} failed", name, ask.proposal(), e);
            }
        }
    }

    private void advanceRecovery(Node n, long now) {
        Recovery r = n.recovery;
        for (Node x : r.released) {
            if (x.breaker.state().rejectsAll()) {
                rollback(n, now, "released breaker " + x.path + " is " + x.breaker.state() + " again");
                return;
            }
        }
        while (n.level().isAbove(r.stage)) {
            BreakerLevel stage = r.stage;
            List<Node> open = descendantsAt(n, stage).stream()
                    .filter(x -> x.breaker.state() == BreakerState.OPEN).collect(Collectors.toList());
            r.stage = stage.parent();
            if (open.isEmpty()) {
                continue;
            }
            for (Node x : open) {
                if (!healthy(x)) {
                    rollback(n, now, "health check failed at " + x.path);
                    return;
                }
            }
            for (Node x : open) {
                x.recovery = null;
                x.heldUntil = -1;
                BreakerState found = x.breaker.tryTransitionToHalfOpen("staged recovery of " + n.path + ", stage "
                        + stage);
                if (found == null || !found.rejectsAll()) {
                    // moved by us, or already left OPEN by itself (a caller found its open time over)
                    r.released.add(x);
                } else {
                    LOG.info("Breaker hierarchy '{}': {} is {} now, left to its operator", name, x.path, found);
                }
            }
            emit(HierarchyEvent.Type.RECOVERY_STAGE, n, stage, "released " + paths(open), now);
            r.nextStageAt = now + config.recoveryStageInterval().toMillis();
            return;
        }
        if (!healthy(n)) {
            rollback(n, now, "health check failed at " + n.path);
            return;
        }
        n.recovery = null;
        n.heldUntil = -1;
        // not OPEN any more (a caller moved it, or an operator did) is as good as released
        n.breaker.tryTransitionToHalfOpen("staged recovery complete");
        emit(HierarchyEvent.Type.RECOVERY_STAGE, n, n.level(), "released " + n.path, now);
        emit(HierarchyEvent.Type.RECOVERY_COMPLETED, n, n.level(), "released to HALF_OPEN", now);
    }

    private boolean healthy(Node x) {
        try {
            return healthCheck.isHealthy(x.path);
        } catch (RuntimeException e) {
            LOG.warn("Health check of {} failed with an exception; treating it as unhealthy", x.path, e);
            return false;
        }
    }

    private void rollback(Node n, long now, String why) {
        n.recovery = null;
        n.heldUntil = now + n.holdMillis;
        LOG.warn("Breaker hierarchy '{}': recovery of {} rolled back ({}); held for another {} ms", name, n.path, why,
                n.holdMillis);
        emit(HierarchyEvent.Type.RECOVERY_ROLLED_BACK, n, n.level(), why, now);
    }

    /** A proposal made under the lock, to be decided outside it. */
    record Proposed(Node region, long episode, EscalationProposal proposal) {
    }

    private Proposed propose(Node region, long now) {
        region.proposed = true;
        EscalationProposal p = new EscalationProposal("proposal-" + (++proposalSeq), region.path, BreakerPath.global(),
                Instant.ofEpochMilli(region.episodeStart), Instant.ofEpochMilli(now),
                "regional breaker " + region.path + " open for " + Duration.ofMillis(region.openMillis(now))
                        + " since " + Instant.ofEpochMilli(region.episodeStart));
        emit(HierarchyEvent.Type.GLOBAL_PROPOSED, nodeOf(BreakerPath.global()), BreakerLevel.GLOBAL,
                p.id() + ": " + p.reason(), now);
        return new Proposed(region, region.episodeStart, p);
    }

    /**
     * Asks the gate (which may block, e.g. on an operator) without holding the lock that breaker
     * transitions need, then re-takes it and applies the decision only if the region is still in the
     * episode the proposal was made for.
     */
    private void decideAndApply(Proposed ask) {
        EscalationProposal p = ask.proposal();
        ApprovalDecision d;
        try {
            d = gate.decide(p);
        } catch (RuntimeException e) {
            LOG.warn("Approval gate failed on {}; holding it", p, e);
            d = ApprovalDecision.HOLD;
        }
        lock.lock();
        try {
            if (ask.region().episodeStart != ask.episode()) {
                LOG.info("Breaker hierarchy '{}': {} closed while {} was being decided ({}); decision dropped", name,
                        ask.region().path, p.id(), d);
                return;
            }
            apply(ask, d == null ? ApprovalDecision.HOLD : d, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    private void apply(Proposed ask, ApprovalDecision d, long now) {
        EscalationProposal p = ask.proposal();
        Node global = nodeOf(BreakerPath.global());
        switch (d) {
            case APPROVED -> {
                emit(HierarchyEvent.Type.GLOBAL_APPROVED, global, BreakerLevel.GLOBAL, p.id() + ": " + p.reason(), now);
                if (!global.breaker.state().rejectsAll()) {
                    hold(global, now, config.globalOpenDuration(), "approved " + p.id() + ": " + p.reason());
                }
            }
            case DENIED -> emit(HierarchyEvent.Type.GLOBAL_DENIED, global, BreakerLevel.GLOBAL, p.id() + ": " + p.reason(), now);
            case HOLD -> {
                pending.put(p.id(), ask);
                LOG.warn("Breaker hierarchy '{}': opening the global breaker needs approval ({}: {}); "
                        + "resolve it with resolveProposal", name, p.id(), p.reason());
                emit(HierarchyEvent.Type.GLOBAL_HELD, global, BreakerLevel.GLOBAL, p.id() + ": " + p.reason(), now);
            }
        }
    }

    @Override
    public List<EscalationProposal> pendingProposals() {
        lock.lock();
        try {
            return pending.values().stream().map(Proposed::proposal).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resolveProposal(String proposalId, boolean approve) {
        lock.lock();
        try {
            Proposed waiting = pending.remove(proposalId);
            if (waiting == null) {
                throw new IllegalArgumentException("proposalId must name a pending proposal, was " + proposalId);
            }
            apply(waiting, approve ? ApprovalDecision.APPROVED : ApprovalDecision.DENIED, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Node ancestorAt(Node n, BreakerLevel level) {
        for (Node a = n; a != null; a = a.parent) {
            if (a.level() == level) {
                return a;
            }
        }
        return null;
    }

    private static List<Node> descendantsAt(Node n, BreakerLevel level) {
        List<Node> out = new ArrayList<>();
        collect(n, level, out);
        return out;
    }

    private static void collect(Node n, BreakerLevel level, List<Node> out) {
        for (Node c : n.children) {
            if (c.level() == level) {
                out.add(c);
            } else if (c.level().isAbove(level)) {
                collect(c, level, out);
            }
        }
    }

    private static String paths(List<Node> list) {
        return list.stream().map(x -> x.path.toString()).sorted().collect(Collectors.joining(", ", "[", "]"));
    }

    private void emit(HierarchyEvent.Type type, Node n, BreakerLevel level, String detail, long now) {
        if (registry != null) {
            registry.counter("qudag.resilience.hierarchy.events", "name", name, "type",
                    type.name()).increment();
        }
        LOG.info("Breaker hierarchy '{}': {} at {} ({}): {}", name, type, n.path, level, detail);
        HierarchyEvent event = new HierarchyEvent(type, n.path, level, detail, Instant.ofEpochMilli(now));
        for (HierarchyEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Hierarchy listener {} failed on {}", l, event, e);
            }
        }
    }

    @Override
    public String toString() {
        return "BreakerHierarchy{" + name + ", " + nodes.size() + " breakers}";
    }
}
