package io.qudag.resilience.mcp;

import io.qudag.resilience.core.health.HealthScore;

/**
 * A snapshot of one endpoint's health signal, fed by call outcomes, ping latency and the liveness
 * detector (spec §2.1 health indicators). Counts are since the client started.
 *
 * @param endpointId          the endpoint
 * @param state               the connection state
 * @param successes           calls that ended SUCCESS, TOOL_ERROR or CLIENT_ERROR (the server answered)
 * @param failures            calls whose outcome the policy counts as a failure of the server
 * @param consecutiveFailures failures since the last non-failure
 * @param lastPingMillis      latency of the last successful ping, or -1 when none yet
 * @param failedPings         pings that found the server gone
 * @param inFlightFailedFast  in-flight requests failed at once because the connection or child died
 * @param restarts            stdio child restarts (or HTTP reconnects)
 * @param suspicions          times the liveness detector suspected the endpoint (no answer within the
 *                            liveness timeout, or a failed ping)
 * @param livenessTimeoutMillis the current liveness timeout: how long a ping may stay unanswered, from
 *                            the observed ping round trips (RFC 6298 {@code srtt + 4·rttvar}) between
 *                            the configured floor and ceiling
 * @param score               the endpoint's composite health score (spec §2.1) from its
 *                            {@code HealthMonitor}; {@code score.hasData()} is false before any sample
 */
public record EndpointHealth(String endpointId, ConnectionState state, long successes, long failures,
        long consecutiveFailures, double lastPingMillis, long failedPings, long inFlightFailedFast, long restarts,
        long suspicions, double livenessTimeoutMillis, HealthScore score) {

    /** The state of one endpoint's connection (explicit state machine, see {@code EndpointConnection}). */
    public enum ConnectionState {
        /** Starting the transport and initializing the session. */
        CONNECTING,
        /** Initialized; calls are sent. */
        READY,
        /**
         * The server stopped answering (a ping unanswered within the liveness timeout, or a failed ping):
         * in-flight calls were failed, routing avoids it, and the first message from it returns it to
         * {@code READY} with the same session.
         */
        SUSPECT,
        /** The child exited or the connection broke; waiting for a backoff to reconnect. */
        RESTARTING,
        /** Restarts exhausted; calls fail at once. */
        FAILED,
        /** Closed by the user. */
        CLOSED
    }

    /** {@return ratio of failures to all calls, 0 when there were none} */
    public double failureRate() {
        long total = successes + failures;
        return total == 0 ? 0.0 : (double) failures / total;
    }
}
