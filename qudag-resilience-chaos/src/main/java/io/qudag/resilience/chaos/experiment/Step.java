package io.qudag.resilience.chaos.experiment;

import io.qudag.resilience.chaos.Fault;
import java.time.Duration;

/**
 * One step of an experiment's method (spec §5.1, {@code controlled_fault_injection}): a fault held for a
 * duration, then healed — or a pause. {@code share} is the share (0–1) of calls or endpoints the fault
 * affects, which the blast radius limits.
 */
public record Step(Fault fault, Duration duration, double share) {

    /**
     * Validates the components.
     *
     * @param fault    the fault, or {@code null} for a pause
     * @param duration how long the step lasts, positive
     * @param share    the share (0–1) of calls or endpoints the fault affects; 0 for a pause
     * @throws IllegalArgumentException naming the value when one is invalid
     */
    public Step {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("step duration must be positive, was " + duration);
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("step share must be between 0 and 1, was " + share);
        }
        if (fault == null && share != 0) {
            throw new IllegalArgumentException("a pause affects nothing: share must be 0, was " + share);
        }
    }

    /**
     * Injects {@code fault}, holds it for {@code duration}, heals it.
     *
     * @param fault    the fault
     * @param duration how long it is held, positive
     * @param share    the share (0–1) it affects
     * @return the step
     */
    public static Step fault(Fault fault, Duration duration, double share) {
        if (fault == null) {
            throw new IllegalArgumentException("fault must not be null, was null");
        }
        return new Step(fault, duration, share);
    }

    /**
     * Waits {@code duration} with no fault of its own (earlier faults stay healed).
     *
     * @param duration how long to wait, positive
     * @return the step
     */
    public static Step pause(Duration duration) {
        return new Step(null, duration, 0);
    }

    /** {@return whether this step is a pause (it has no fault)} */
    public boolean isPause() {
        return fault == null;
    }
}
