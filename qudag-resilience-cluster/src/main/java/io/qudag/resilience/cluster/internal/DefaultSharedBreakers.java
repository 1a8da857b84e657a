package io.qudag.resilience.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.ReplicatedEntry;
import io.qudag.resilience.cluster.SharedBreakers;
import io.qudag.resilience.cluster.event.ClusterListener;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerSnapshot;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.event.BreakerEventListener;
import io.qudag.resilience.core.event.BreakerStateTransitionEvent;
import io.qudag.resilience.core.event.HierarchyEvent;
import io.qudag.resilience.core.event.HierarchyEventListener;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link SharedBreakers} over a {@link RaftCluster}'s replicated state (spec §3.2, §1.2). */
public final class DefaultSharedBreakers implements SharedBreakers, ClusterListener {

    private static final Logger log = LoggerFactory.getLogger(DefaultSharedBreakers.class);
    /** Escalation events worth sharing: proposals and their outcomes, and the escalations themselves. */
    private static final Set<HierarchyEvent.Type> SHARED_EVENTS = EnumSet.of(HierarchyEvent.Type.REGIONAL_ESCALATION,
            HierarchyEvent.Type.GLOBAL_PROPOSED, HierarchyEvent.Type.GLOBAL_APPROVED, HierarchyEvent.Type.GLOBAL_DENIED,
            HierarchyEvent.Type.GLOBAL_HELD, HierarchyEvent.Type.GLOBAL_WITHDRAWN,
            HierarchyEvent.Type.CASCADE_EMERGENCY);

    private final RaftCluster cluster;
    private final BreakerHierarchy hierarchy;
    private final Map<String, BreakerPath> shared = new LinkedHashMap<>();
    private final Map<BreakerPath, BreakerEventListener> nodeListeners = new HashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String instance = UUID.randomUUID().toString();
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final ScheduledFuture<?> publication;
    /** Set while a replicated state is applied here, so that its own transition is not proposed back. */
    private final ThreadLocal<Boolean> applying = ThreadLocal.withInitial(() -> false);
    private final HierarchyEventListener escalationListener = this::onHierarchyEvent;
    private volatile boolean closed;

