package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.JournalCorruptedException;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalFormatException;
import io.qudag.resilience.recovery.Snapshot;
import io.qudag.resilience.recovery.SnapshotStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SnapshotStore} on files {@code snapshot-<lastSequence>.qsn}:
 * <pre>
 * magic "QSNP" (int) | version (short) | kind (byte) | 0 (byte) | last sequence (long)
 * | timestamp millis (long) | base sequence (long) | image length (int) | image | CRC32C of all before (int)
 * </pre>
 */
public final class FileSnapshotStore implements SnapshotStore {

    private static final Logger log = LoggerFactory.getLogger(FileSnapshotStore.class);
    static final int MAGIC = 0x51534E50; // "QSNP"
    static final short VERSION = 1;
    static final int HEADER = 36;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".qsn";

    private final Path dir;
    private final FileChannelFactory files;

    public FileSnapshotStore(Path dir, FileChannelFactory files) {
        this.dir = dir;
        this.files = files;
        try {
            FileSupport.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    log.info("Snapshot store {}: removing unfinished {}", dir, p.getFileName());
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new JournalException("snapshot directory " + dir + " cannot be used (" + e + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new JournalException("snapshot directory " + dir + " is not writable");
        }
    }

    public static String fileName(long lastSequence) {
        return PREFIX + String.format("%020d", lastSequence) + SUFFIX;
    }

    @Override
    public Snapshot write(Snapshot.Kind kind, long lastSequence, long timestampMillis, long baseSequence, byte[] image) {
        Path target = dir.resolve(fileName(lastSequence));
        Path tmp = dir.resolve(fileName(lastSequence) + ".tmp");
        ByteBuffer b = ByteBuffer.allocate(HEADER + image.length + 4);
        b.putInt(MAGIC).putShort(VERSION).put((byte) kind.ordinal()).put((byte) 0).putLong(lastSequence)
                .putLong(timestampMillis).putLong(baseSequence).putInt(image.length).put(image);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileSupport.createNew(files, tmp)) {
                FileSupport.writeFully(ch, b, 0);
                ch.force(true);
            }
            verifyWritten(tmp, b);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileSupport.fsyncDirectory(files, dir);
        } catch (IOException e) {
            throw new JournalException("writing snapshot " + target + " failed (" + e + ")", e);
        }
        return new Snapshot(target, kind, lastSequence, timestampMillis, baseSequence);
    }

    /**
     * Reads the file just written back and compares it with what was meant to be written: a write
     * the disk silently damaged fails here, not later when the snapshot is the only copy of the state.
     */
    private void verifyWritten(Path tmp, ByteBuffer written) throws IOException {
        ByteBuffer expected = written.duplicate().rewind();
        ByteBuffer actual = ByteBuffer.allocate(expected.remaining());
        try (FileChannel ch = FileSupport.openRead(files, tmp)) {
            while (actual.hasRemaining() && ch.read(actual, actual.position()) >= 0) {
                // read until full or end of file
            }
        }
        actual.flip();
        if (!actual.equals(expected)) {
            Files.deleteIfExists(tmp);
            throw new IOException("snapshot " + tmp + " reads back different from what was written (damaged on write)");
        }
    }

    @Override
    public List<Snapshot> list() {
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                try (FileChannel ch = FileSupport.openRead(files, p)) {
                    ByteBuffer h = ByteBuffer.allocate(HEADER);
                    if (FileSupport.readFully(ch, h, 0) < HEADER) {
                        log.warn("Snapshot store {}: {} is shorter than a header, skipped", dir, p.getFileName());
                        continue;
                    }
                    out.add(parseHeader(p, h));
                }
            }
        } catch (IOException e) {
            throw new JournalException("listing snapshots in " + dir + " failed (" + e + ")", e);
        }
        return out;
    }

    private static Snapshot parseHeader(Path p, ByteBuffer h) {
        if (h.getInt(0) != MAGIC) {
            throw new JournalFormatException(p, 0, "not a snapshot (magic 0x" + Integer.toHexString(h.getInt(0)) + ")");
        }
        if (h.getShort(4) != VERSION) {
            throw new JournalFormatException(p, 4, "unsupported snapshot format version " + h.getShort(4)
                    + " (this library reads version " + VERSION + ")");
        }
        int kind = h.get(6);
        if (kind < 0 || kind > 1) {
            throw new JournalCorruptedException(p, 6, "unknown snapshot kind " + kind);
        }
        return new Snapshot(p, Snapshot.Kind.values()[kind], h.getLong(8), h.getLong(16), h.getLong(24));
    }

    @Override
    public byte[] read(Snapshot snapshot) {
        Path p = snapshot.file();
        try (FileChannel ch = FileSupport.openRead(files, p)) {
            long size = ch.size();
            if (size < HEADER + 4 || size > Integer.MAX_VALUE) {
                throw new JournalCorruptedException(p, 0, "snapshot of " + size + " bytes is cut short");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            FileSupport.readFully(ch, b, 0);
            int len = b.getInt(32);
            if (len < 0 || HEADER + (long) len + 4 != size) {
                throw new JournalCorruptedException(p, 32, "snapshot image length " + len + " does not match the file size "
                        + size);
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, HEADER + len);
            if ((int) crc.getValue() != b.getInt(HEADER + len)) {
                throw new JournalCorruptedException(p, 0, "snapshot checksum mismatch");
            }
            parseHeader(p, b);
            byte[] image = new byte[len];
            b.get(HEADER, image);
            return image;
        } catch (IOException e) {
            throw new JournalException("reading snapshot " + p + " failed (" + e + ")", e);
        }
    }

    @Override
    public void delete(Snapshot snapshot) {
        try {
            Files.deleteIfExists(snapshot.file());
            FileSupport.fsyncDirectory(files, dir);
        } catch (IOException e) {
            throw new JournalException("deleting snapshot " + snapshot.file() + " failed (" + e + ")", e);
        }
    }

    @Override
    public Path directory() {
        return dir;
    }
}
