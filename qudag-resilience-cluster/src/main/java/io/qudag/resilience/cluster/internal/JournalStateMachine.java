package io.qudag.resilience.cluster.internal;

import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of a replicated journal (spec §4.1, §4.2): every committed entry is one journal
 * record, appended in log order to this peer's local {@link Journal}; the {@code n}-th committed
 * record gets sequence {@code n} on every peer. A snapshot is a checkpoint of the local journal: its
 * records up to the last applied one, in one file that Ratis hands to a lagging follower, which
 * appends the records it lacks. Applying is idempotent across restarts: a record whose sequence the
 * local journal already holds (appended before a crash, replayed from the Raft log after it) is not
 * appended again.
 */
final class JournalStateMachine extends SnapshotFileStateMachine {

    private static final Logger log = LoggerFactory.getLogger(JournalStateMachine.class);

    static final byte COMMAND = 'J';
    private static final int MAGIC = 0x514A524C; // "QJRL"
    private static final int VERSION = 1;

    private final Journal journal;
    private final AtomicLong appliedSequence = new AtomicLong();
    private final AtomicLong snapshotInstalls = new AtomicLong();
    private final Runnable onSnapshotInstalled;
    private volatile String failure;

    JournalStateMachine(Journal journal, Runnable onSnapshotInstalled) {
        this.journal = journal;
        this.onSnapshotInstalled = onSnapshotInstalled;
    }

    /** The Raft command of one record: a marker, the type, the payload. */
    static byte[] encode(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
        b.put(COMMAND).putInt(type).put(payload);
        return b.array();
    }

    /** The sequence of the last record applied here (the group's sequence, equal to the local journal's). */
    long appliedSequence() {
        return appliedSequence.get();
    }

    long snapshotInstalls() {
        return snapshotInstalls.get();
    }

    /** Why the local journal stopped taking records, or null. */
    String failure() {
        return failure;
    }

    @Override
    void snapshotInstalled() {
        snapshotInstalls.incrementAndGet();
        onSnapshotInstalled.run();
    }

    @Override
    synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File f = snapshot.getFile().getPath().toFile();
        if (!f.exists()) {
            log.warn("journal snapshot file {} is missing; replaying from the log", f);
            return;
        }
        long appended = 0;
        long last;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f.toPath())))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("journal snapshot " + f + " has an unknown header");
            }
            last = in.readLong();
            for (long seq = in.readLong(); seq >= 0; seq = in.readLong()) {
                int type = in.readInt();
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                long have = journal.lastSequence();
                if (seq <= have) {
                    continue;
                }
                if (seq != have + 1) {
                    throw new IOException("cannot catch up from journal snapshot " + f.getName() + ": the local journal"
                            + " ends at sequence " + have + " and the snapshot continues at " + seq);
                }
                long got = journal.append(type, payload);
                if (got != seq) {
                    throw new IOException("local journal gave sequence " + got + " to snapshot record " + seq);
                }
                appended++;
            }
        }
        if (journal.lastSequence() < last) {
            throw new IOException("journal snapshot " + f.getName() + " covers sequence " + last
                    + " but the local journal ends at " + journal.lastSequence());
        }
        TermIndex ti = snapshot.getTermIndex();
        updateLastAppliedTermIndex(ti.getTerm(), ti.getIndex());
        appliedSequence.set(last);
        log.info("journal state loaded from snapshot {} (raft index {}, sequence {}; {} records appended locally)",
                f.getName(), ti.getIndex(), last, appended);
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0 || !maySnapshot()) {
            return -1;
        }
        long upTo = appliedSequence.get();
        journal.flush();
        File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(target.getParentFile(), target.getName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp.toPath(), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(upTo);
            if (upTo >= journal.firstSequence()) {
                try (JournalReader r = journal.read(journal.firstSequence())) {
                    while (r.hasNext()) {
                        JournalRecord rec = r.next();
                        if (rec.sequence() > upTo) {
                            break;
                        }
                        out.writeLong(rec.sequence());
                        out.writeInt(rec.type());
                        out.writeInt(rec.payloadLength());
                        out.write(rec.payload());
                    }
                }
            }
            out.writeLong(-1);
            out.flush();
            ch.force(true);
        }
        Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        publishSnapshot(target, last);
        log.info("journal snapshot at raft index {} covers sequence {}", last.getIndex(), upTo);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto entry = trx.getLogEntry();
        ByteBuffer b = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(new IOException("local journal failed: " + failure));
            }
            long seq = appliedSequence.get() + 1;
            try {
                if (b.remaining() < 5 || b.get() != COMMAND) {
                    throw new IOException("not a journal command at raft index " + entry.getIndex());
                }
                int type = b.getInt();
                if (seq > journal.lastSequence()) {
                    long got = journal.append(type, b.slice());
                    if (got != seq) {
                        throw new IOException("local journal gave sequence " + got + " where the group is at " + seq
                                + " (was it appended to directly?)");
                    }
                }
                // else: appended before a restart and replayed from the Raft log now: already there.
            } catch (IOException | RuntimeException e) {
                failure = "sequence " + seq + " (raft index " + entry.getIndex() + "): " + e;
                log.error("replicated journal stops applying: {}", failure);
                return CompletableFuture.failedFuture(e);
            }
            appliedSequence.set(seq);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                    ByteBuffer.allocate(8).putLong(0, seq).array())));
        }
    }

    static long decodeReply(Message m) {
        return m.getContent().asReadOnlyByteBuffer().getLong();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        log.info("journal raft group {}: peer {} sees leader {}", groupMemberId.getGroupId(),
                groupMemberId.getPeerId(), newLeaderId);
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftProtos.RaftConfigurationProto conf) {
        log.info("journal raft group membership at term {} index {}: {} peers", term, index, conf.getPeersCount());
    }
}
