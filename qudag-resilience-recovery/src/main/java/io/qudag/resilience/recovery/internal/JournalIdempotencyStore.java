package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecordTypes;
import io.qudag.resilience.recovery.spi.TransactionalEffects;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * {@link IdempotencyStore} over a journal. Intent payload: key length (short) | key (UTF-8) | request
 * CRC32C (long) | flags (byte, bit 0: transactional; absent in records of earlier versions). Result
 * payload: key length (short) | key | error flag (byte) | result bytes. Commit payload: key length
 * (short) | key | flags (byte, bit 0: error, bit 1: has an effect) | result length (int) | result |
 * effect bytes.
 *
 * <p>Every append and every state change happens under one lock, so effects are applied in journal
 * order both live and on replay.
 */
public final class JournalIdempotencyStore implements IdempotencyStore {

    private static final byte INTENT_TRANSACTIONAL = 1;
    private static final byte COMMIT_ERROR = 1;
    private static final byte COMMIT_EFFECT = 2;

    private final Journal journal;
    private final TransactionalEffects effects;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Intents without a result that an earlier process left; guarded by {@link #lock}. */
    private final Set<String> orphans = new HashSet<>();
    private final ReentrantLock lock = new ReentrantLock();

    private JournalIdempotencyStore(Journal journal, TransactionalEffects effects) {
        this.journal = journal;
        this.effects = effects;
    }

    /** Opens a store over {@code journal}; {@code effects} may be null (no transactional operations). */
    public static JournalIdempotencyStore open(Journal journal, TransactionalEffects effects) {
        if (journal == null) {
            throw new IllegalArgumentException("journal must not be null, was null");
        }
        JournalIdempotencyStore s = new JournalIdempotencyStore(journal, effects);
        try (JournalReader r = journal.read(journal.firstSequence())) {
            while (r.hasNext()) {
                JournalRecord rec = r.next();
                if (rec.type() == RecordTypes.IDEMPOTENCY_INTENT || rec.type() == RecordTypes.IDEMPOTENCY_RESULT
                        || rec.type() == RecordTypes.IDEMPOTENCY_COMMIT) {
                    s.replay(rec);
                }
            }
        }
        for (Entry e : s.entries.values()) {
            if (e.state() != State.COMPLETED) {
                s.orphans.add(e.key());
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
            long crc = b.getLong();
            boolean transactional = b.hasRemaining() && (b.get() & INTENT_TRANSACTIONAL) != 0;
            entries.putIfAbsent(key, new Entry(key, State.IN_PROGRESS, crc, rec.sequence(), rec.timestampMillis(),
                    null, false, transactional));
            return;
        }
        Entry e = entries.get(key);
        if (e == null) {
            throw new JournalException("journal " + journal.directory() + ": idempotency result for key '" + key
                    + "' without an intent at sequence " + rec.sequence());
        }
        boolean error;
        byte[] result;
        byte[] effect = null;
        if (rec.type() == RecordTypes.IDEMPOTENCY_RESULT) {
            error = b.get() != 0;
            result = new byte[b.remaining()];
            b.get(result);
        } else {
            byte flags = b.get();
            error = (flags & COMMIT_ERROR) != 0;
            result = new byte[b.getInt()];
            b.get(result);
            if ((flags & COMMIT_EFFECT) != 0) {
                effect = new byte[b.remaining()];
                b.get(effect);
            }
        }
        entries.put(key, new Entry(key, State.COMPLETED, e.requestCrc32c(), e.intentSequence(), e.startedAtMillis(),
                result, error, e.transactional()));
        if (effect != null) {
            if (effects == null) {
                throw new JournalException("journal " + journal.directory() + ": key '" + key + "' committed an effect at "
                        + "sequence " + rec.sequence() + "; open the idempotency store with TransactionalEffects to rebuild "
                        + "their state");
            }
            effects.apply(key, effect);
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

    private static long digest(byte[] request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null, was null");
        }
        CRC32C crc = new CRC32C();
        crc.update(request);
        return crc.getValue();
    }

    @Override
    public Entry begin(String key, byte[] request) {
        return begin(key, request, false);
    }

    @Override
    public Entry beginTransactional(String key, byte[] request) {
        if (effects == null) {
            throw new IllegalStateException("key '" + key + "': transactional operations need a store opened with "
                    + "TransactionalEffects, this one has none");
        }
        return begin(key, request, true);
    }

    private Entry begin(String key, byte[] request, boolean transactional) {
        byte[] k = keyBytes(key);
        long digest = digest(request);
        lock.lock();
        try {
            Entry e = entries.get(key);
            if (e != null) {
                if (e.requestCrc32c() != digest) {
                    throw new IllegalArgumentException("key '" + key + "' was used for a different request (intent "
                            + e.intentSequence() + ")");
                }
                if (transactional && e.transactional() && e.state() == State.IN_PROGRESS && orphans.remove(key)) {
                    // no commit record: the effect never became durable, so running it again is safe
                    return new Entry(key, State.RESUMED, digest, e.intentSequence(), e.startedAtMillis(), null, false, true);
                }
                return e;
            }
            ByteBuffer p = ByteBuffer.allocate(2 + k.length + 8 + 1).putShort((short) k.length).put(k).putLong(digest)
                    .put(transactional ? INTENT_TRANSACTIONAL : 0);
            long seq = journal.append(RecordTypes.IDEMPOTENCY_INTENT, p.array());
            Entry started = new Entry(key, State.IN_PROGRESS, digest, seq, journal.config().clock().millis(), null, false,
                    transactional);
            entries.put(key, started);
            return new Entry(key, State.STARTED, digest, seq, started.startedAtMillis(), null, false, transactional);
        } finally {
            lock.unlock();
        }
    }

    /** The entry of {@code key} that may take a result now; under {@link #lock}. */
    private Entry unfinished(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new IllegalStateException("key '" + key + "' has no intent to complete");
        }
        if (e.state() == State.COMPLETED) {
            throw new IllegalStateException("key '" + key + "' already has a result");
        }
        return e;
    }

    @Override
    public Entry complete(String key, byte[] result, boolean error) {
        byte[] k = keyBytes(key);
        if (result == null) {
            throw new IllegalArgumentException("result must not be null, was null");
        }
        lock.lock();
        try {
            Entry e = unfinished(key);
            ByteBuffer p = ByteBuffer.allocate(2 + k.length + 1 + result.length).putShort((short) k.length).put(k)
                    .put((byte) (error ? 1 : 0)).put(result);
            journal.append(RecordTypes.IDEMPOTENCY_RESULT, p.array());
            return done(e, result, error);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Entry commit(String key, byte[] result, boolean error, byte[] effect) {
        byte[] k = keyBytes(key);
        if (result == null) {
            throw new IllegalArgumentException("result must not be null, was null");
        }
        if (effects == null) {
            throw new IllegalStateException("key '" + key + "': commit needs a store opened with TransactionalEffects, "
                    + "this one has none");
        }
        lock.lock();
        try {
            Entry e = unfinished(key);
            if (!e.transactional()) {
                throw new IllegalStateException("key '" + key + "' was not begun as a transactional operation (intent "
                        + e.intentSequence() + "); use complete");
            }
            int effectLength = effect == null ? 0 : effect.length;
            ByteBuffer p = ByteBuffer.allocate(2 + k.length + 1 + 4 + result.length + effectLength)
                    .putShort((short) k.length).put(k)
                    .put((byte) ((error ? COMMIT_ERROR : 0) | (effect == null ? 0 : COMMIT_EFFECT)))
                    .putInt(result.length).put(result);
            if (effect != null) {
                p.put(effect);
            }
            journal.append(RecordTypes.IDEMPOTENCY_COMMIT, p.array());
            Entry done = done(e, result, error);
            if (effect != null) {
                effects.apply(key, effect.clone());
            }
            return done;
        } finally {
            lock.unlock();
        }
    }

    private Entry done(Entry e, byte[] result, boolean error) {
        Entry done = new Entry(e.key(), State.COMPLETED, e.requestCrc32c(), e.intentSequence(), e.startedAtMillis(),
                result.clone(), error, e.transactional());
        entries.put(e.key(), done);
        orphans.remove(e.key());
        return done;
    }

    @Override
    public boolean transactional() {
        return effects != null;
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
