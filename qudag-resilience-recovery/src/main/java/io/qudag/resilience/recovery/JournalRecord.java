package io.qudag.resilience.recovery;

import java.time.Instant;
import java.util.Arrays;

/**
 * One record read back from a {@link Journal} (spec §4.2): its sequence, the time it was appended
 * (milliseconds since the epoch, by the journal's clock), its type and its payload. Immutable: the
 * payload is copied on the way in and out.
 */
public final class JournalRecord {

    private final long sequence;
    private final long timestampMillis;
    private final int type;
    private final byte[] payload;

    /**
     * A record; {@code payload} is copied.
     *
     * @param sequence        the record's sequence
     * @param timestampMillis when it was appended, epoch millis
     * @param type            the record type
     * @param payload         the record's bytes
     */
    public JournalRecord(long sequence, long timestampMillis, int type, byte[] payload) {
        this(payload.clone(), sequence, timestampMillis, type);
    }

    /** Takes {@code payload} as it is (no copy). */
    private JournalRecord(byte[] payload, long sequence, long timestampMillis, int type) {
        this.sequence = sequence;
        this.timestampMillis = timestampMillis;
        this.type = type;
        this.payload = payload;
    }

    /**
     * Creates a record that takes ownership of {@code payload} (library-internal use).
     *
     * @param sequence        the record's sequence
     * @param timestampMillis when it was appended, epoch millis
     * @param type            the record type
     * @param payload         the record's bytes, not copied
     * @return the record
     */
    public static JournalRecord wrap(long sequence, long timestampMillis, int type, byte[] payload) {
        return new JournalRecord(payload, sequence, timestampMillis, type);
    }

    /** {@return the record's sequence: its position in the journal, from 1} */
    public long sequence() {
        return sequence;
    }

    /** {@return when the record was appended, epoch millis} */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** {@return when the record was appended} */
    public Instant timestamp() {
        return Instant.ofEpochMilli(timestampMillis);
    }

    /** {@return the record type (see {@link RecordTypes})} */
    public int type() {
        return type;
    }

    /** {@return a copy of the payload} */
    public byte[] payload() {
        return payload.clone();
    }

    /** {@return the payload's length in bytes} */
    public int payloadLength() {
        return payload.length;
    }

    /**
     * {@return the payload byte at {@code index}, without copying}
     *
     * @param index the byte's index in the payload
     */
    public byte payloadByte(int index) {
        return payload[index];
    }

    /** {@return the payload as UTF-8 text} */
    public String payloadAsString() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalRecord r && r.sequence == sequence && r.timestampMillis == timestampMillis
                && r.type == type && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "JournalRecord{seq=" + sequence + ", ts=" + timestampMillis + ", type=" + type + ", bytes="
                + payload.length + "}";
    }
}
