package io.qudag.resilience.mcp.internal;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Default {@link EndpointSelector}: the configured order, endpoints the liveness probe found down
 * moved to the back. With everything up it returns one shared list (no allocation).
 */
public final class PriorityEndpointSelector implements EndpointSelector {

    private final List<String> order;
    private final ConcurrentHashMap<String, Boolean> down = new ConcurrentHashMap<>();

    public PriorityEndpointSelector(List<String> order) {
        this.order = List.copyOf(order);
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
        } else if (outcome != CallOutcome.REJECTED && outcome != CallOutcome.TIMEOUT) {
            down.remove(endpointId);
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
}
