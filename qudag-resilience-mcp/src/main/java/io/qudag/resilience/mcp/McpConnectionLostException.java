package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;

/**
 * The connection to the server or its child process died while the call was in flight (a broken SSE
 * stream noticed by a failed ping, a server that stopped answering, a refused connection, the stdio
 * child's exit). Whether the tool ran is stated by {@link #delivery()}: {@link Delivery#NOT_SENT} only
 * when the request provably never left this process (the connection was refused before it was
 * written); otherwise {@link Delivery#UNKNOWN}, and a call that is not safe to repeat is never re-sent.
 * Classifies as {@link CallOutcome#TRANSPORT_ERROR} (spec §1.3: transport failures).
 */
public class McpConnectionLostException extends McpCallException {

    /** What is known about whether the request reached the server. */
    public enum Delivery {
        /** The request never left this process: the tool did not run. */
        NOT_SENT,
        /** The request may have reached the server: the tool may or may not have run. */
        UNKNOWN
    }

    /** Whether the request may have reached the server. */
    private final Delivery delivery;

    /**
     * A lost connection whose request may have reached the server ({@link Delivery#UNKNOWN}).
     *
     * @param endpointId the endpoint the call was sent to
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     */
    public McpConnectionLostException(String endpointId, String message, Throwable cause) {
        this(endpointId, Delivery.UNKNOWN, message, cause);
    }

    /**
     * A lost connection with what is known about the request's delivery.
     *
     * @param endpointId the endpoint the call was aimed at
     * @param delivery whether the request may have reached the server, not {@code null}
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     * @throws IllegalArgumentException when {@code delivery} is {@code null}
     */
    public McpConnectionLostException(String endpointId, Delivery delivery, String message, Throwable cause) {
        super(endpointId, CallOutcome.TRANSPORT_ERROR, message, cause);
        if (delivery == null) {
            throw new IllegalArgumentException("delivery must not be null, was null");
        }
        this.delivery = delivery;
    }

    /** {@return whether the request reached the server: {@code NOT_SENT} or {@code UNKNOWN}} */
    public Delivery delivery() {
        return delivery;
    }

    /** {@return whether the tool certainly did not run: {@code delivery() == Delivery.NOT_SENT}} */
    public boolean notSent() {
        return delivery == Delivery.NOT_SENT;
    }
}
