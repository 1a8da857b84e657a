package io.qudag.resilience.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.cluster.ClusterStatus;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.RaftFailoverCoordinator;
import io.qudag.resilience.cluster.ReplicatedEntry;
import io.qudag.resilience.cluster.event.ClusterListener;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RaftFailoverCoordinator} over a {@link RaftCluster}'s replicated state (spec §1.2). */
public final class DefaultRaftFailoverCoordinator implements RaftFailoverCoordinator, ClusterListener {

    private static final Logger log = LoggerFactory.getLogger(DefaultRaftFailoverCoordinator.class);

    private final RaftCluster cluster;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Tells this coordinator's own commits from those of other instances (or of an earlier run). */
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, FailoverDecisionEngine> engines = new ConcurrentHashMap<>();
    private volatile String lastRefusal;

    public DefaultRaftFailoverCoordinator(RaftCluster cluster) {
        this.cluster = cluster;
        cluster.addListener(this);
    }

    @Override
    public Role role(String scope) {
        ClusterStatus s = cluster.status();
        if (!s.quorumAvailable()) {
            return Role.NO_QUORUM;
        }
        return s.isLeader() ? Role.LEADER : Role.FOLLOWER;
    }

    @Override
    public boolean commit(String scope, String decisionId, String payload) {
        JsonNode decision;
        try {
            decision = mapper.readTree(payload);
        } catch (IOException e) {
            lastRefusal = "decision " + decisionId + " is not JSON: " + e.getMessage();
            log.warn("not committing failover decision {}: {}", decisionId, lastRefusal);
            return false;
        }
        String source = decision.path("source").asText("");
        ObjectNode value = mapper.createObjectNode();
        value.put("instance", instance);
        value.set("decision", decision);
        long timeout = cluster.config().commitTimeout().toMillis();
        try {
            ReplicatedEntry e = cluster.replicateAsLeader(NAMESPACE, scope + '/' + source, value.toString())
                    .get(timeout + 1000, TimeUnit.MILLISECONDS);
            log.info("failover decision {} of {} committed at index {} term {}", decisionId, scope, e.index(),
                    e.term());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastRefusal = "interrupted while committing " + decisionId;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            lastRefusal = "decision " + decisionId + " not committed: " + c.getMessage();
        } catch (TimeoutException e) {
            lastRefusal = "decision " + decisionId + " not committed within " + (timeout + 1000) + " ms: "
                    + cluster.status().reason();
        } catch (RuntimeException e) {
            lastRefusal = "decision " + decisionId + " not committed: " + e;
        }
        log.warn("failover coordination of {}: {}", scope, lastRefusal);
        return false;
    }

    @Override
    public void bind(FailoverDecisionEngine engine) {
        if (engine == null) {
            throw new IllegalArgumentException("engine must not be null, was null");
        }
        String scope = engine.group().name();
        if (engines.putIfAbsent(scope, engine) != null) {
            throw new IllegalArgumentException("engine.group.name must be bound once, was \"" + scope
                    + "\" again");
        }
        // Catch up with what was agreed before (e.g. while this instance was down).
        List<ReplicatedEntry> agreed = new ArrayList<>(scopeEntries(scope).values());
        agreed.sort(Comparator.comparingLong(ReplicatedEntry::index));
        for (ReplicatedEntry e : agreed) {
            apply(engine, e);
        }
    }

    @Override
    public void onApplied(ReplicatedEntry entry) {
        if (!NAMESPACE.equals(entry.namespace())) {
            return;
        }
        int slash = entry.key().lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        FailoverDecisionEngine engine = engines.get(entry.key().substring(0, slash));
        if (engine != null) {
            apply(engine, entry);
        }
    }

    private void apply(FailoverDecisionEngine engine, ReplicatedEntry e) {
        try {
            JsonNode v = mapper.readTree(e.value());
            if (instance.equals(v.path("instance").asText())) {
                return; // this instance's engine executed it when it was committed
            }
            JsonNode d = v.path("decision");
            engine.applyAgreed(d.path("id").asText(), d.path("source").asText(),
                    EndpointState.valueOf(d.path("sourceStateAfter").asText()), d.path("sourceFactorAfter").asDouble());
        } catch (IOException | RuntimeException ex) {
            log.warn("cannot apply agreed failover entry {} ({}): {}", e.index(), e.key(), ex.toString());
        }
    }

    private Map<String, ReplicatedEntry> scopeEntries(String scope) {
        Map<String, ReplicatedEntry> out = new LinkedHashMap<>();
        cluster.entries(NAMESPACE).forEach((k, v) -> {
            if (k.startsWith(scope + '/') && k.indexOf('/', scope.length() + 1) < 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    private ReplicatedEntry lastOf(String scope) {
        return scopeEntries(scope).values().stream().max(Comparator.comparingLong(ReplicatedEntry::index))
                .orElse(null);
    }

    @Override
    public CoordinationStatus status(String scope) {
        ClusterStatus s = cluster.status();
        Role role = !s.quorumAvailable() ? Role.NO_QUORUM : s.isLeader() ? Role.LEADER : Role.FOLLOWER;
        ReplicatedEntry last = lastOf(scope);
        String id = null;
        if (last != null) {
            try {
                id = mapper.readTree(last.value()).path("decision").path("id").asText(null);
            } catch (IOException ignored) {
                // an unreadable value has no id
            }
        }
        String reason = role == Role.NO_QUORUM ? "no decision can be taken: " + s.reason()
                + "; serving the last agreed routing" : s.reason();
        return new CoordinationStatus(role, reason, id, last == null ? -1 : last.index(), lastRefusal);
    }

    @Override
    public Map<String, Double> agreedRouting(String scope) {
        ReplicatedEntry last = lastOf(scope);
        if (last == null) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            mapper.readTree(last.value()).path("decision").path("shares").properties()
                    .forEach(f -> out.put(f.getKey(), f.getValue().asDouble()));
        } catch (IOException e) {
            return Map.of();
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public List<String> agreedDecisions(String scope) {
        List<String> out = new ArrayList<>();
        for (ReplicatedEntry e : cluster.history(NAMESPACE)) {
            if (e.key().startsWith(scope + '/')) {
                try {
                    out.add(mapper.readTree(e.value()).path("decision").toString());
                } catch (IOException ignored) {
                    // skipped: not a decision
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        cluster.removeListener(this);
        engines.clear();
    }

    @Override
    public String toString() {
        return "RaftFailoverCoordinator{" + cluster + '}';
    }
}
