package io.qudag.resilience.cluster.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qudag.resilience.cluster.ClusterStatus;
import io.qudag.resilience.cluster.JournalReplicationException;
import io.qudag.resilience.cluster.RaftClusterConfig;
import io.qudag.resilience.cluster.ReplicatedJournal;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ReplicatedJournal} on Apache Ratis with the Netty transport (spec §4.1, §4.2). */
public final class DefaultReplicatedJournal implements ReplicatedJournal {

    private static final Logger log = LoggerFactory.getLogger(DefaultReplicatedJournal.class);

    private enum Lifecycle { NEW, RUNNING, CLOSED }

    private final RaftClusterConfig config;
    private final JournalConfig journalConfig;
    private final MeterRegistry registry;
    private final long segmentSize;
    private final RaftGroup group;
    private final RaftPeerId localId;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final List<Meter> meters = new ArrayList<>();
    private final Timer appendLatency;
    private final Counter snapshotInstalls;
    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    private volatile Journal journal;
    private volatile JournalStateMachine stateMachine;
    private volatile RaftServer server;
    private volatile RaftClient client;

    public DefaultReplicatedJournal(RaftClusterConfig config, JournalConfig journalConfig, MeterRegistry registry,
                                    long segmentSize) {
        this.config = config;
        this.journalConfig = journalConfig;
        this.registry = registry;
        this.segmentSize = segmentSize;
        this.group = RaftSupport.group(config);
        this.localId = RaftPeerId.valueOf(config.localPeerId());
        if (registry != null) {
            String[] tags = {"group", config.groupName(), "peer", config.localPeerId()};
            appendLatency = Timer.builder("qudag.resilience.cluster.journal.append.latency").tags(tags)
                    .description("Append to majority commit and local apply").publishPercentiles(0.5, 0.99)
                    .register(registry);
            snapshotInstalls = Counter.builder("qudag.resilience.cluster.journal.snapshot.installs").tags(tags)
                    .description("Journal checkpoints received from the leader to catch up").register(registry);
            meters.add(appendLatency);
            meters.add(snapshotInstalls);
            meters.add(Gauge.builder("qudag.resilience.cluster.journal.apply.lag", this,
                            j -> j.lifecycle == Lifecycle.RUNNING ? RaftSupport.applyLag(j.server, group.getGroupId()) : 0)
                    .tags(tags).description("Committed journal entries not yet applied to the local journal")
                    .register(registry));
            meters.add(Gauge.builder("qudag.resilience.cluster.journal.sequence", this,
                            DefaultReplicatedJournal::lastSequence)
                    .tags(tags).description("Newest sequence in the local journal").register(registry));
        } else {
            appendLatency = null;
            snapshotInstalls = null;
        }
        if (config.peers().size() < io.qudag.resilience.recovery.DataClass.CRITICAL.replicationFactor()) {
            log.info("journal group {} keeps {} replicas (the group size); CRITICAL data asks for {}",
                    config.groupName(), config.peers().size(),
                    io.qudag.resilience.recovery.DataClass.CRITICAL.replicationFactor());
        }
    }