    public DefaultSharedBreakers(RaftCluster cluster, BreakerHierarchy hierarchy, List<BreakerPath> paths,
                                 Duration aggregationInterval, ScheduledExecutorService executor) {
        this.cluster = cluster;
        this.hierarchy = hierarchy;
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qudag-shared-breakers-" + cluster.config().localPeerId());
            t.setDaemon(true);
            return t;
        });
        for (BreakerPath p : paths) {
            shared.put(p.toString(), p);
            AdaptiveCircuitBreaker node = hierarchy.node(p);
            BreakerEventListener l = e -> onLocalTransition(p, e);
            node.addListener(l);
            nodeListeners.put(p, l);
        }
        hierarchy.addListener(escalationListener);
        cluster.addListener(this);
        // Catch up with what the group agreed before this instance joined.
        for (ReplicatedEntry e : cluster.entries(NAMESPACE).values()) {
            onApplied(e);
        }
        long ms = aggregationInterval.toMillis();
        this.publication = this.executor.scheduleAtFixedRate(this::publishQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- proposals

    @Override
    public CompletableFuture<ReplicatedEntry> open(BreakerPath path, Duration openFor, String reason) {
        if (openFor == null || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("openFor must be positive, was " + openFor);
        }
        return propose(path, BreakerState.OPEN, openFor.toMillis(), reason);
    }

    @Override
    public CompletableFuture<ReplicatedEntry> forceOpen(BreakerPath path, String reason) {
        return propose(path, BreakerState.FORCED_OPEN, 0, reason);
    }

    @Override
    public CompletableFuture<ReplicatedEntry> close(BreakerPath path, String reason) {
        return propose(path, BreakerState.CLOSED, 0, reason);
    }

    private CompletableFuture<ReplicatedEntry> propose(BreakerPath path, BreakerState state, long openForMillis,
                                                       String reason) {
        if (path == null || !shared.containsKey(path.toString())) {
            throw new IllegalArgumentException("path must be one of the shared breakers " + shared.keySet() + ", was "
                    + path);
        }
        ObjectNode v = mapper.createObjectNode();
        v.put("instance", instance);
        v.put("state", state.name());
        v.put("openForMillis", openForMillis);
        v.put("reason", reason == null ? "" : reason);
        return cluster.replicate(NAMESPACE, path.toString(), v.toString()).whenComplete((e, err) -> {
            if (err != null) {
                log.warn("shared breaker {} -> {} not agreed: {}", path, state, err.toString());
            }
        });
    }

    /** A shared breaker moved here by itself: propose it to the group, off the caller's thread. */
    private void onLocalTransition(BreakerPath path, BreakerStateTransitionEvent e) {
        if (applying.get() || closed) {
            return;
        }
        BreakerState to = e.to();
        if (to != BreakerState.OPEN && to != BreakerState.CLOSED && to != BreakerState.FORCED_OPEN) {
            return; // HALF_OPEN and RECOVERY are each instance's own recovery
        }
        long openFor = to == BreakerState.OPEN ? e.openDuration().toMillis() : 0;
        String reason = "on " + cluster.config().localPeerId() + ": " + e.reason();
        try {
            executor.execute(() -> propose(path, to, openFor, reason));
        } catch (RejectedExecutionException ex) {
            log.debug("shared breakers closed; {} -> {} not proposed", path, to);
        }
    }

    private void onHierarchyEvent(HierarchyEvent e) {
        if (closed || !SHARED_EVENTS.contains(e.type())) {
            return;
        }
        ObjectNode v = mapper.createObjectNode();
        v.put("type", e.type().name());
        v.put("node", e.node().toString());
        v.put("level", e.level().name());
        v.put("detail", e.detail());
        v.put("at", e.at().toString());
        v.put("peer", cluster.config().localPeerId());
        try {
            executor.execute(() -> cluster.replicate(ESCALATIONS, e.node() + "#" + e.type(), v.toString())
                    .whenComplete((x, err) -> {
                        if (err != null) {
                            log.warn("escalation event {} on {} not replicated: {}", e.type(), e.node(),
                                    err.toString());
                        }
                    }));
        } catch (RejectedExecutionException ex) {
            log.debug("shared breakers closed; escalation event {} not replicated", e.type());
        }
    }

    // ---------------------------------------------------------------- applying agreed states

    @Override
    public void onApplied(ReplicatedEntry entry) {
        if (closed || !NAMESPACE.equals(entry.namespace())) {
            return;
        }
        BreakerPath path = shared.get(entry.key());
        if (path == null) {
            return;
        }
        JsonNode v;
        try {
            v = mapper.readTree(entry.value());
        } catch (IOException ex) {
            log.warn("unreadable shared breaker entry {}: {}", entry.index(), ex.toString());
            return;
        }
        BreakerState to = BreakerState.valueOf(v.path("state").asText("CLOSED"));
        AdaptiveCircuitBreaker node = hierarchy.node(path);
        String reason = "agreed in the cluster (entry " + entry.index() + "): " + v.path("reason").asText();
        applying.set(true);
        try {
            BreakerState now = node.state();
            switch (to) {
                case OPEN -> {
                    if (now != BreakerState.OPEN) {
                        long ms = v.path("openForMillis").asLong();
                        node.transitionToOpen(ms > 0 ? Duration.ofMillis(ms) : null, reason);
                    }
                }
                case FORCED_OPEN -> {
                    if (now != BreakerState.FORCED_OPEN) {
                        node.transitionToForcedOpen();
                    }
                }
                case CLOSED -> {
                    if (now != BreakerState.CLOSED) {
                        node.transitionToClosed();
                    }
                }
                default -> log.warn("shared breaker {}: ignoring agreed state {}", path, to);
            }
            log.info("shared breaker {} -> {} applied from entry {} ({})", path, to, entry.index(), reason);
        } catch (RuntimeException ex) {
            log.warn("shared breaker {} cannot move from {} to {}: {}", path, node.state(), to, ex.toString());
        } finally {
            applying.set(false);
        }
    }

    @Override
    public Map<BreakerPath, BreakerState> agreedStates() {
        Map<BreakerPath, BreakerState> out = new LinkedHashMap<>();
        cluster.entries(NAMESPACE).forEach((k, e) -> {
            BreakerPath p = shared.get(k);
            if (p != null) {
                try {
                    out.put(p, BreakerState.valueOf(mapper.readTree(e.value()).path("state").asText()));
                } catch (IOException | IllegalArgumentException ignored) {
                    // not a breaker state
                }
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public List<String> escalations() {
        List<String> out = new ArrayList<>();
        for (ReplicatedEntry e : cluster.history(ESCALATIONS)) {
            out.add(e.value());
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- counters

    @Override
    public double aggregatedFailureRate(BreakerPath path) {
        double calls = 0;
        double failures = 0;
        String prefix = path + "@";
        for (Map.Entry<String, ReplicatedEntry> e : cluster.entries(COUNTERS).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            try {
                JsonNode v = mapper.readTree(e.getValue().value());
                long n = v.path("callsInWindow").asLong();
                calls += n;
                failures += n * v.path("failureRate").asDouble();
            } catch (IOException ignored) {
                // skipped
            }
        }
        return calls == 0 ? Double.NaN : failures / calls;
    }

    @Override
    public CompletableFuture<Void> publishCounters() {
        List<CompletableFuture<ReplicatedEntry>> all = new ArrayList<>();
        for (BreakerPath p : shared.values()) {
            BreakerSnapshot s = hierarchy.node(p).snapshot();
            ObjectNode v = mapper.createObjectNode();
            v.put("peer", cluster.config().localPeerId());
            v.put("state", s.state().name());
            v.put("callsInWindow", s.callsInWindow());
            v.put("failureRate", Double.isFinite(s.failureRate()) ? s.failureRate() : 0.0);
            all.add(cluster.replicate(COUNTERS, p + "@" + cluster.config().localPeerId(), v.toString()));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private void publishQuietly() {
        if (closed || !cluster.status().quorumAvailable()) {
            return;
        }
        publishCounters().whenComplete((v, err) -> {
            if (err != null) {
                log.debug("breaker counters not published: {}", err.toString());
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        publication.cancel(false);
        nodeListeners.forEach((p, l) -> hierarchy.node(p).removeListener(l));
        cluster.removeListener(this);
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "SharedBreakers{" + shared.keySet() + " on " + cluster + '}';
    }
}
