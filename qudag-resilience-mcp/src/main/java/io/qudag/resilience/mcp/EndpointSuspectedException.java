package io.qudag.resilience.mcp;

/**
 * The call was in flight when the liveness detector suspected its endpoint (spec §2.1, §3.1: fast
 * failure detection): the server stopped answering with its connection open (a long pause, a hung
 * event loop, a half-open path). The request had been sent, so the tool may or may not have run
 * ({@link Delivery#UNKNOWN}); a call safe to repeat moves to another endpoint, or waits for this one to
 * answer again. Routing learns of the suspicion from the detector, not from each such call.
 */
public final class EndpointSuspectedException extends McpConnectionLostException {

    /**
     * Creates the failure of a call in flight on a suspected endpoint.
     *
     * @param endpointId the endpoint the call was sent to
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     */
    public EndpointSuspectedException(String endpointId, String message, Throwable cause) {
        super(endpointId, Delivery.UNKNOWN, message, cause);
    }
}
