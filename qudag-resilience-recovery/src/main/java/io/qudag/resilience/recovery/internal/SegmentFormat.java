package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.recovery.JournalFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk format of a journal segment.
 *
 * <pre>
 * header (24 bytes): magic "QJNL" (int) | format version (short) | header length (short)
 *                    | base sequence (long) | flags (int, 0) | CRC32C of the 20 bytes before (int)
 * record:            CRC32C (int, over everything after it) | payload length (int) | sequence (long)
 *                    | timestamp millis (long) | type (byte) | payload
 * </pre>
 * All numbers big-endian.
 */
public final class SegmentFormat {

    public static final int MAGIC = 0x514A4E4C; // "QJNL"
    public static final short VERSION = 1;
    public static final int HEADER_SIZE = 24;
    public static final int RECORD_HEADER_SIZE = 25;
    public static final String PREFIX = "segment-";
    public static final String SUFFIX = ".qjl";

    private SegmentFormat() {
    }

    /** The file name of the segment whose first record is {@code baseSequence}. */
    public static String fileName(long baseSequence) {
        return PREFIX + String.format("%020d", baseSequence) + SUFFIX;
    }

    /** The base sequence in a segment file name, or -1 when it is not one. */
    public static long baseOf(String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The header of a segment starting at {@code baseSequence}, ready to write. */
    public static ByteBuffer header(long baseSequence) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putInt(MAGIC).putShort(VERSION).putShort((short) HEADER_SIZE).putLong(baseSequence).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 20);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /**
     * Reads and checks the header of {@code file}; returns its base sequence, or -1 when the file is
     * shorter than a header or all zero (a segment whose creation was cut short).
     */
    public static long readHeader(FileChannel ch, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        int n = FileSupport.readFully(ch, b, 0);
        if (n < HEADER_SIZE) {
            return -1;
        }
        b.flip();
        boolean zero = true;
        for (int i = 0; i < HEADER_SIZE && zero; i++) {
            zero = b.get(i) == 0;
        }
        if (zero) {
            return -1;
        }
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            throw new JournalFormatException(file, 0, "not a journal segment (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 20);
        if ((int) crc.getValue() != b.getInt(20)) {
            throw new io.qudag.resilience.recovery.JournalCorruptedException(file, 0, "segment header checksum mismatch");
        }
        short version = b.getShort(4);
        if (version != VERSION) {
            throw new JournalFormatException(file, 4, "unsupported journal format version " + version
                    + " (this library reads version " + VERSION + ")");
        }
        return b.getLong(8);
    }
}
