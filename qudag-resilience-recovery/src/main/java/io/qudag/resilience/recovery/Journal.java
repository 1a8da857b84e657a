package io.qudag.resilience.recovery;

import io.qudag.resilience.recovery.internal.SegmentedJournal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A checksummed, segmented, append-only event log (spec §4.2 continuous data protection and event
 * sourcing). Each record carries its length, a CRC32C, its sequence, the time it was appended, its
 * type and its payload, in segment files that start with a versioned header. When an append returns
 * depends on {@link Durability}. Appends are thread-safe; every {@link #read(long) reader} is
 * independent of the others and of the appenders.
 *
 * <p>On {@link #open(JournalConfig) open} a torn tail (a record cut short by a crash) is truncated to
 * the last whole record; a damaged record elsewhere fails with {@link JournalCorruptedException}. All
 * files are opened through the configured {@link io.qudag.resilience.core.spi.FileChannelFactory} and
 * created owner-only (0600) where the file system has POSIX permissions.
 */
public interface Journal extends AutoCloseable {

    /**
     * Opens (creating if needed) the journal in {@code config.directory()}.
     *
     * @throws JournalException         naming the directory when it cannot be created, written or locked
     * @throws JournalFormatException   naming file and offset for an unreadable header or record type
     * @throws JournalCorruptedException naming file and offset for a damaged record before the tail
     * @param config the journal's configuration
     * @return the open journal
     */
    static Journal open(JournalConfig config) {
        return SegmentedJournal.open(config);
    }

    /**
     * Appends one record and returns its sequence once it is as durable as the policy promises.
     *
     * @throws IllegalArgumentException naming the type or size when they are not accepted
     * @throws JournalException         when the journal is closed or failed, or the write failed
     * @param type    the record type (see {@link RecordTypes})
     * @param payload the record's bytes
     * @return the record's sequence
     */
    long append(int type, byte[] payload);

    /**
     * Appends the remaining bytes of {@code payload} (its position is not moved); otherwise as {@link #append(int, byte[])}.
     *
     * @param type    the record type (see {@link RecordTypes})
     * @param payload the record's bytes
     * @return the record's sequence
     */
    long append(int type, ByteBuffer payload);

    /**
     * Appends one record without waiting for its force: a pipelined append (spec §4.2 continuous
     * data protection at high rates). The record takes its sequence and becomes visible to readers
     * before this method returns (so records appended by one thread keep its order); under
     * GROUP_COMMIT it waits in the journal's buffer until the flusher writes it just before its
     * force, so a process crash may lose it, but it is never acknowledged. The future completes with
     * that sequence once the record is acknowledged as {@link #append(int, byte[])} would acknowledge
     * it, so a completed future means exactly what a returned {@code append} means:
     * <ul>
     *   <li>{@link Durability#GROUP_COMMIT}: completed after the shared {@code fsync} that covers the
     *       record. One flusher batches every record written since its last force (it forces once
     *       {@link JournalConfig#groupCommitMaxBatch()} records wait or the first of them has waited
     *       {@link JournalConfig#groupCommitMaxDelay()}, whichever comes first). The caller bounds how
     *       many futures it keeps outstanding.
     *   <li>{@link Durability#SYNC}: forced by the calling thread before this method returns; the
     *       future is already complete.
     *   <li>{@link Durability#ASYNC}: complete once written, as {@code append} returns.
     * </ul>
     * Futures are completed in sequence order by one completion thread of the journal (made by
     * {@link JournalConfig#threadFactory()}), never by the flusher: a dependent stage that blocks
     * delays later completions but not the forces, and it must not wait for a later future of the
     * same journal on that thread. If a force fails, every future whose record it should have made
     * durable completes exceptionally with a {@link JournalException} naming the directory and the
     * I/O error, and the journal refuses further appends until it is reopened: no record is ever
     * acknowledged after a failed {@code fsync}.
     *
     * @throws IllegalArgumentException naming the type or size when they are not accepted
     * @throws JournalException         when the journal is closed or failed, or the write failed
     *                                  (the record was not appended)
     * @param type    the record type (see {@link RecordTypes})
     * @param payload the record's bytes
     * @return the record's sequence, once acknowledged
     */
    default CompletableFuture<Long> appendAsync(int type, byte[] payload) {
        return CompletableFuture.completedFuture(append(type, payload));
    }

    /**
     * Appends the remaining bytes of {@code payload} (its position is not moved); otherwise as {@link #appendAsync(int, byte[])}.
     *
     * @param type    the record type (see {@link RecordTypes})
     * @param payload the record's bytes
     * @return the record's sequence, once acknowledged
     */
    default CompletableFuture<Long> appendAsync(int type, ByteBuffer payload) {
        return CompletableFuture.completedFuture(append(type, payload));
    }

    /**
     * A new, independent reader positioned at the first record whose sequence is at least {@code fromSequence}.
     *
     * @param fromSequence the first sequence to read
     * @return the reader; close it
     */
    JournalReader read(long fromSequence);

    /** {@return the sequence of the oldest record still kept (after compaction or quarantine), or {@code lastSequence() + 1} when empty} */
    long firstSequence();

    /** {@return the sequence of the newest appended record, or the one before the first sequence when none was appended} */
    long lastSequence();

    /** {@return the newest sequence known to be on stable storage} */
    long durableSequence();

    /** Forces everything appended so far to stable storage. */
    void flush();

    /** {@return the segment files, oldest first} */
    List<SegmentInfo> segments();

    /** {@return the directory the journal lives in} */
    Path directory();

    /** {@return the configuration the journal was opened with} */
    JournalConfig config();

    /**
     * Deletes the sealed segments whose records all have a sequence at most {@code coveredSequence}
     * and a timestamp before {@code olderThanMillis} (compaction behind a snapshot, spec §4.2). The
     * active segment is never deleted. Returns the deleted segments.
     *
     * @param coveredSequence the newest sequence a snapshot covers
     * @param olderThanMillis the epoch millis a deleted segment's records must all be older than
     * @return the deleted segments
     */
    List<SegmentInfo> compact(long coveredSequence, long olderThanMillis);

    /**
     * Moves the segment that starts at {@code baseSequence} into the {@code quarantine} directory
     * (never deletes it; spec §4.1 isolate corrupted data). The active segment is sealed first.
     * Returns where the file went.
     *
     * @param baseSequence the first sequence of the segment
     * @return the segment's new path
     */
    Path quarantine(long baseSequence);

    /** Forces and closes; later appends fail with {@link JournalException}. */
    @Override
    void close();
}
