package io.qudag.resilience.cluster.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * A Ratis state machine whose snapshot is one file in Ratis' {@link SimpleStateMachineStorage} (spec
 * §1.2 state replication): it starts from the latest snapshot, and goes through the pause and
 * reinitialize cycle Ratis runs around a snapshot installed from the leader. Subclasses say how a
 * snapshot file becomes their state.
 */
abstract class SnapshotFileStateMachine extends BaseStateMachine {

    protected final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            storage.init(raftStorage);
            load(storage.getLatestSnapshot());
        }, IOException.class);
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot sent by the leader, then reinitializes it.
     * A snapshot being taken finishes first (both hold this monitor), and none starts while paused.
     */
    @Override
    public synchronized void pause() {
        if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        // Ratis calls this after it installed a snapshot sent by the leader.
        load(storage.loadLatestSnapshot());
        if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
        snapshotInstalled();
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /** True while the state machine may take a snapshot: running, not paused for an install. Call holding this. */
    final boolean maySnapshot() {
        return getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING;
    }

    /**
     * Makes {@code target} the latest snapshot at {@code last}, its MD5 saved beside it. A failure is an
     * {@code IOException}, which Ratis logs and survives: an unchecked one would stop the peer.
     */
    final void publishSnapshot(File target, TermIndex last) throws IOException {
        try {
            var md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IOException("snapshot " + target + " not saved: " + e.getMessage(), e);
        }
    }

    /** Makes {@code snapshot} (null: none yet) the state. */
    abstract void load(SingleFileSnapshotInfo snapshot) throws IOException;

    /** After {@link #reinitialize()}: a snapshot from the leader is now the state. Does nothing here. */
    void snapshotInstalled() {
    }
}
