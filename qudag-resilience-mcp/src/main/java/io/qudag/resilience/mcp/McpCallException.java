package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;

/**
 * Base of the typed failures a {@link ResilientMcpClient} raises instead of the SDK's untyped ones.
 * Each names the endpoint it happened on and the {@link CallOutcome} it classifies as, so callers and
 * the pipeline's breakers agree on what happened (the error classification of spec §1.3 and §3.1).
 */
public abstract class McpCallException extends RuntimeException {

    /** The endpoint the call was aimed at. */
    private final String endpointId;
    /** How this failure classifies. */
    private final CallOutcome outcome;

    /**
     * Creates a typed call failure.
     *
     * @param endpointId the endpoint the call was aimed at
     * @param outcome how this failure classifies
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     */
    protected McpCallException(String endpointId, CallOutcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.endpointId = endpointId;
        this.outcome = outcome;
    }

    /** {@return the endpoint the call was aimed at} */
    public String endpointId() {
        return endpointId;
    }

    /** {@return how this failure classifies} */
    public CallOutcome outcome() {
        return outcome;
    }
}
