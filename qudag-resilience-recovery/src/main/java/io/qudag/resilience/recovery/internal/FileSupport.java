package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.core.spi.FileChannelFactory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** File helpers shared by the journal, snapshots and backups: owner-only creation and directory fsync. */
public final class FileSupport {

    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    private FileSupport() {
    }

    /** Whether {@code dir}'s file system has POSIX permissions. */
    public static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} (owner-only where POSIX) and its parents if missing. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Creates a new file (it must not exist) for writing, 0600 where POSIX, through {@code factory}. */
    public static FileChannel createNew(FileChannelFactory factory, Path file) throws IOException {
        Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        if (posix(file)) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_RW);
            return factory.open(file, opts, attr);
        }
        return factory.open(file, opts);
    }

    /** Opens an existing file for reading and writing through {@code factory}. */
    public static FileChannel openReadWrite(FileChannelFactory factory, Path file) throws IOException {
        return factory.open(file, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /** Opens an existing file for reading through {@code factory}. */
    public static FileChannel openRead(FileChannelFactory factory, Path file) throws IOException {
        return factory.open(file, EnumSet.of(StandardOpenOption.READ));
    }

    /**
     * Forces {@code dir}'s entries (a created, renamed or deleted file) to stable storage. A no-op
     * where directories cannot be opened (Windows).
     */
    public static void fsyncDirectory(FileChannelFactory factory, Path dir) throws IOException {
        if (!posix(dir)) {
            return;
        }
        try (FileChannel ch = factory.open(dir, EnumSet.of(StandardOpenOption.READ))) {
            ch.force(true);
        }
    }

    /** Writes all of {@code buf} at {@code position}. */
    public static void writeFully(FileChannel ch, java.nio.ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Reads until {@code buf} is full or the end of the file; returns the bytes read. */
    public static int readFully(FileChannel ch, java.nio.ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
