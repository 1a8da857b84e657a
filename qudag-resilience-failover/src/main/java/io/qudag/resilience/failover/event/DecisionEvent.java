package io.qudag.resilience.failover.event;

import io.qudag.resilience.failover.FailoverDecision;
import java.time.Instant;

/** A {@link FailoverDecision} was made and executed. */
public record DecisionEvent(FailoverDecision decision) implements FailoverEvent {

    @Override
    public String group() {
        return decision.group();
    }

    @Override
    public Instant at() {
        return decision.executedAt();
    }
}
