package io.qudag.resilience.core.plan;

/**
 * The business-continuity modes of spec §4.3 ("Alternative Operating Procedures: reduced
 * functionality modes"), from everything served to only the critical functions. Which tool
 * criticalities each mode serves is set in a {@link ContinuityPolicy}.
 */
public enum OperatingMode {
    /** Normal service: every tool is served. */
    FULL,
    /** Reduced functionality: by default critical and important tools only. */
    REDUCED,
    /** Emergency: by default critical tools only. */
    EMERGENCY
}
