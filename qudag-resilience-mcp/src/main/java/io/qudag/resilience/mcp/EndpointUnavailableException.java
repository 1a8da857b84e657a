package io.qudag.resilience.mcp;

import io.qudag.resilience.core.RejectedCallException;

/**
 * The call was not sent because its endpoint is not connected (starting, restarting its child, or
 * given up). Nothing ran, so a client over an endpoint group moves the call to the next endpoint
 * whatever the tool's hints (spec §1.2 instant redirection). Outcome REJECTED.
 */
public final class EndpointUnavailableException extends RejectedCallException {

    /**
     * Creates the refusal of a call that was not sent.
     *
     * @param endpointId the endpoint the call was aimed at
     * @param state the endpoint's state (e.g. {@code RESTARTING}) or why the call was not sent, named in the message
     */
    public EndpointUnavailableException(String endpointId, String state) {
        super(endpointId, "endpoint '" + endpointId + "' is not connected (" + state + "); the call was not sent");
    }
}
