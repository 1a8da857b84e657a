package io.qudag.resilience.mcp.event;

/** Receives {@link McpEndpointEvent}s. Called on internal threads: return quickly, do not throw. */
@FunctionalInterface
public interface McpEventListener {

    /**
     * Receives one endpoint event.
     *
     * @param event what happened to which endpoint, and when
     */
    void onEvent(McpEndpointEvent event);

    /** {@return a listener that ignores everything} */
    static McpEventListener noop() {
        return e -> { };
    }
}
