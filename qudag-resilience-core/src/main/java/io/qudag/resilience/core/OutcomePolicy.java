package io.qudag.resilience.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which {@link CallOutcome}s count as failures of the server (what breakers and health indicators
 * count) and which are worth retrying. Immutable and thread-safe.
 *
 * <p>Defaults: SERVER_ERROR, TRANSPORT_ERROR and TIMEOUT are failures
 * and retryable; TOOL_ERROR, CLIENT_ERROR and REJECTED are neither.
 */
public final class OutcomePolicy {

    private static final OutcomePolicy DEFAULTS = builder().build();

    private final boolean[] failure;
    private final boolean[] retryable;
    private final Set<CallOutcome> failureOutcomes;
    private final Set<CallOutcome> retryableOutcomes;

    private OutcomePolicy(Builder b) {
        this.failureOutcomes = Collections.unmodifiableSet(EnumSet.copyOf(b.failure));
        this.retryableOutcomes = b.retryable.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(CallOutcome.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(b.retryable));
        this.failure = new boolean[CallOutcome.values().length];
        this.retryable = new boolean[CallOutcome.values().length];
        for (CallOutcome o : failureOutcomes) {
            failure[o.ordinal()] = true;
        }
        for (CallOutcome o : retryableOutcomes) {
            retryable[o.ordinal()] = true;
        }
    }

    /** {@return the default policy} */
    public static OutcomePolicy defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return whether this outcome counts as a failure of the server} Allocation-free.
     *
     * @param outcome the call's outcome
     */
    public boolean isFailure(CallOutcome outcome) {
        return failure[outcome.ordinal()];
    }

    /**
     * {@return whether a call that ended this way may be retried (if the call itself is safe to repeat)}
     *
     * @param outcome the call's outcome
     */
    public boolean isRetryable(CallOutcome outcome) {
        return retryable[outcome.ordinal()];
    }

    /** {@return the outcomes that count as failures of the server (unmodifiable)} */
    public Set<CallOutcome> failureOutcomes() {
        return failureOutcomes;
    }

    /** {@return the outcomes after which a call safe to repeat may be retried (unmodifiable)} */
    public Set<CallOutcome> retryableOutcomes() {
        return retryableOutcomes;
    }

    @Override
    public String toString() {
        return "OutcomePolicy{failures=" + failureOutcomes + ", retryable=" + retryableOutcomes + '}';
    }

    /** Builds an {@link OutcomePolicy}; validates in {@link #build()}. */
    public static final class Builder {
        private Set<CallOutcome> failure =
                EnumSet.of(CallOutcome.SERVER_ERROR, CallOutcome.TRANSPORT_ERROR, CallOutcome.TIMEOUT);
        private Set<CallOutcome> retryable =
                EnumSet.of(CallOutcome.SERVER_ERROR, CallOutcome.TRANSPORT_ERROR, CallOutcome.TIMEOUT);

        private Builder() {
        }

        /**
         * Outcomes that count as failures; default SERVER_ERROR, TRANSPORT_ERROR, TIMEOUT.
         *
         * @param outcomes at least one; not SUCCESS
         * @return this builder
         */
        public Builder failureOutcomes(Set<CallOutcome> outcomes) {
            this.failure = EnumSet.noneOf(CallOutcome.class);
            this.failure.addAll(Objects.requireNonNull(outcomes, "failureOutcomes"));
            return this;
        }

        /**
         * Outcomes after which a call safe to repeat may be retried; default SERVER_ERROR, TRANSPORT_ERROR, TIMEOUT.
         *
         * @param outcomes any set; not SUCCESS or REJECTED
         * @return this builder
         */
        public Builder retryableOutcomes(Set<CallOutcome> outcomes) {
            this.retryable = EnumSet.noneOf(CallOutcome.class);
            this.retryable.addAll(Objects.requireNonNull(outcomes, "retryableOutcomes"));
            return this;
        }

        /**
         * Validates the sets and builds.
         *
         * @return the immutable policy
         * @throws IllegalArgumentException naming the field and the value when a set is invalid
         */
        public OutcomePolicy build() {
            if (failure.isEmpty()) {
                throw new IllegalArgumentException("failureOutcomes must name at least one outcome, was []");
            }
            if (failure.contains(CallOutcome.SUCCESS)) {
                throw new IllegalArgumentException("failureOutcomes must not contain SUCCESS, was " + failure);
            }
            if (retryable.contains(CallOutcome.SUCCESS) || retryable.contains(CallOutcome.REJECTED)) {
                throw new IllegalArgumentException(
                        "retryableOutcomes must not contain SUCCESS or REJECTED, was " + retryable);
            }
            return new OutcomePolicy(this);
        }
    }
}
