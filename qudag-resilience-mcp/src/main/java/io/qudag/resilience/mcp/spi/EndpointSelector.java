package io.qudag.resilience.mcp.spi;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import java.util.List;

/**
 * The routing seam of a {@code ResilientMcpClient} over an endpoint group: it orders the endpoints
 * to try for a call and learns how each attempt ended. Kept deliberately narrow so the failover
 * module's {@code EndpointGroup} (spec §1.1, §1.2) can be plugged in; the default orders endpoints as
 * configured and moves endpoints that look down to the back.
 *
 * <p>Implementations must be thread-safe.
 */
public interface EndpointSelector {

    /**
     * {@return the endpoint ids to try for {@code call}, best first; the client tries them in order (failover)
     * or races the first ones (hedging)} Must name only configured endpoints and at least one.
     *
     * @param call the tool call about to be sent: name, arguments and hints
     */
    List<String> select(ToolCall call);

    /**
     * How one attempt on {@code endpointId} ended. {@code durationNanos} is the attempt's response time:
     * its whole duration, or for a call that received progress notifications the longest time the server
     * kept the caller waiting without a sign of life (a tool that streams progress is slow by design).
     *
     * @param endpointId the endpoint the attempt went to
     * @param call the tool call
     * @param outcome how the attempt classified
     * @param durationNanos the attempt's response time, in nanoseconds
     */
    void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos);

    /**
     * An attempt on {@code endpointId} was abandoned unanswered after {@code elapsedNanos} because another
     * attempt of the same call answered first (a lost hedge, cancelled with {@code notifications/cancelled}).
     * The endpoint's latency for this call is at least {@code elapsedNanos}: a latency-aware selector may
     * learn it as a lower bound; it says nothing about the endpoint's health. Must be cheap and must not
     * throw; the default ignores it. Followed by {@link #onOutcome} with {@code REJECTED}.
     *
     * @param endpointId the endpoint of the abandoned attempt
     * @param call the tool call
     * @param elapsedNanos how long the attempt had run when it was abandoned, in nanoseconds
     */
    default void onAttemptAbandoned(String endpointId, ToolCall call, long elapsedNanos) {
    }

    /**
     * An attempt on {@code endpointId} is about to be sent (the call, a failover or a hedge). Every such
     * call is followed by exactly one {@link #onAttemptEnd}; a latency-aware selector counts the calls
     * in flight with them. Must be cheap and must not throw.
     *
     * @param endpointId the endpoint the attempt goes to
     */
    default void onAttemptStart(String endpointId) {
    }

    /**
     * The attempt announced by {@link #onAttemptStart} ended (whatever its outcome; before {@link #onOutcome}).
     *
     * @param endpointId the endpoint the attempt went to
     */
    default void onAttemptEnd(String endpointId) {
    }

    /**
     * The liveness probe found {@code endpointId} down ({@code false}) or answering ({@code true}).
     *
     * @param endpointId the probed endpoint
     * @param alive whether it answered
     */
    default void onLiveness(String endpointId, boolean alive) {
    }
}
