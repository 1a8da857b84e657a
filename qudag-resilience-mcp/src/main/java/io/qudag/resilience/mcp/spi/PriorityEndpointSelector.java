package io.qudag.resilience.mcp.spi;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's default {@link EndpointSelector} (spec §1.1 tiers, §1.2 instant redirection): the
 * configured order, with endpoints found down (a failed liveness probe, a transport error, or
 * {@link #markDown}) moved to the back; a live answer or a success brings them forward again. With
 * everything up it returns one shared list (no allocation). Other selectors (the Spring starter's)
 * build on it rather than repeat it.
 */
public final class PriorityEndpointSelector implements EndpointSelector {

    private final List<String> order;
    private final ConcurrentHashMap<String, Boolean> down = new ConcurrentHashMap<>();

    /**
     * Creates a selector over the configured order, every endpoint up.
     *
     * @param order the endpoint ids, primary first
     */
    public PriorityEndpointSelector(List<String> order) {
        this.order = List.copyOf(order);
    }

    /**
     * Moves {@code endpointId} to the back until it is found up again.
     *
     * @param endpointId a configured endpoint's id
     */
    public void markDown(String endpointId) {
        down.put(endpointId, Boolean.TRUE);
    }

    /**
     * Brings {@code endpointId} back to its configured place.
     *
     * @param endpointId a configured endpoint's id
     */
    public void markUp(String endpointId) {
        down.remove(endpointId);
    }

    /**
     * Tells whether an endpoint is currently moved to the back.
     *
     * @param endpointId a configured endpoint's id
     * @return whether {@code endpointId} is currently moved to the back
     */
    public boolean isDown(String endpointId) {
        return down.containsKey(endpointId);
    }

    /** {@return the configured order} */
    public List<String> order() {
        return order;
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
