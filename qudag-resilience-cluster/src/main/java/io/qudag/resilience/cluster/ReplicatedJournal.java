package io.qudag.resilience.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.cluster.internal.DefaultReplicatedJournal;
import io.qudag.resilience.recovery.DataClass;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalReader;
import java.util.concurrent.CompletableFuture;

/**
 * The recovery module's {@link io.qudag.resilience.recovery.Journal} replicated over Raft for the
 * {@link DataClass#CRITICAL CRITICAL} data class (spec §4.1 data classification: replication factor,
 * real-time backup; §4.2 continuous data protection).
 *
 * <p>An {@link #append} is a Raft command: it is acknowledged only once a majority of the group has
 * it in its Raft log and this peer has applied it, so the recovery point objective is 0 as long as a
 * majority survives. Every peer's state machine applies every committed entry, in log order, to its
 * own local journal, so the replication factor is the group size: each member ends with the same
 * records under the same sequences (only the local append timestamps differ). A peer that was down
 * or cut off catches up from the Raft log, or, when the leader already purged that part of its log,
 * by installing a Ratis snapshot that is a checkpoint of the leader's journal (its records up to the
 * snapshot's index), then the log after it.
 *
 * <p>Give it a journal directory of its own and append only through it: the local journal's
 * sequence {@code n} is the {@code n}-th committed append of the group. Read with {@link #read}.
 *
 * <pre>{@code
 * RaftClusterConfig raft = RaftClusterConfig.builder()
 *         .groupName("orders-journal")
 *         .peer("a", "10.0.0.1", 9872).peer("b", "10.0.0.2", 9872).peer("c", "10.0.0.3", 9872)
 *         .localPeerId("a").storageDirectory(Path.of("/var/lib/qudag/journal-raft"))
 *         .build();
 * JournalConfig journal = RecoveryPolicy.defaults()
 *         .journalFor(DataClass.CRITICAL, Path.of("/var/lib/qudag/orders")).build();
 * try (ReplicatedJournal replicated = ReplicatedJournal.builder(raft, journal).build()) {
 *     replicated.start();
 *     long sequence = replicated.append(1, payload).join(); // committed on a majority
 * }
 * }</pre>
 */
public interface ReplicatedJournal extends AutoCloseable {

    /**
     * {@return a builder of a replicated journal}
     *
     * @param raft    the Raft group and this peer
     * @param journal the local journal of this peer (durability SYNC or GROUP_COMMIT)
     */
    static Builder builder(RaftClusterConfig raft, JournalConfig journal) {
        return new Builder(raft, journal);
    }

    /**
     * Opens the local journal and starts this peer's Raft server; returns once it runs (the election
     * and the catching up happen in the background).
     *
     * @throws IllegalStateException when the storage cannot be written or the server fails to start
     */
    void start();

    /**
     * Replicates one record. Completes with its sequence (the same on every peer) once a majority
     * committed it and this peer appended it to its local journal. Never blocks the caller. Fails
     * with {@link JournalReplicationException}: at once when this peer knows of no quorum (nothing is
     * proposed), or after the commit timeout.
     *
     * @throws IllegalArgumentException naming the type or size when the local journal would refuse them
     * @param type    the record type
     * @param payload the record's bytes
     * @return the record's sequence, once committed and appended here
     */
    CompletableFuture<Long> append(int type, byte[] payload);

    /**
     * A reader of the local journal from {@code fromSequence} (see {@link io.qudag.resilience.recovery.Journal#read}).
     *
     * @param fromSequence the first sequence to read
     * @return the reader; close it
     */
    JournalReader read(long fromSequence);

    /** {@return the sequence of the newest record in the local journal (0 when empty)} */
    long lastSequence();

    /** {@return this peer's place in the journal's Raft group} */
    ClusterStatus status();

    /** {@return the replication factor: the group size (every member keeps every record)} */
    int replicationFactor();

    /** Stops the Raft server and closes the local journal; idempotent. */
    @Override
    void close();

    /** Builds a {@link ReplicatedJournal}; {@link #build()} validates. */
    final class Builder {
        /** Default maximal size of one Raft log segment. */
        public static final long DEFAULT_RAFT_LOG_SEGMENT_SIZE = 8L * 1024 * 1024;

        private final RaftClusterConfig raft;
        private final JournalConfig journal;
        private MeterRegistry meterRegistry;
        private long raftLogSegmentSize = DEFAULT_RAFT_LOG_SEGMENT_SIZE;

        private Builder(RaftClusterConfig raft, JournalConfig journal) {
            this.raft = raft;
            this.journal = journal;
        }

        /**
         * Where the {@code qudag.resilience.cluster.journal.*} meters go; none without one.
         *
         * @param registry the registry, or null for none
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Maximal size of one segment of the Raft log (default 8 MiB, at least 16 KiB). Only whole
         * segments behind a snapshot are purged, so smaller segments keep less log beside the journal.
         *
         * @param bytes the segment size in bytes
         * @return this builder
         */
        public Builder raftLogSegmentSize(long bytes) {
            this.raftLogSegmentSize = bytes;
            return this;
        }

        /**
         * Validates and builds (does not start).
         *
         * @throws IllegalArgumentException naming the field and value: a null config, a journal whose
         *                                  durability is ASYNC (critical data is acknowledged only
         *                                  after fsync), a journal directory inside the Raft storage
         *                                  directory, a segment size below 16 KiB
         * @return the replicated journal
         */
        public ReplicatedJournal build() {
            if (raft == null) {
                throw new IllegalArgumentException("raft must not be null, was null");
            }
            if (journal == null) {
                throw new IllegalArgumentException("journal must not be null, was null");
            }
            if (journal.durability() == Durability.ASYNC) {
                throw new IllegalArgumentException("journal.durability must be SYNC or GROUP_COMMIT for CRITICAL"
                        + " data (acknowledged after fsync on every peer that applies it), was ASYNC");
            }
            if (journal.directory().toAbsolutePath().normalize()
                    .startsWith(raft.storageDirectory().toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("journal.directory must be outside the raft storageDirectory "
                        + raft.storageDirectory() + ", was " + journal.directory());
            }
            if (raftLogSegmentSize < 16 * 1024) {
                throw new IllegalArgumentException("raftLogSegmentSize must be at least 16384 bytes, was "
                        + raftLogSegmentSize);
            }
            return new DefaultReplicatedJournal(raft, journal, meterRegistry, raftLogSegmentSize);
        }
    }
}
