package io.qudag.resilience.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qudag.resilience.cluster.ClusterStatus;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.RaftClusterConfig;
import io.qudag.resilience.cluster.ReplicatedEntry;
import io.qudag.resilience.cluster.event.ClusterListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RaftCluster} on Apache Ratis with the Netty transport (spec §1.2, raft consensus). */
public final class DefaultRaftCluster implements RaftCluster {

    private static final Logger log = LoggerFactory.getLogger(DefaultRaftCluster.class);

    private enum Lifecycle { NEW, RUNNING, CLOSED }

    private final RaftClusterConfig config;
    private final MeterRegistry registry;
    private final RaftGroup group;
    private final RaftPeerId localId;
    private final ReplicatedStateMachine stateMachine;
    private final Timer commitLatency;
    private final List<io.micrometer.core.instrument.Meter> meters = new ArrayList<>();
    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    private volatile RaftServer server;
    private volatile RaftClient client;
    private final ClientId localClientId = ClientId.randomId();
    private final java.util.concurrent.atomic.AtomicLong callIds = new java.util.concurrent.atomic.AtomicLong();

    public DefaultRaftCluster(RaftClusterConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.group = RaftSupport.group(config);
        this.localId = RaftPeerId.valueOf(config.localPeerId());
        this.stateMachine = new ReplicatedStateMachine(new ObjectMapper());
        this.commitLatency = registry == null ? null : Timer.builder("qudag.resilience.cluster.commit.latency")
                .tags("group", config.groupName(), "peer", config.localPeerId())
                .description("Proposal to quorum commit and apply on the leader")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        if (commitLatency != null) {
            meters.add(commitLatency);
        }
        if (registry != null) {
            meters.add(Gauge.builder("qudag.resilience.cluster.role", this, c -> c.status().role().ordinal())
                    .tags("group", config.groupName(), "peer", config.localPeerId())
                    .description("0 stopped, 1 candidate, 2 follower, 3 leader").register(registry));
            meters.add(Gauge.builder("qudag.resilience.cluster.term", this, c -> c.status().term())
                    .tags("group", config.groupName(), "peer", config.localPeerId()).register(registry));
            meters.add(Gauge.builder("qudag.resilience.cluster.apply.lag", this, DefaultRaftCluster::applyLag)
                    .tags("group", config.groupName(), "peer", config.localPeerId())
                    .description("Committed log entries not yet applied here").register(registry));
            meters.add(Gauge.builder("qudag.resilience.cluster.quorum", this,
                            c -> c.status().quorumAvailable() ? 1 : 0)
                    .tags("group", config.groupName(), "peer", config.localPeerId()).register(registry));
        }
    }

    @Override
    public RaftClusterConfig config() {
        return config;
    }

    @Override
    public synchronized void start() {
        if (lifecycle != Lifecycle.NEW) {
            throw new IllegalStateException("cluster peer " + localId + " can start once, was " + lifecycle);
        }
        RaftSupport.requireWritableStorage(config);
        RaftProperties p = properties();
        try {
            server = RaftSupport.startServer(config, group, p, stateMachine);
            client = RaftSupport.client(config, group, p);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            lifecycle = Lifecycle.CLOSED;
            throw new IllegalStateException("cluster peer " + localId + " failed to start on "
                    + config.localPeer().address() + ": " + e, e);
        }
        lifecycle = Lifecycle.RUNNING;
        log.info("cluster peer {} started on {} in group {} with {} (storage {})", localId,
                config.localPeer().address(), config.groupName(), group.getPeers(), config.storageDirectory());
    }

    private RaftProperties properties() {
        return RaftSupport.properties(config);
    }

    @Override
    public ClusterStatus status() {
        RaftServer s = server;
        String stopped = lifecycle == Lifecycle.RUNNING && s != null ? null
                : "peer is " + (lifecycle == Lifecycle.NEW ? "not started" : "stopped");
        return RaftSupport.status(config, s, group.getGroupId(), stopped, stateMachine.appliedIndex());
    }