    @Override
    public synchronized void start() {
        if (lifecycle != Lifecycle.NEW) {
            throw new IllegalStateException("journal peer " + localId + " can start once, was " + lifecycle);
        }
        try {
            RaftSupport.requireWritableStorage(config);
        } catch (IllegalStateException e) {
            lifecycle = Lifecycle.CLOSED;
            throw e;
        }
        RaftProperties p = RaftSupport.properties(config);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segmentSize));
        // The journal is the durable copy: keep no Raft log behind a snapshot.
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        try {
            journal = Journal.open(journalConfig);
            stateMachine = new JournalStateMachine(journal, () -> {
                if (snapshotInstalls != null) {
                    snapshotInstalls.increment();
                }
            });
            server = RaftSupport.startServer(config, group, p, stateMachine);
            client = RaftSupport.client(config, group, p);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            lifecycle = Lifecycle.CLOSED;
            throw new IllegalStateException("journal peer " + localId + " failed to start on "
                    + config.localPeer().address() + " with journal " + journalConfig.directory() + ": " + e, e);
        }
        lifecycle = Lifecycle.RUNNING;
        log.info("journal peer {} started on {} in group {} (journal {}, raft storage {})", localId,
                config.localPeer().address(), config.groupName(), journalConfig.directory(),
                config.storageDirectory());
    }

    @Override
    public CompletableFuture<Long> append(int type, byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null, was null");
        }
        if (!journalConfig.acceptsType(type)) {
            throw new IllegalArgumentException("type must be a record type the journal accepts, was " + type);
        }
        if (payload.length > journalConfig.maxRecordSize()) {
            throw new IllegalArgumentException("payload must be at most " + journalConfig.maxRecordSize()
                    + " bytes (journal maxRecordSize), was " + payload.length);
        }
        RaftClient c = client;
        RaftServer s = server;
        if (lifecycle != Lifecycle.RUNNING || c == null || s == null) {
            return CompletableFuture.failedFuture(new JournalReplicationException("journal peer " + localId + " is "
                    + (lifecycle == Lifecycle.NEW ? "not started" : "stopped") + "; nothing was proposed", false, null));
        }
        ClusterStatus st = status();
        if (!st.quorumAvailable()) {
            return CompletableFuture.failedFuture(new JournalReplicationException("not appended: journal peer "
                    + localId + " has no quorum (" + st.reason() + "); nothing was proposed", false, null));
        }
        long t0 = System.nanoTime();
        Message message = Message.valueOf(ByteString.copyFrom(JournalStateMachine.encode(type, payload)));
        CompletableFuture<RaftClientReply> sent;
        try {
            if (st.isLeader()) {
                RaftClientRequest request = RaftClientRequest.newBuilder()
                        .setClientId(localClientId)
                        .setServerId(localId)
                        .setGroupId(group.getGroupId())
                        .setCallId(callIds.incrementAndGet())
                        .setMessage(message)
                        .setType(RaftClientRequest.writeRequestType())
                        .build();
                sent = s.submitClientRequestAsync(request).thenCompose(reply ->
                        reply.getNotLeaderException() == null ? CompletableFuture.completedFuture(reply)
                                : c.async().send(message));
            } else {
                sent = c.async().send(message);
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new JournalReplicationException("not appended: " + e, false, e));
        }
        long timeout = config.commitTimeout().toMillis();
        return sent.orTimeout(timeout, TimeUnit.MILLISECONDS).handle((reply, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                String why = cause instanceof TimeoutException
                        ? "not committed within " + timeout + " ms (commitTimeout): " + status().reason()
                        : "not committed: " + cause;
                throw new CompletionException(new JournalReplicationException(why + "; the record may still be"
                        + " committed later", true, cause));
            }
            if (!reply.isSuccess()) {
                throw new CompletionException(new JournalReplicationException("not committed: "
                        + (reply.getException() != null ? reply.getException() : reply), true, reply.getException()));
            }
            long seq = JournalStateMachine.decodeReply(reply.getMessage());
            if (appendLatency != null) {
                appendLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
            return seq;
        });
    }

    @Override
    public JournalReader read(long fromSequence) {
        Journal j = journal;
        if (j == null) {
            throw new IllegalStateException("journal peer " + localId + " is not started");
        }
        return j.read(fromSequence);
    }

    @Override
    public long lastSequence() {
        Journal j = journal;
        return j == null ? 0 : j.lastSequence();
    }

    @Override
    public ClusterStatus status() {
        RaftServer s = server;
        JournalStateMachine sm = stateMachine;
        String stopped = lifecycle == Lifecycle.RUNNING && s != null ? null
                : "peer is " + (lifecycle == Lifecycle.NEW ? "not started" : "stopped");
        ClusterStatus st = RaftSupport.status(config, s, group.getGroupId(), stopped,
                sm == null ? -1 : sm.appliedSequence());
        String failure = sm == null ? null : sm.failure();
        if (failure != null) {
            return new ClusterStatus(st.localPeerId(), st.role(), st.leaderId(), st.term(), st.members(), false,
                    "local journal failed at " + failure, st.lastAppliedIndex());
        }
        return st;
    }

    @Override
    public int replicationFactor() {
        return config.peers().size();
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
        log.info("journal peer {} stopped", localId);
    }

    private void closeQuietly() {
        RaftClient c = client;
        client = null;
        RaftServer s = server;
        server = null;
        RaftSupport.closeQuietly(c, s, "journal peer " + localId);
        Journal j = journal;
        if (j != null) {
            try {
                j.close();
            } catch (RuntimeException e) {
                log.warn("closing the local journal of peer {} failed: {}", localId, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "ReplicatedJournal{" + localId + " in " + config.groupName() + '}';
    }
}
