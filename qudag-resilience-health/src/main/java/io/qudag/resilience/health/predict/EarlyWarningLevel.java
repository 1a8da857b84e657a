package io.qudag.resilience.health.predict;

import java.time.Duration;

/**
 * The early-warning levels of spec §2.1 ({@code early_warning_system}): each has the advance notice it
 * gives and the model confidence it needs.
 * <ul>
 *   <li>ADVISORY: the trend indicates degradation, crossing expected within 30 min;</li>
 *   <li>CAUTION: confidence &gt; 0.7 of crossing within 15 min;</li>
 *   <li>ALERT: confidence &gt; 0.85 of crossing within 5 min;</li>
 *   <li>EMERGENCY: failure imminent, confidence &gt; 0.85 of crossing within 1 min (or already crossed).</li>
 * </ul>
 */
public enum EarlyWarningLevel {
    /** The trend indicates degradation; crossing expected within 30 min. */
    ADVISORY(Duration.ofMinutes(30), 0.0),
    /** Confidence above 0.7 of crossing within 15 min. */
    CAUTION(Duration.ofMinutes(15), 0.7),
    /** Confidence above 0.85 of crossing within 5 min. */
    ALERT(Duration.ofMinutes(5), 0.85),
    /** Failure imminent: confidence above 0.85 of crossing within 1 min, or already crossed. */
    EMERGENCY(Duration.ofMinutes(1), 0.85);

    private final Duration advanceNotice;
    private final double minConfidence;

    EarlyWarningLevel(Duration advanceNotice, double minConfidence) {
        this.advanceNotice = advanceNotice;
        this.minConfidence = minConfidence;
    }

    /** {@return how long before the predicted crossing the level is given} */
    public Duration advanceNotice() {
        return advanceNotice;
    }

    /** {@return the confidence the prediction must exceed (0 for ADVISORY: a trend suffices)} */
    public double minConfidence() {
        return minConfidence;
    }
}
