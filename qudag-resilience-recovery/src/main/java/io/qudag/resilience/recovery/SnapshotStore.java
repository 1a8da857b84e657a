package io.qudag.resilience.recovery;

import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.internal.FileSnapshotStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Checksummed snapshot files in one directory (spec §4.2 incremental snapshots, checksum
 * validation). A snapshot is written to a temporary file, forced, renamed atomically into place and
 * the directory forced, so a crash leaves either the whole snapshot or none. Files are 0600 where
 * POSIX permissions exist and are opened through the given {@link FileChannelFactory}.
 */
public interface SnapshotStore {

    /**
     * Opens (creating) the store in {@code directory}.
     *
     * @param directory the store's directory
     * @param files     how files are opened
     * @return the store
     */
    static SnapshotStore open(Path directory, FileChannelFactory files) {
        return new FileSnapshotStore(directory, files);
    }

    /**
     * Writes a snapshot and returns it once it is durable.
     *
     * @param kind            full or differential
     * @param lastSequence    the last journal record the image includes
     * @param timestampMillis when it was taken, epoch millis
     * @param baseSequence    the full snapshot a differential one is relative to; 0 for a full one
     * @param image           the bytes to store
     * @return the snapshot
     */
    Snapshot write(Snapshot.Kind kind, long lastSequence, long timestampMillis, long baseSequence, byte[] image);

    /** {@return every snapshot, oldest first} Files that are not whole snapshots are skipped. */
    List<Snapshot> list();

    /**
     * {@return the stored bytes of {@code snapshot}, after checking its checksum}
     *
     * @throws JournalCorruptedException naming the file when the checksum does not hold
     * @param snapshot the snapshot
     */
    byte[] read(Snapshot snapshot);

    /**
     * Deletes {@code snapshot}.
     *
     * @param snapshot the snapshot
     */
    void delete(Snapshot snapshot);

    /** {@return the directory} */
    Path directory();
}
