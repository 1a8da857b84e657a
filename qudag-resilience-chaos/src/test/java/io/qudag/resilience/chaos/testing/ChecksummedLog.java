package io.qudag.resilience.chaos.testing;

import io.qudag.resilience.core.spi.FileChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * A minimal append-only log of {@code [length][crc32c][timestamp][payload]} records, written through a
 * {@link FileChannelFactory} and forced to disk per record, as storage code under a disk-fault drill.
 * {@link #recover} scans with plain channels, stops at the first damaged record and truncates there.
 */
public final class ChecksummedLog implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private volatile long lastAcknowledgedMillis = -1;

    public ChecksummedLog(Path file, FileChannelFactory factory) throws IOException {
        this.file = file;
        this.channel = factory.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Appends and forces one record; when it returns the record is acknowledged. */
    public synchronized void append(long timestampMillis, byte[] payload) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer ts = ByteBuffer.allocate(8).putLong(0, timestampMillis);
        crc.update(ts.duplicate());
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(16 + payload.length);
        record.putInt(payload.length).putInt((int) crc.getValue()).putLong(timestampMillis).put(payload).flip();
        while (record.hasRemaining()) {
            channel.write(record);
        }
        channel.force(false);
        lastAcknowledgedMillis = timestampMillis;
    }

    public long lastAcknowledgedMillis() {
        return lastAcknowledgedMillis;
    }

    /** The result of a recovery scan. */
    public record Recovery(int goodRecords, boolean damageFound, long lastGoodMillis, long truncatedBytes) {
    }

    /** Scans {@code file}, stops at the first damaged record, truncates the rest. */
    public static Recovery recover(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            int good = 0;
            long lastGood = -1;
            boolean damage = false;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (pos < size) {
                header.clear();
                if (ch.read(header, pos) < 16) {
                    damage = true;
                    break;
                }
                int len = header.getInt(0);
                int crc = header.getInt(4);
                long ts = header.getLong(8);
                if (len < 0 || pos + 16 + len > size) {
                    damage = true;
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(len);
                ch.read(payload, pos + 16);
                CRC32C c = new CRC32C();
                c.update(ByteBuffer.allocate(8).putLong(0, ts));
                c.update(payload.flip());
                if ((int) c.getValue() != crc) {
                    damage = true;
                    break;
                }
                good++;
                lastGood = ts;
                pos += 16 + len;
            }
            ch.truncate(pos);
            ch.force(true);
            return new Recovery(good, damage, lastGood, size - pos);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
