package io.qudag.resilience.mcp.internal;

/**
 * Ties one tool call to the JSON-RPC request id the SDK gave it. It travels in the Reactor context of
 * the call (key {@link LivenessTransport#CALL_KEY}); the transport binds the id when the request
 * goes out, so the call can be abandoned at its own deadline or when its hedge lost.
 */
public final class CallHandle {

    private final java.time.Duration deadline;
    private volatile LivenessTransport transport;
    private volatile Object requestId;
    private volatile long heardAtSend;
    private volatile boolean notSent;

    CallHandle(java.time.Duration deadline) {
        this.deadline = deadline;
    }

    /** The call's own deadline. */
    java.time.Duration deadline() {
        return deadline;
    }

    void bind(LivenessTransport transport, Object requestId, long heardAtSend) {
        this.heardAtSend = heardAtSend;
        this.notSent = false;
        this.transport = transport;
        this.requestId = requestId;
    }

    /** The transport's message count when the request was handed to it. */
    long heardAtSend() {
        return heardAtSend;
    }

    /** The transport proved that the request never left (refused before it was written). */
    void markNotSent() {
        notSent = true;
    }

    /** Whether the request provably never reached the server. */
    boolean notSent() {
        return notSent;
    }

    /** The request id, or {@code null} while the request has not been sent. */
    public Object requestId() {
        return requestId;
    }

    /**
     * Completes the pending request at once with a synthetic error of {@code code} and, when the
     * transport is alive, sends {@code notifications/cancelled} to the server.
     *
     * @return whether a pending request was found
     */
    public boolean abandon(int code, String reason) {
        LivenessTransport t = transport;
        Object id = requestId;
        return t != null && id != null && t.cancel(id, code, reason);
    }

    /** The call is over: its request is no longer pending, however it ended (e.g. the SDK's own timeout). */
    void forget() {
        LivenessTransport t = transport;
        Object id = requestId;
        if (t != null && id != null) {
            t.forget(id);
        }
    }
}
