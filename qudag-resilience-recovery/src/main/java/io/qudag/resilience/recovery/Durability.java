package io.qudag.resilience.recovery;

/**
 * When a {@link Journal} acknowledges an append (spec §4.1 recovery point objectives, §4.2 continuous
 * data protection).
 */
public enum Durability {
    /** The append returns after {@code fsync} covered its record: a crash of process or machine loses nothing acknowledged. */
    SYNC,
    /**
     * Appenders wait for one shared {@code fsync} that a flusher issues once the batch is full or the
     * oldest waiting append is {@code groupCommitMaxDelay} old: the same guarantee as {@link #SYNC},
     * fewer fsyncs under concurrency, at most that delay added to an append. A blocking append
     * shares a force only with the appends waiting beside it; {@link Journal#appendAsync(int, byte[])}
     * pipelines appends so that one force covers thousands of records.
     */
    GROUP_COMMIT,
    /**
     * The append returns once its record is written to the operating system; a flusher forces the
     * file every {@code asyncFlushInterval}. A crash of the process loses nothing (the page cache
     * survives it); a crash of the machine loses at most the last {@code asyncFlushInterval} of
     * appends: that interval is the recovery point objective.
     */
    ASYNC
}
