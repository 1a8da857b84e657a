package io.qudag.resilience.recovery.event;

import java.time.Instant;
import java.util.List;

/**
 * The user validators judged a recovered state (spec §4.1 validate_recovered_data).
 *
 * @param at       when
 * @param passed   whether every validator accepted it
 * @param problems what the validators found (empty when passed)
 */
public record ValidationEvent(Instant at, boolean passed, List<String> problems) implements RecoveryEvent {
    /**
     * Copies {@code problems} into an immutable list.
     *
     * @param at       when
     * @param passed   whether every validator accepted it
     * @param problems what the validators found (empty when passed)
     */
    public ValidationEvent {
        problems = List.copyOf(problems);
    }
}
