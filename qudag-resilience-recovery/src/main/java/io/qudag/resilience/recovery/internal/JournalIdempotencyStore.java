package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecordTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * {@link IdempotencyStore} over a journal. Intent payload: key length (short) | key (UTF-8) | request
 * CRC32C (long). Result payload: key length (short) | key | error flag (byte) | result bytes.
 */
public final class JournalIdempotencyStore implements IdempotencyStore {

    private final Journal journal;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    private JournalIdempotencyStore(Journal journal) {
        this.journal = journal;
    }

    public static JournalIdempotencyStore open(Journal journal) {
        if (journal == null) {
            throw new IllegalArgumentException("journal must not be null, was null");
        }
        JournalIdempotencyStore s = new JournalIdempotencyStore(journal);
        try (JournalReader r = journal.read(journal.firstSequence())) {
            while (r.hasNext()) {
                JournalRecord rec = r.next();
                if (rec.type() == RecordTypes.IDEMPOTENCY_INTENT || rec.type() == RecordTypes.IDEMPOTENCY_RESULT) {
                    s.replay(rec);
                }
            }
        }
        return s;
    }

    private void replay(JournalRecord rec) {
        ByteBuffer b = ByteBuffer.wrap(rec.payload());
        byte[] k = new byte[b.getShort() & 0xFFFF];
        b.get(k);
        String key = new String(k, StandardCharsets.UTF_8);
        if (rec.type() == RecordTypes.IDEMPOTENCY_INTENT) {
            entries.putIfAbsent(key, new Entry(key, State.IN_PROGRESS, b.getLong(), rec.sequence(), rec.timestampMillis(),
                    null, false));
        } else {
            Entry e = entries.get(key);
            if (e == null) {
                throw new JournalException("journal " + journal.directory() + ": idempotency result for key '" + key
                        + "' without an intent at sequence " + rec.sequence());
            }
            boolean error = b.get() != 0;
            byte[] result = new byte[b.remaining()];
            b.get(result);
            entries.put(key, new Entry(key, State.COMPLETED, e.requestCrc32c(), e.intentSequence(), e.startedAtMillis(),
                    result, error));
        }
    }

    private static byte[] keyBytes(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty, was " + (key == null ? "null" : "''"));
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > 0xFFFF) {
            throw new IllegalArgumentException("key must be at most 65535 UTF-8 bytes, was " + k.length);
        }
        return k;
    }

    @Override
    public Entry begin(String key, byte[] request) {
        byte[] k = keyBytes(key);
        if (request == null) {
            throw new IllegalArgumentException("request must not be null, was null");
        }
        CRC32C crc = new CRC32C();
        crc.update(request);
        long digest = crc.getValue();
        lock.lock();
        try {
            Entry e = entries.get(key);
            if (e != null) {
                if (e.requestCrc32c() != digest) {
                    throw new IllegalArgumentException("key '" + key + "' was used for a different request (intent "
                            + e.intentSequence() + ")");
                }
                return e;
            }
            ByteBuffer p = ByteBuffer.allocate(2 + k.length + 8).putShort((short) k.length).put(k).putLong(digest);
            long seq = journal.append(RecordTypes.IDEMPOTENCY_INTENT, p.array());
            Entry started = new Entry(key, State.IN_PROGRESS, digest, seq, journal.config().clock().millis(), null, false);
            entries.put(key, started);
            return new Entry(key, State.STARTED, digest, seq, started.startedAtMillis(), null, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Entry complete(String key, byte[] result, boolean error) {
        byte[] k = keyBytes(key);
        if (result == null) {
            throw new IllegalArgumentException("result must not be null, was null");
        }
        lock.lock();
        try {
            Entry e = entries.get(key);
            if (e == null) {
                throw new IllegalStateException("key '" + key + "' has no intent to complete");
            }
            if (e.state() == State.COMPLETED) {
                throw new IllegalStateException("key '" + key + "' already has a result");
            }
            ByteBuffer p = ByteBuffer.allocate(2 + k.length + 1 + result.length).putShort((short) k.length).put(k)
                    .put((byte) (error ? 1 : 0)).put(result);
            journal.append(RecordTypes.IDEMPOTENCY_RESULT, p.array());
            Entry done = new Entry(key, State.COMPLETED, e.requestCrc32c(), e.intentSequence(), e.startedAtMillis(),
                    result.clone(), error);
            entries.put(key, done);
            return done;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Entry> lookup(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public List<Entry> unresolved() {
        return entries.values().stream().filter(e -> e.state() != State.COMPLETED)
                .sorted(Comparator.comparingLong(Entry::intentSequence)).toList();
    }
}
