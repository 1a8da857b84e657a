package io.qudag.resilience.recovery.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment forward through a buffer, checking length, checksum and
 * sequence of each. {@link #next()} says whether a whole valid record was read, the end was reached
 * cleanly, the data stops inside a record, or a record is damaged; the fields describe the last
 * record read. Not thread-safe.
 */
public final class SegmentScanner {

    /** What {@link #next()} found. */
    public enum Result { RECORD, END, INCOMPLETE, DAMAGED }

    private final FileChannel channel;
    private final int maxRecordSize;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf;
    private long bufStart;      // file offset of buf[0]
    private long position;      // file offset of the next record
    private long limit;         // file offset where data ends
    private long expectedSequence;

    // the last record
    private long recordOffset;
    private long sequence;
    private long timestamp;
    private int type;
    private int payloadLength;
    private int payloadStart;   // index in buf
    private String problem;

    /**
     * @param expectedSequence the sequence the first record must have
     * @param limit            file offset where the data ends
     */
    public SegmentScanner(FileChannel channel, long position, long limit, long expectedSequence, int maxRecordSize) {
        this.channel = channel;
        this.maxRecordSize = maxRecordSize;
        this.buf = ByteBuffer.allocate(64 * 1024);
        this.buf.limit(0);
        this.bufStart = position;
        this.position = position;
        this.limit = limit;
        this.expectedSequence = expectedSequence;
    }

    /** Moves the end of the data (the file grew). */
    public void limit(long newLimit) {
        this.limit = newLimit;
    }

    /** Drops buffered bytes so the next record is read from the file again. */
    public void discardBuffer() {
        buf.limit(0);
        bufStart = position;
    }

    public Result next() throws IOException {
        recordOffset = position;
        problem = null;
        if (position >= limit) {
            return Result.END;
        }
        if (limit - position < SegmentFormat.RECORD_HEADER_SIZE) {
            problem = "record header cut short (" + (limit - position) + " bytes left)";
            return Result.INCOMPLETE;
        }
        if (!ensure(SegmentFormat.RECORD_HEADER_SIZE)) {
            problem = "record header cut short";
            return Result.INCOMPLETE;
        }
        int p = (int) (position - bufStart);
        int storedCrc = buf.getInt(p);
        int len = buf.getInt(p + 4);
        if (len < 0 || len > maxRecordSize) {
            problem = "record length " + len + " out of range [0, " + maxRecordSize + "]";
            return Result.DAMAGED;
        }
        long total = (long) SegmentFormat.RECORD_HEADER_SIZE + len;
        if (position + total > limit) {
            problem = "record of " + total + " bytes runs past the end of the data (" + (limit - position) + " left)";
            return Result.INCOMPLETE;
        }
        if (!ensure((int) total)) {
            problem = "record cut short";
            return Result.INCOMPLETE;
        }
        p = (int) (position - bufStart);
        crc.reset();
        ByteBuffer view = buf.duplicate();
        view.limit(p + (int) total).position(p + 4);
        crc.update(view);
        if ((int) crc.getValue() != storedCrc) {
            problem = "checksum mismatch";
            return Result.DAMAGED;
        }
        long seq = buf.getLong(p + 8);
        if (seq != expectedSequence) {
            problem = "sequence " + seq + " where " + expectedSequence + " was expected";
            return Result.DAMAGED;
        }
        sequence = seq;
        timestamp = buf.getLong(p + 16);
        type = buf.get(p + 24) & 0xFF;
        payloadLength = len;
        payloadStart = p + SegmentFormat.RECORD_HEADER_SIZE;
        position += total;
        expectedSequence = seq + 1;
        return Result.RECORD;
    }

    /** Makes {@code n} bytes from {@code position} available in the buffer; false at the end of the file. */
    private boolean ensure(int n) throws IOException {
        int have = (int) (bufStart + buf.limit() - position);
        if (position >= bufStart && have >= n) {
            return true;
        }
        if (buf.capacity() < n) {
            buf = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2));
        }
        buf.clear();
        bufStart = position;
        long want = Math.min(buf.capacity(), limit - position);
        buf.limit((int) want);
        int read = FileSupport.readFully(channel, buf, position);
        buf.limit(read);
        return read >= n;
    }

    public long recordOffset() {
        return recordOffset;
    }

    /** The file offset after the last whole record. */
    public long position() {
        return position;
    }

    public long sequence() {
        return sequence;
    }

    /** The sequence the next record must have. */
    public long expectedSequence() {
        return expectedSequence;
    }

    public long timestamp() {
        return timestamp;
    }

    public int type() {
        return type;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** Copies the last record's payload. */
    public byte[] payload() {
        byte[] out = new byte[payloadLength];
        buf.get(payloadStart, out);
        return out;
    }

    /** Why the last {@link #next()} did not return {@link Result#RECORD}. */
    public String problem() {
        return problem;
    }
}
