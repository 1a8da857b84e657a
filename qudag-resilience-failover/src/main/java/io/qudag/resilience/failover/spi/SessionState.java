package io.qudag.resilience.failover.spi;

import io.qudag.resilience.core.ToolHints;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one client session needs so that another endpoint can serve it (spec §1.2
 * state_synchronization.active_sessions): the MCP {@code initialize} request parameters (protocol
 * version, client info, capabilities), the client's roots, the resource subscriptions and the tool
 * hints cached from {@code tools/list}. Immutable; kept client-side, so it is available even when the
 * old endpoint is dead.
 *
 * @param sessionKey       the client-side key of the session (not the server's session id)
 * @param initializeParams the {@code initialize} params as plain JSON-like values
 * @param roots            root URIs the client exposes
 * @param subscriptions    subscribed resource URIs
 * @param toolHints        cached hints per tool name
 */
public record SessionState(String sessionKey, Map<String, Object> initializeParams, List<String> roots,
                           Set<String> subscriptions, Map<String, ToolHints> toolHints) {
    /**
     * Checks the key and copies the collections, so the state is immutable.
     *
     * @param sessionKey the client-side key of the session (not the server's session id)
     * @param initializeParams the {@code initialize} params as plain JSON-like values
     * @param roots root URIs the client exposes
     * @param subscriptions subscribed resource URIs
     * @param toolHints cached hints per tool name
     */
    public SessionState {
        Objects.requireNonNull(sessionKey, "sessionKey");
        initializeParams = Map.copyOf(initializeParams);
        roots = List.copyOf(roots);
        subscriptions = Set.copyOf(subscriptions);
        toolHints = Map.copyOf(toolHints);
    }
}
