package io.qudag.resilience.recovery;

import io.qudag.resilience.recovery.internal.JournalIdempotencyStore;
import io.qudag.resilience.recovery.spi.TransactionalEffects;
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
 * <p><b>Two guarantees.</b> An ordinary operation changes the world itself (a file, a payment
 * provider, another service): if the process dies between intent and result, nothing can tell
 * whether the change happened, so the key stays unresolved and is never run again (<em>at most
 * once</em>). A <em>transactional</em> operation ({@link #beginTransactional}, {@link #commit}) changes
 * nothing itself: it returns its effect as data, and the store writes the effect in the same journal
 * record as the result, then applies it to the {@link TransactionalEffects} the store was opened with
 * (a transactional outbox). Result and effect are durable together or not at all, so an intent left
 * without a result by an earlier process provably had no effect, and the store lets the key run
 * again: <em>exactly once</em>, for effects that live in the journal. No store can give that to an
 * arbitrary external side effect: the "did it happen" fact lives outside the journal, and no single
 * write can make both durable at once.
 *
 * <p>Records use the library types {@link RecordTypes#IDEMPOTENCY_INTENT},
 * {@link RecordTypes#IDEMPOTENCY_RESULT} and {@link RecordTypes#IDEMPOTENCY_COMMIT}; the journal's
 * durability decides when a {@code begin} returns (use SYNC or GROUP_COMMIT: an intent must be on disk
 * before the operation runs, and a commit before its answer is given). Give the store a journal of its
 * own when the application's journal is compacted.
 */
public interface IdempotencyStore {

    /**
     * Opens a store over {@code journal}, reading every intent and result already in it.
     *
     * @throws JournalException when the journal holds committed effects (they need {@link #open(Journal, TransactionalEffects)})
     * @param journal the open journal that holds the intents and results
     * @return the store
     */
    static IdempotencyStore open(Journal journal) {
        return JournalIdempotencyStore.open(journal, null);
    }

    /**
     * Opens a store over {@code journal} that also runs transactional operations: every effect
     * already committed in the journal is applied to {@code effects} in journal order before this
     * returns, and every later {@link #commit} applies its effect after writing it.
     *
     * @param journal the open journal that holds the intents, results and effects
     * @param effects where committed effects are applied
     * @return the store
     * @throws IllegalArgumentException when {@code effects} is null
     */
    static IdempotencyStore open(Journal journal, TransactionalEffects effects) {
        if (effects == null) {
            throw new IllegalArgumentException("effects must not be null, was null");
        }
        return JournalIdempotencyStore.open(journal, effects);
    }

    /** Where a key stands. */
    enum State {
        /** The intent was recorded by this {@link #begin} call: the caller runs the operation. */
        STARTED,
        /**
         * A transactional intent left without a result by an earlier process was taken over by this
         * {@link #beginTransactional} call: its effect did not commit, the caller runs the operation again.
         */
        RESUMED,
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
     * @param transactional  whether the intent was recorded by {@link #beginTransactional}
     */
    record Entry(String key, State state, long requestCrc32c, long intentSequence, long startedAtMillis, byte[] result,
            boolean error, boolean transactional) {
    }

    /**
     * Records the intent to run {@code request} under {@code key}, unless the key is known. Returns
     * an entry whose state says what to do: STARTED (run it), IN_PROGRESS (do not run it again), or
     * COMPLETED (return {@link Entry#result()}).
     *
     * @throws IllegalArgumentException when {@code key} was used for a different request (naming it)
     * @param key     the idempotency key
     * @param request the request bytes (its CRC32C is recorded)
     * @return the key's entry
     */
    Entry begin(String key, byte[] request);

    /**
     * Like {@link #begin}, for an operation whose only effect is the one it hands to {@link #commit}.
     * The intent is marked transactional; when the key has a transactional intent without a result
     * that an earlier process left (it crashed before the commit), this call takes it over and
     * returns RESUMED: run the operation again. A key taken over, or started, by this store instance
     * and not yet completed is IN_PROGRESS. A non-transactional intent is never taken over.
     *
     * @throws IllegalArgumentException when {@code key} was used for a different request (naming it)
     * @throws IllegalStateException    when the store was opened without {@link TransactionalEffects}
     * @param key     the idempotency key
     * @param request the request bytes (its CRC32C is recorded)
     * @return the key's entry
     */
    Entry beginTransactional(String key, byte[] request);

    /**
     * Records the result of the operation under {@code key}.
     *
     * @throws IllegalStateException when no intent exists for {@code key}, or it already has a result
     * @param key    the idempotency key
     * @param result the result bytes
     * @param error  whether the result is an error
     * @return the completed entry
     */
    Entry complete(String key, byte[] result, boolean error);

    /**
     * Records the result of the transactional operation under {@code key} together with its
     * {@code effect}, in one journal record, and then applies the effect to the store's
     * {@link TransactionalEffects}. Returns once the record is as durable as the journal promises.
     * A {@code null} effect records the result alone (an operation that decided to change nothing).
     *
     * @throws IllegalStateException when the store was opened without {@link TransactionalEffects}, when
     *                               {@code key} has no transactional intent, or it already has a result
     * @param key    the idempotency key
     * @param result the result bytes
     * @param error  whether the result is an error
     * @param effect the effect to apply, or {@code null} for none
     * @return the completed entry
     */
    Entry commit(String key, byte[] result, boolean error, byte[] effect);

    /** {@return whether the store was opened with {@link TransactionalEffects} and so runs transactional operations} */
    boolean transactional();

    /**
     * The entry of {@code key}, if any.
     *
     * @param key the idempotency key
     * @return its entry, empty for an unknown key
     */
    Optional<Entry> lookup(String key);

    /**
     * Every intent without a result, oldest first: after a restart, these are the outcomes to
     * resolve (a transactional one is resolved by running it again under its key).
     *
     * @return the entries without a result
     */
    List<Entry> unresolved();
}
