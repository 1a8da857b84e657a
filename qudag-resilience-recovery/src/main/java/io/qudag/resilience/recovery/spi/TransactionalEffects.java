package io.qudag.resilience.recovery.spi;

/**
 * The state that the effects of transactional operations build (spec §4.2 event sourcing, applied
 * to tool calls as a transactional outbox). A transactional operation does not change anything
 * itself: it returns its effect as data, and {@code IdempotencyStore.commit} writes that effect in the
 * same journal record as the operation's result, then hands it to {@link #apply}. The effect and the
 * "this key ran" record are therefore durable together or not at all, which is what lets the store
 * run a key again after a crash that left its intent without a result: the effect provably did not
 * commit.
 *
 * <p>{@link #apply} is called in journal order, under the store's lock: once for every committed
 * effect when the store is opened (replay), then once after each commit. It must be deterministic
 * (replay must rebuild exactly the live state), quick, and must not call back into the store. An
 * exception from it during replay fails the open; after a commit it reaches the committing caller,
 * but the effect stays committed and is applied again on the next open.
 */
@FunctionalInterface
public interface TransactionalEffects {

    /**
     * Applies the {@code effect} committed under idempotency key {@code key}.
     *
     * @param key    the idempotency key
     * @param effect the committed effect
     */
    void apply(String key, byte[] effect);
}
