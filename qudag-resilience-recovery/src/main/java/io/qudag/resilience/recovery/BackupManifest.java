package io.qudag.resilience.recovery;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What one backup holds (spec §4.1 full and incremental backups, verification by checksum).
 *
 * @param directory    where the backup is
 * @param kind         FULL or INCREMENTAL
 * @param createdAt    when it was taken
 * @param parent       for an incremental backup: the backup it builds on; {@code null} for a full one
 * @param lastSequence the newest journal record it holds
 * @param files        every file a restore needs, with the backup that stores it
 */
public record BackupManifest(Path directory, Kind kind, Instant createdAt, Path parent, long lastSequence,
        List<BackupFile> files) {

    /** Full or incremental. */
    public enum Kind {
        /** Stores every file a restore needs. */
        FULL,
        /** Stores only the files that changed since its parent backup; the others stay in earlier backups. */
        INCREMENTAL
    }

    /**
     * One file of a backup.
     *
     * @param name     file name
     * @param snapshot whether it is a snapshot (otherwise a journal segment)
     * @param size     bytes
     * @param crc32c   CRC32C of its bytes
     * @param storedIn the backup directory that holds its bytes (this one, or an earlier one)
     */
    public record BackupFile(String name, boolean snapshot, long size, long crc32c, Path storedIn) {
    }

    /**
     * Copies {@code files} into an immutable list.
     *
     * @param directory    where the backup is
     * @param kind         FULL or INCREMENTAL
     * @param createdAt    when it was taken
     * @param parent       for an incremental backup: the backup it builds on; {@code null} for a full one
     * @param lastSequence the newest journal record it holds
     * @param files        every file a restore needs, with the backup that stores it
     */
    public BackupManifest {
        files = List.copyOf(files);
    }

    /**
     * Bytes this backup itself stores (for an incremental one, only what changed).
     *
     * @return the bytes stored in {@link #directory()}
     */
    public long bytesStored() {
        return files.stream().filter(f -> f.storedIn().equals(directory)).mapToLong(BackupFile::size).sum();
    }
}
