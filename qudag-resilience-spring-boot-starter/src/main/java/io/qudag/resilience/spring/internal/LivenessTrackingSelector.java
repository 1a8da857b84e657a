package io.qudag.resilience.spring.internal;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.mcp.event.McpEndpointEvent;
import io.qudag.resilience.mcp.event.McpEventListener;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing of one group (spec §1.1 tiers, §1.2 instant redirection): the configured priority order,
 * with every connection that is not up moved to the back. A connection is up once its session is
 * initialized ({@code CONNECTED}) and until a liveness probe, a transport error or a restart says
 * otherwise; a connection whose server was down at startup is therefore not tried first while a replica
 * can answer. With everything up {@link #select} returns one shared list (no allocation).
 */
public final class LivenessTrackingSelector implements EndpointSelector, McpEventListener {

    private final List<String> order;
    private final ConcurrentHashMap<String, Boolean> down = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> sessions = new ConcurrentHashMap<>();

    public LivenessTrackingSelector(List<String> order) {
        this.order = List.copyOf(order);
        order.forEach(id -> down.put(id, Boolean.TRUE)); // not up until initialized
    }

    /** Whether {@code endpointId} is not up (not yet initialized, or found unreachable). */
    public boolean isDown(String endpointId) {
        return down.containsKey(endpointId);
    }

    /**
     * Whether any endpoint has an initialized session (it may still be marked down by a probe that can
     * be wrong under load; the client then still tries it, and fails over).
     */
    public boolean anySession() {
        return !sessions.isEmpty();
    }

    @Override
    public List<String> select(ToolCall call) {
        if (down.isEmpty()) {
            return order;
        }
        List<String> up = new ArrayList<>(order.size());
        List<String> rest = new ArrayList<>(order.size());
        for (String id : order) {
            (down.containsKey(id) ? rest : up).add(id);
        }
        up.addAll(rest);
        return up;
    }

    @Override
    public void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos) {
        if (outcome == CallOutcome.TRANSPORT_ERROR) {
            down.put(endpointId, Boolean.TRUE);
        }
    }

    @Override
    public void onLiveness(String endpointId, boolean alive) {
        if (alive) {
            down.remove(endpointId);
        } else {
            down.put(endpointId, Boolean.TRUE);
        }
    }

    @Override
    public void onEvent(McpEndpointEvent event) {
        switch (event.type()) {
            case CONNECTED -> {
                sessions.put(event.endpointId(), Boolean.TRUE);
                down.remove(event.endpointId());
            }
            case CONNECTION_LOST -> down.put(event.endpointId(), Boolean.TRUE);
            case CHILD_EXITED, RESTART_SCHEDULED, RESTARTS_EXHAUSTED -> {
                sessions.remove(event.endpointId());
                down.put(event.endpointId(), Boolean.TRUE);
            }
            default -> { }
        }
    }

    @Override
    public String toString() {
        return "LivenessTrackingSelector" + order;
    }
}
