package io.qudag.resilience.chaos.report;

import java.time.Duration;

/**
 * The recovery objectives a drill is judged against (spec §5.2, validation criteria): the recovery time
 * (RTO) and the recovery point (RPO, the span of acknowledged data that may be lost) of each class.
 */
public enum RecoveryObjective {
    /** Critical systems and data: RTO under 30 s, RPO under 5 s. */
    CRITICAL(Duration.ofSeconds(30), Duration.ofSeconds(5)),
    /** Important: RTO under 5 min, RPO under 1 min. */
    IMPORTANT(Duration.ofMinutes(5), Duration.ofMinutes(1)),
    /** Standard: RTO under 30 min, RPO under 15 min. */
    STANDARD(Duration.ofMinutes(30), Duration.ofMinutes(15)),
    /** Non-critical systems and archival data: RTO under 4 h, RPO under 1 h. */
    ARCHIVAL(Duration.ofHours(4), Duration.ofHours(1));

    private final Duration rto;
    private final Duration rpo;

    RecoveryObjective(Duration rto, Duration rpo) {
        this.rto = rto;
        this.rpo = rpo;
    }

    /** {@return the recovery time objective: a measured RTO must be below it} */
    public Duration rto() {
        return rto;
    }

    /** {@return the recovery point objective: a measured RPO must be below it} */
    public Duration rpo() {
        return rpo;
    }

    /**
     * {@return whether {@code measured} is below the RTO}
     *
     * @param measured the measured recovery time
     */
    public boolean meetsRto(Duration measured) {
        return measured.compareTo(rto) < 0;
    }

    /**
     * {@return whether {@code measured} is below the RPO}
     *
     * @param measured the measured recovery point
     */
    public boolean meetsRpo(Duration measured) {
        return measured.compareTo(rpo) < 0;
    }
}
