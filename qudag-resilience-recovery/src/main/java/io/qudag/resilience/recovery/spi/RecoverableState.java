package io.qudag.resilience.recovery.spi;

import io.qudag.resilience.recovery.JournalRecord;
import java.util.function.Predicate;

/**
 * The application state that a {@code RecoveryManager} rebuilds from snapshots and the journal
 * (spec §4.2 event sourcing, deterministic replay). {@link #apply} must be deterministic: the same
 * state and record give the same result on every run, so replay reproduces exactly what was live.
 *
 * <p>Selective and parallel recovery (spec §4.2 selective recovery, parallel recovery by partition)
 * need {@link #keyOf}, {@link #select} and {@link #merge}; sequential recovery needs only the first four.
 *
 * @param <S> the state type; may be mutable (then {@link #apply} may change and return its argument)
 */
public interface RecoverableState<S> {

    /** {@return the state before the first record} */
    S empty();

    /**
     * {@return the state after {@code event}} Only application record types reach it.
     *
     * @param state the state before
     * @param event the record to apply
     */
    S apply(S state, JournalRecord event);

    /**
     * {@return a self-contained image of {@code state}; equal states should give equal bytes (diffs are smaller then)}
     *
     * @param state the state
     */
    byte[] snapshot(S state);

    /**
     * {@return the state an image describes}
     *
     * @param image an image made by {@link #snapshot}
     */
    S restore(byte[] image);

    /**
     * {@return the key (row, entity) {@code event} changes, or {@code null} when it is not keyed}
     *
     * @param event the record
     */
    default String keyOf(JournalRecord event) {
        return null;
    }

    /**
     * {@return the part of {@code state} whose keys {@code keys} accepts (a new state; {@code state} stays unchanged)}
     *
     * @param state the state
     * @param keys  the keys to keep
     */
    default S select(S state, Predicate<String> keys) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support selective recovery (select)");
    }

    /**
     * {@return the union of two states with disjoint keys}
     *
     * @param left  one state
     * @param right the other state
     */
    default S merge(S left, S right) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support parallel recovery (merge)");
    }
}
