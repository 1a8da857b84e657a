package io.qudag.resilience.core;

/**
 * Thrown when this library refuses to run a call (breaker open, bulkhead full, not admitted during
 * ramp-up). Its outcome is {@link CallOutcome#REJECTED}; a pipeline's fallback sees it like any other
 * failure. Subclasses name the part that rejected the call.
 */
public class RejectedCallException extends RuntimeException {

    /** The name of the part that rejected the call. */
    private final String rejectedBy;

    /**
     * @param rejectedBy the name of the part that rejected the call, e.g. a breaker's name or path
     * @param message    why, in words a user can act on
     */
    public RejectedCallException(String rejectedBy, String message) {
        super(message, null, false, false);
        this.rejectedBy = rejectedBy;
    }

    /**
     * @param rejectedBy the name of the part that rejected the call
     * @param message    why, in words a user can act on
     * @param cause      what made the part refuse (e.g. the last connection error), or {@code null}
     */
    protected RejectedCallException(String rejectedBy, String message, Throwable cause) {
        super(message, cause, false, false);
        this.rejectedBy = rejectedBy;
    }

    /** {@return the name of the breaker, bulkhead or level that rejected the call} */
    public String rejectedBy() {
        return rejectedBy;
    }
}