    private boolean isLeaderNow(RaftServer s) {
        try {
            return s.getDivision(group.getGroupId()).getInfo().isLeader();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private double applyLag() {
        return lifecycle == Lifecycle.RUNNING ? RaftSupport.applyLag(server, group.getGroupId()) : 0;
    }

    @Override
    public CompletableFuture<ReplicatedEntry> replicate(String namespace, String key, String value) {
        return propose(namespace, key, value, false);
    }

    @Override
    public CompletableFuture<ReplicatedEntry> replicateAsLeader(String namespace, String key, String value) {
        if (lifecycle == Lifecycle.RUNNING && !status().isLeader()) {
            return CompletableFuture.failedFuture(new IllegalStateException("peer " + localId
                    + " is not the leader: " + status().reason()));
        }
        return propose(namespace, key, value, true);
    }

    private CompletableFuture<ReplicatedEntry> propose(String namespace, String key, String value,
                                                       boolean leaderOnly) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must not be blank, was " + namespace);
        }
        if (key == null) {
            throw new IllegalArgumentException("key must not be null, was null");
        }
        if (value == null) {
            throw new IllegalArgumentException("value must not be null, was null");
        }
        RaftClient c = client;
        if (lifecycle != Lifecycle.RUNNING || c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("cluster peer " + localId + " is "
                    + (lifecycle == Lifecycle.NEW ? "not started" : "stopped")));
        }
        byte[] bytes;
        try {
            bytes = stateMachine.encode(new ReplicatedStateMachine.Command(namespace, key, value,
                    config.localPeerId(), leaderOnly));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        long t0 = System.nanoTime();
        Message message = Message.valueOf(ByteString.copyFrom(bytes));
        CompletableFuture<RaftClientReply> sent;
        try {
            RaftServer s = server;
            if (s != null && isLeaderNow(s)) {
                // On the leader: hand the request to the local server, no network hop.
                RaftClientRequest request = RaftClientRequest.newBuilder()
                        .setClientId(localClientId)
                        .setServerId(localId)
                        .setGroupId(group.getGroupId())
                        .setCallId(callIds.incrementAndGet())
                        .setMessage(message)
                        .setType(RaftClientRequest.writeRequestType())
                        .build();
                sent = s.submitClientRequestAsync(request);
                if (!leaderOnly) {
                    // Lost the leadership meanwhile: any peer may propose this, so let the client find the leader.
                    sent = sent.thenCompose(reply -> reply.getNotLeaderException() == null
                            ? CompletableFuture.completedFuture(reply) : c.async().send(message));
                }
            } else {
                sent = c.async().send(message);
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long timeout = config.commitTimeout().toMillis();
        return sent.orTimeout(timeout, TimeUnit.MILLISECONDS).handle((reply, err) -> {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                if (cause instanceof TimeoutException) {
                    throw new java.util.concurrent.CompletionException(new TimeoutException("not committed within "
                            + timeout + " ms (commitTimeout): " + status().reason()));
                }
                throw new java.util.concurrent.CompletionException(cause);
            }
            if (!reply.isSuccess()) {
                throw new java.util.concurrent.CompletionException(reply.getException() != null
                        ? reply.getException() : new IllegalStateException("not committed: " + reply));
            }
            try {
                ReplicatedEntry e = stateMachine.decodeReply(reply.getMessage());
                if (commitLatency != null) {
                    commitLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                }
                return e;
            } catch (IOException ex) {
                throw new java.util.concurrent.CompletionException(ex);
            }
        });
    }

    @Override
    public Optional<ReplicatedEntry> get(String namespace, String key) {
        return Optional.ofNullable(stateMachine.get(namespace, key));
    }

    @Override
    public Map<String, ReplicatedEntry> entries(String namespace) {
        return stateMachine.entries(namespace);
    }

    @Override
    public List<ReplicatedEntry> history(String namespace) {
        return stateMachine.history(namespace);
    }

    @Override
    public void addListener(ClusterListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null, was null");
        }
        stateMachine.addListener(listener);
    }

    @Override
    public void removeListener(ClusterListener listener) {
        stateMachine.removeListener(listener);
    }

    @Override
    public synchronized void close() {
        if (lifecycle == Lifecycle.CLOSED) {
            return;
        }
        lifecycle = Lifecycle.CLOSED;
        closeQuietly();
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        log.info("cluster peer {} stopped", localId);
    }

    private void closeQuietly() {
        RaftClient c = client;
        client = null;
        RaftServer s = server;
        server = null;
        RaftSupport.closeQuietly(c, s, "cluster peer " + localId);
    }

    @Override
    public String toString() {
        return "RaftCluster{" + localId + " in " + config.groupName() + '}';
    }
}
