package io.qudag.resilience.mcp.event;

import java.time.Instant;

/**
 * Something that happened to one endpoint's connection: what the supervision and liveness parts of
 * a {@code ResilientMcpClient} saw and did. Immutable.
 *
 * @param endpointId the endpoint
 * @param type       what happened
 * @param at         when (from the client's clock)
 * @param detail     a short human-readable detail (never tool arguments)
 * @param affected   how many in-flight calls it failed (for CONNECTION_LOST / CHILD_EXITED / SUSPECTED), else 0
 */
public record McpEndpointEvent(String endpointId, Type type, Instant at, String detail, int affected) {

    /** Kinds of endpoint events. */
    public enum Type {
        /** The session is initialized. */
        CONNECTED,
        /** A ping or a send found the server gone; in-flight calls were failed. */
        CONNECTION_LOST,
        /** The stdio child exited; in-flight calls were failed. */
        CHILD_EXITED,
        /** A restart (new child, new session) is scheduled after a backoff. */
        RESTART_SCHEDULED,
        /** Restarts are exhausted; the endpoint stays down. */
        RESTARTS_EXHAUSTED,
        /**
         * The liveness detector suspects the endpoint (no answer within the liveness timeout, or a failed
         * ping); in-flight calls were failed and routing avoids it.
         */
        SUSPECTED,
        /** A suspected endpoint answered again; it is READY with its session unchanged. */
        RECOVERED,
        /** The tool list changed and the hints cache was refreshed. */
        TOOLS_REFRESHED
    }
}
