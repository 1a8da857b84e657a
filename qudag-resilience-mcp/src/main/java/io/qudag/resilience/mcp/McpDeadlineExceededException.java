package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A tool call did not answer within its own deadline (independent of the SDK request timeout). The
 * request was abandoned and, where the transport was alive, cancelled on the server with
 * {@code notifications/cancelled}. Classifies as {@link CallOutcome#TIMEOUT}; its cause is a
 * {@link TimeoutException} (the timeouts of spec §1.3 and §3.1).
 */
public final class McpDeadlineExceededException extends McpCallException {

    /** The deadline the call exceeded. */
    private final Duration deadline;

    /**
     * Creates the failure of a call abandoned at its deadline.
     *
     * @param endpointId the endpoint the call was sent to
     * @param toolName the tool called
     * @param deadline the deadline the call exceeded
     */
    public McpDeadlineExceededException(String endpointId, String toolName, Duration deadline) {
        super(endpointId, CallOutcome.TIMEOUT, "tool '" + toolName + "' on endpoint '" + endpointId
                + "' did not answer within " + deadline, new TimeoutException("deadline " + deadline));
        this.deadline = deadline;
    }

    /** {@return the deadline the call exceeded} */
    public Duration deadline() {
        return deadline;
    }
}
