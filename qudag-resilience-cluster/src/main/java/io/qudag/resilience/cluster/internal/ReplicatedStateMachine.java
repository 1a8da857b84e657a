package io.qudag.resilience.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.cluster.ReplicatedEntry;
import io.qudag.resilience.cluster.event.ClusterListener;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state: keyed JSON values in namespaces, each namespace with a bounded history. Every
 * committed log entry is one {@link Command}; applying it is deterministic, so every peer ends in the
 * same state. Snapshots are one JSON file through Ratis' {@link SimpleStateMachineStorage}.
 */
final class ReplicatedStateMachine extends SnapshotFileStateMachine {

    private static final Logger log = LoggerFactory.getLogger(ReplicatedStateMachine.class);

    /**
     * One proposal: the new value of a key. A {@code leaderOnly} proposal is accepted only from the
     * leader itself (only the leader decides).
     */
    record Command(String ns, String key, String value, String origin, boolean leaderOnly) {
    }

    private final ObjectMapper mapper;
    private final ReplicatedState state = new ReplicatedState();
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong applied = new AtomicLong(-1);
    private volatile List<String> members = List.of();

    ReplicatedStateMachine(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void addListener(ClusterListener l) {
        listeners.add(l);
    }

    void removeListener(ClusterListener l) {
        listeners.remove(l);
    }

    long appliedIndex() {
        return applied.get();
    }

    @Override
    void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File f = snapshot.getFile().getPath().toFile();
        if (!f.exists()) {
            log.warn("snapshot file {} is missing; starting from the log", f);
            return;
        }
        ReplicatedState.Image image = mapper.readValue(f, ReplicatedState.Image.class);
        synchronized (this) {
            state.load(image);
            TermIndex ti = snapshot.getTermIndex();
            updateLastAppliedTermIndex(ti.getTerm(), ti.getIndex());
            applied.set(ti.getIndex());
        }
        log.info("loaded replicated state from snapshot {} (index {})", f.getName(), snapshot.getIndex());
    }

    @Override
    public long takeSnapshot() throws IOException {
        ReplicatedState.Image image;
        TermIndex last;
        synchronized (this) {
            last = getLastAppliedTermIndex();
            if (last == null || last.getIndex() < 0 || !maySnapshot()) {
                return -1;
            }
            image = state.image();
        }
        File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(target.getParentFile(), target.getName() + ".tmp");
        Files.write(tmp.toPath(), mapper.writeValueAsBytes(image));
        Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        publishSnapshot(target, last);
        return last.getIndex();
    }

    /** Runs on the leader before an entry is appended: refuses a leader-only proposal from another peer. */
    @Override
    public TransactionContext startTransaction(org.apache.ratis.protocol.RaftClientRequest request)
            throws IOException {
        Command c = mapper.readValue(request.getMessage().getContent().toByteArray(), Command.class);
        if (c.leaderOnly() && !c.origin().equals(String.valueOf(getId()))) {
            throw new IOException("refused: only the leader decides, and " + c.origin() + " is not the leader ("
                    + getId() + " is)");
        }
        return super.startTransaction(request);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        ReplicatedEntry e;
        Command c;
        try {
            c = mapper.readValue(entry.getStateMachineLogEntry().getLogData().toByteArray(), Command.class);
        } catch (IOException ex) {
            // A malformed entry is committed already: skip it on every peer alike.
            log.error("skipping malformed replicated entry at index {}: {}", index, ex.toString());
            synchronized (this) {
                updateLastAppliedTermIndex(term, index);
                applied.set(index);
            }
            return CompletableFuture.completedFuture(Message.valueOf("{}"));
        }
        synchronized (this) {
            e = state.apply(c.ns(), c.key(), c.value(), c.origin(), term, index);
            updateLastAppliedTermIndex(term, index);
            applied.set(index);
        }
        for (ClusterListener l : listeners) {
            try {
                l.onApplied(e);
            } catch (RuntimeException ex) {
                log.warn("cluster listener {} failed on entry {}: {}", l, index, ex.toString());
            }
        }
        try {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(mapper.writeValueAsBytes(e))));
        } catch (IOException ex) {
            return CompletableFuture.completedFuture(Message.valueOf("{}"));
        }
    }

    ReplicatedEntry decodeReply(Message m) throws IOException {
        byte[] b = m.getContent().toByteArray();
        return mapper.readValue(b, ReplicatedEntry.class);
    }

    byte[] encode(Command c) throws IOException {
        return mapper.writeValueAsBytes(c);
    }

    Map<String, ReplicatedEntry> entries(String ns) {
        return state.entries(ns);
    }

    ReplicatedEntry get(String ns, String key) {
        return state.get(ns, key);
    }

    List<ReplicatedEntry> history(String ns) {
        return state.history(ns);
    }

    List<String> members() {
        return members;
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        String leader = newLeaderId == null ? null : newLeaderId.toString();
        long term = -1;
        try {
            term = getServer().join().getDivision(groupMemberId.getGroupId()).getInfo().getCurrentTerm();
        } catch (Exception ignored) {
            // the term is informational only
        }
        log.info("raft group {}: peer {} sees leader {} (term {})", groupMemberId.getGroupId(),
                groupMemberId.getPeerId(), leader, term);
        for (ClusterListener l : listeners) {
            try {
                l.onLeaderChanged(leader, term);
            } catch (RuntimeException ex) {
                log.warn("cluster listener {} failed on a leader change: {}", l, ex.toString());
            }
        }
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftProtos.RaftConfigurationProto conf) {
        List<String> ids = new ArrayList<>();
        for (RaftProtos.RaftPeerProto p : conf.getPeersList()) {
            ids.add(p.getId().toString(StandardCharsets.UTF_8));
        }
        List<String> now = List.copyOf(ids);
        if (!now.equals(members)) {
            log.info("raft group membership at term {} index {}: {} (was {})", term, index, now, members);
            members = now;
            for (ClusterListener l : listeners) {
                try {
                    l.onMembershipChanged(now);
                } catch (RuntimeException ex) {
                    log.warn("cluster listener {} failed on a membership change: {}", l, ex.toString());
                }
            }
        }
    }
}
