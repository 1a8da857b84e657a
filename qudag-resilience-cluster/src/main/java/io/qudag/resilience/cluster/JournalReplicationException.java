package io.qudag.resilience.cluster;

/**
 * An append to a {@link ReplicatedJournal} that was not acknowledged (spec §4.1 replication of
 * critical data): no quorum, the commit timeout passed, the peer is stopped, or its local journal
 * failed. {@link #proposed()} tells whether the record was handed to Raft at all: when it was not
 * (no quorum known, peer stopped) it will never appear; when it was (commit timeout) it may still be
 * committed later and then appears on every peer, like any Raft proposal whose reply was lost.
 */
public final class JournalReplicationException extends RuntimeException {

    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /** Whether the record was proposed to the group before the failure. */
    private final boolean proposed;

    /**
     * Creates the exception.
     *
     * @param message  what failed
     * @param proposed whether the record was proposed to the group before the failure
     * @param cause    the underlying failure, or null
     */
    public JournalReplicationException(String message, boolean proposed, Throwable cause) {
        super(message, cause);
        this.proposed = proposed;
    }

    /** {@return whether the record was proposed to the group before the failure (its outcome is then unknown)} */
    public boolean proposed() {
        return proposed;
    }
}
