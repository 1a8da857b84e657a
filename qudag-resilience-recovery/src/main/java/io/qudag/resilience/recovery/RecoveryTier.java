package io.qudag.resilience.recovery;

import java.time.Duration;

/**
 * How fast data comes back and how much of it may be lost (spec §4.1 multi-tier data recovery
 * strategy): recovery-time objective (RTO) and recovery-point objective (RPO) per tier.
 */
public enum RecoveryTier {
    /** Memory-based and synchronous replication: RTO 30 s, RPO 5 s. */
    HOT(Duration.ofSeconds(30), Duration.ofSeconds(5)),
    /** Log replay and incremental backups: RTO 5 min, RPO 1 min. */
    WARM(Duration.ofMinutes(5), Duration.ofMinutes(1)),
    /** Full backup restoration and point-in-time recovery: RTO 30 min, RPO 15 min. */
    COLD(Duration.ofMinutes(30), Duration.ofMinutes(15)),
    /** Archive restoration: RTO 4 h, RPO 1 h. */
    ARCHIVE(Duration.ofHours(4), Duration.ofHours(1));

    private final Duration rto;
    private final Duration rpo;

    RecoveryTier(Duration rto, Duration rpo) {
        this.rto = rto;
        this.rpo = rpo;
    }

    /** {@return recovery-time objective: the longest a recovery may take} */
    public Duration rto() {
        return rto;
    }

    /** {@return recovery-point objective: the most recent span of data a recovery may lose} */
    public Duration rpo() {
        return rpo;
    }
}
