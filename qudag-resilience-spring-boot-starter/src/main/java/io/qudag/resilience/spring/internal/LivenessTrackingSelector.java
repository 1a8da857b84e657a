package io.qudag.resilience.spring.internal;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.mcp.event.McpEndpointEvent;
import io.qudag.resilience.mcp.event.McpEventListener;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import io.qudag.resilience.mcp.spi.PriorityEndpointSelector;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing of one group (spec §1.1 tiers, §1.2 instant redirection): the configured priority order,
 * with every connection that is not up moved to the back. A connection is up once its session is
 * initialized ({@code CONNECTED}) and until a liveness probe, a transport error or a restart says
 * otherwise; a connection whose server was down at startup is therefore not tried first while a replica
 * can answer. The ordering is the client's own {@link PriorityEndpointSelector}; this class only adds
 * what the starter learns from connection events.
 */
public final class LivenessTrackingSelector implements EndpointSelector, McpEventListener {

    private final PriorityEndpointSelector priority;
    private final ConcurrentHashMap<String, Boolean> sessions = new ConcurrentHashMap<>();

    public LivenessTrackingSelector(List<String> order) {
        this.priority = new PriorityEndpointSelector(order);
        order.forEach(priority::markDown); // not up until initialized
    }

    /** Whether {@code endpointId} is not up (not yet initialized, or found unreachable). */
    public boolean isDown(String endpointId) {
        return priority.isDown(endpointId);
    }

    /**
     * Whether any endpoint has an initialized session (it may still be marked down by a probe that can
     * be wrong under load; the client then still tries it, and fails over).
     */
    public boolean anySession() {
        return !sessions.isEmpty();
    }

    /** The connection the group routes to first: the first in priority order that is up, else the first. */
    public String firstUp() {
        List<String> order = priority.order();
        for (int i = 0; i < order.size(); i++) {
            if (!priority.isDown(order.get(i))) {
                return order.get(i);
            }
        }
        return order.get(0);
    }

    @Override
    public List<String> select(ToolCall call) {
        return priority.select(call);
    }

    @Override
    public void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos) {
        // only liveness or a new session brings a connection forward again, not one lucky call
        if (outcome == CallOutcome.TRANSPORT_ERROR) {
            priority.markDown(endpointId);
        }
    }

    @Override
    public void onLiveness(String endpointId, boolean alive) {
        priority.onLiveness(endpointId, alive);
    }

    @Override
    public void onEvent(McpEndpointEvent event) {
        switch (event.type()) {
            case CONNECTED -> {
                sessions.put(event.endpointId(), Boolean.TRUE);
                priority.markUp(event.endpointId());
            }
            case CONNECTION_LOST -> priority.markDown(event.endpointId());
            case CHILD_EXITED, RESTART_SCHEDULED, RESTARTS_EXHAUSTED -> {
                sessions.remove(event.endpointId());
                priority.markDown(event.endpointId());
            }
            default -> { }
        }
    }

    @Override
    public String toString() {
        return "LivenessTrackingSelector" + priority.order();
    }
}
