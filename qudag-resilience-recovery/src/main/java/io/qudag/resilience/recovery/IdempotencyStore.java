package io.qudag.resilience.recovery;

import io.qudag.resilience.recovery.internal.JournalIdempotencyStore;
import java.util.List;
import java.util.Optional;

/**
 * Intents and results of operations that must run at most once, kept in a {@link Journal} (spec
 * §4.2 event sourcing applied to tool calls): before running an operation under an idempotency key
 * the caller records the intent ({@link #begin}); afterwards the result ({@link #complete}). A repeat
 * of a key that already ran gets the recorded result; a repeat of a key still running is told so;
 * after a crash, {@link #unresolved()} lists the intents whose outcome is unknown. Rebuilt from the
 * journal on {@link #open}. Thread-safe.
 *
 * <p>Records use the library types {@link RecordTypes#IDEMPOTENCY_INTENT} and
 * {@link RecordTypes#IDEMPOTENCY_RESULT}; the journal's durability decides when a {@code begin}
 * returns (use SYNC or GROUP_COMMIT: an intent must be on disk before the operation runs). Give the
 * store a journal of its own when the application's journal is compacted.
 */
public interface IdempotencyStore {

    /** Opens a store over {@code journal}, reading every intent and result already in it. */
    static IdempotencyStore open(Journal journal) {
        return JournalIdempotencyStore.open(journal);
    }

    /** Where a key stands. */
    enum State {
        /** The intent was recorded by this {@link #begin} call: the caller runs the operation. */
        STARTED,
        /** An intent exists without a result: running now, or its outcome is unknown after a crash. */
        IN_PROGRESS,
        /** The operation ran; the entry holds its recorded result. */
        COMPLETED
    }

    /**
     * One key's entry.
     *
     * @param key            the idempotency key
     * @param state          where it stands
     * @param requestCrc32c  CRC32C of the request recorded with the intent
     * @param intentSequence the journal sequence of the intent
     * @param startedAtMillis when the intent was recorded
     * @param result         the recorded result ({@code null} unless COMPLETED)
     * @param error          whether the recorded result is an error
     */
    record Entry(String key, State state, long requestCrc32c, long intentSequence, long startedAtMillis, byte[] result,
            boolean error) {
    }

    /**
     * Records the intent to run {@code request} under {@code key}, unless the key is known. Returns
     * an entry whose state says what to do: STARTED (run it), IN_PROGRESS (do not run it again), or
     * COMPLETED (return {@link Entry#result()}).
     *
     * @throws IllegalArgumentException when {@code key} was used for a different request (naming it)
     */
    Entry begin(String key, byte[] request);

    /**
     * Records the result of the operation under {@code key}.
     *
     * @throws IllegalStateException when no intent exists for {@code key}, or it already has a result
     */
    Entry complete(String key, byte[] result, boolean error);

    /** {@return the entry of {@code key}, if any} */
    Optional<Entry> lookup(String key);

    /** {@return every intent without a result, oldest first: after a restart, these are the outcomes to resolve} */
    List<Entry> unresolved();
}
