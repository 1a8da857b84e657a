package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;

/**
 * Base of the typed failures a {@link ResilientMcpClient} raises instead of the SDK's untyped ones.
 * Each names the endpoint it happened on and the {@link CallOutcome} it classifies as, so callers and
 * the pipeline's breakers agree on what happened.
 */
public abstract class McpCallException extends RuntimeException {

    private final String endpointId;
    private final CallOutcome outcome;

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
