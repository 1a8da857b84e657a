package io.qudag.resilience.failover.spi;

import io.qudag.resilience.failover.Endpoint;
import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Re-creates session state on the endpoint that takes over (spec §1.2 failover state
 * management). When a decision moves traffic away from an endpoint, the decision engine asks for the
 * sessions bound to it and asks to re-create each on the endpoint that now serves it: re-run
 * {@code initialize}, announce the roots, renew the subscriptions and keep the cached tool hints.
 * Implemented by the MCP binding, which owns the clients.
 *
 * <p>Methods must not block; the engine does not wait for the stages on its decision path and
 * reports failures as events.
 */
public interface SessionStateReplicator {

    /**
     * {@return the sessions currently bound to {@code endpoint} (client-side state; may be empty)}
     *
     * @param endpoint the endpoint failed over from
     */
    Collection<SessionState> sessionsOn(Endpoint endpoint);

    /**
     * Re-creates {@code state} on {@code target}.
     *
     * @param state the session to re-create
     * @param target the endpoint failed over to
     * @return completes when the session is usable there
     */
    CompletionStage<Void> recreate(SessionState state, Endpoint target);
}
