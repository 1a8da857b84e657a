package io.qudag.resilience.mcp.failover.internal;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverCondition;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EndpointSelector} over a failover {@link EndpointGroup} and its {@link FailoverDecisionEngine}.
 * The call path ({@link #select}, {@link #onOutcome}) is the group's lock-free, allocation-free path.
 */
public final class FailoverEndpointSelector implements EndpointSelector {

    private static final Logger log = LoggerFactory.getLogger(FailoverEndpointSelector.class);

    private final FailoverDecisionEngine engine;
    private final EndpointGroup group;

    public FailoverEndpointSelector(FailoverDecisionEngine engine) {
        this.engine = engine;
        this.group = engine.group();
    }

    @Override
    public List<String> select(ToolCall call) {
        return group.rank(call);
    }

    @Override
    public void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos) {
        group.onOutcome(endpointId, outcome, durationNanos);
    }

    @Override
    public void onLiveness(String endpointId, boolean alive) {
        if (alive || !group.status(endpointId).state().routable()) {
            return;
        }
        engine.reportCondition(endpointId, FailoverCondition.SERVER_UNREACHABLE, "connection lost (failed ping or send)")
                .ifPresent(d -> log.debug("endpoint {} failed over on a lost connection: decision {}", endpointId,
                        d.id()));
    }

    @Override
    public String toString() {
        return "FailoverEndpointSelector{" + group.name() + '}';
    }
}
