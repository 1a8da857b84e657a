package io.qudag.resilience.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One decision of the {@link FailoverDecisionEngine} (spec §1.2): what triggered it, what it saw,
 * what it did and when. Immutable; delivered to listeners, logged and written to the audit log.
 *
 * @param id                unique id (also the coordinator's commit id)
 * @param group             the endpoint group's name
 * @param condition         the cause; {@link #trigger()} is its family
 * @param action            what was done to the traffic
 * @param sourceEndpointId  the endpoint traffic moved away from (or back to, for undrain/rollback)
 * @param sourceStateBefore its state before
 * @param sourceStateAfter  its state after
 * @param sourceShareBefore its share of all traffic before, 0..1
 * @param sourceShareAfter  its share after, 0..1
 * @param targets           the endpoints whose share rose, with their new share (insertion-ordered)
 * @param inputs            the indicator values the decision rests on (e.g. {@code error_rate=0.12})
 * @param reason            one readable sentence
 * @param detectedAt        when the condition was observed (the outcome or evaluation that saw it)
 * @param decidedAt         when the engine decided
 * @param executedAt        when the new routing took effect
 * @param rollsBack         the id of the decision this one undoes, or {@code null}
 */
public record FailoverDecision(String id, String group, FailoverCondition condition, FailoverAction action,
                               String sourceEndpointId, EndpointState sourceStateBefore,
                               EndpointState sourceStateAfter, double sourceShareBefore, double sourceShareAfter,
                               Map<String, Double> targets, Map<String, Double> inputs, String reason,
                               Instant detectedAt, Instant decidedAt, Instant executedAt, String rollsBack) {

    /**
     * Checks the decision's components.
     *
     * @param id unique id (also the coordinator's commit id)
     * @param group the endpoint group's name
     * @param condition the cause; {@link #trigger()} is its family
     * @param action what was done to the traffic
     * @param sourceEndpointId the endpoint traffic moved away from (or back to, for undrain/rollback)
     * @param sourceStateBefore its state before
     * @param sourceStateAfter its state after
     * @param sourceShareBefore its share of all traffic before, 0..1
     * @param sourceShareAfter its share after, 0..1
     * @param targets the endpoints whose share rose, with their new share (insertion-ordered)
     * @param inputs the indicator values the decision rests on (e.g. {@code error_rate=0.12})
     * @param reason one readable sentence
     * @param detectedAt when the condition was observed (the outcome or evaluation that saw it)
     * @param decidedAt when the engine decided
     * @param executedAt when the new routing took effect
     * @param rollsBack the id of the decision this one undoes, or {@code null}
     */
    public FailoverDecision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(sourceEndpointId, "sourceEndpointId");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(executedAt, "executedAt");
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        reason = reason == null ? "" : reason;
    }

    /** {@return the trigger family of {@link #condition()}} */
    public FailoverTrigger trigger() {
        return condition.trigger();
    }

    /** {@return detection to decision (spec budget: 100 ms)} */
    public Duration decisionLatency() {
        return Duration.between(detectedAt, decidedAt);
    }

    /** {@return decision to new routing in effect (spec budget: 500 ms)} */
    public Duration executionLatency() {
        return Duration.between(decidedAt, executedAt);
    }

    @Override
    public String toString() {
        return "FailoverDecision{" + id + ' ' + condition + ' ' + action + " source=" + sourceEndpointId + ' '
                + sourceStateBefore + "->" + sourceStateAfter + " share " + fmt(sourceShareBefore) + "->"
                + fmt(sourceShareAfter) + " targets=" + targets.keySet() + " reason=" + reason + '}';
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
