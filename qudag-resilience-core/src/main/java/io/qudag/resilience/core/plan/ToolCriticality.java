package io.qudag.resilience.core.plan;

import java.time.Duration;

/**
 * How much a tool matters to the business (spec §4.3 "Critical Business Functions", spec §5.2
 * validation criteria), with the recovery-time objective and the share of functionality recovery
 * validation requires for that class.
 */
public enum ToolCriticality {
    /** Must be kept in every mode (authentication, core operations): RTO 30 s, 100 % functionality. */
    CRITICAL(Duration.ofSeconds(30), 1.00),
    /** RTO 5 min, 95 % functionality. */
    IMPORTANT(Duration.ofMinutes(5), 0.95),
    /** RTO 30 min, 90 % functionality. */
    STANDARD(Duration.ofMinutes(30), 0.90),
    /** Non-critical: RTO 4 h, 80 % functionality; the first to go in a reduced mode. */
    OPTIONAL(Duration.ofHours(4), 0.80);

    private final Duration recoveryTimeObjective;
    private final double functionalityTarget;

    ToolCriticality(Duration recoveryTimeObjective, double functionalityTarget) {
        this.recoveryTimeObjective = recoveryTimeObjective;
        this.functionalityTarget = functionalityTarget;
    }

    /** {@return the spec §5.2 recovery-time objective of this class} */
    public Duration recoveryTimeObjective() {
        return recoveryTimeObjective;
    }

    /** {@return the spec §5.2 share of functionality (0–1) recovery validation requires of this class} */
    public double functionalityTarget() {
        return functionalityTarget;
    }
}
