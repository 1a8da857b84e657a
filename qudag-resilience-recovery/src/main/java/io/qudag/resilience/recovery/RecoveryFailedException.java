package io.qudag.resilience.recovery;

import java.util.List;

/**
 * A recovery could not produce a state that may go live (spec §4.1): the validators rejected it, or
 * no snapshot and journal range reaches the target. The live state is unchanged.
 */
public class RecoveryFailedException extends RuntimeException {

    /** What the validators (or the search for a starting point) found. */
    private final List<String> problems;

    /**
     * Creates the exception; the message lists the problems.
     *
     * @param message  what failed
     * @param problems what the validators (or the search for a starting point) found
     */
    public RecoveryFailedException(String message, List<String> problems) {
        super(message + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** {@return what the validators (or the search for a starting point) found} */
    public List<String> problems() {
        return problems;
    }
}
