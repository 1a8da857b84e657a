package io.qudag.resilience.core.pipeline;

import io.qudag.resilience.core.internal.Limits;
import java.time.Duration;

/**
 * Immutable retry settings of a {@link ResiliencePipeline}: exponential backoff with jitter, run by
 * Resilience4j's {@code Retry}. A call is repeated only when its outcome is retryable by the
 * pipeline's {@code OutcomePolicy} and the call is safe to repeat ({@code ToolHints.safeToRepeat()});
 * a destructive, non-idempotent tool call runs at most once.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration maxBackoff;
    private final boolean retryPlainCalls;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.maxBackoff = b.maxBackoff;
        this.retryPlainCalls = b.retryPlainCalls;
    }

    /** {@return 3 attempts, 100 ms initial backoff, multiplier 2, jitter 0.5, at most 10 s between attempts} */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** {@return a builder holding the {@link #defaults() defaults}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return total attempts, the first included} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the wait before the first retry; default 100 ms} */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** {@return the factor each wait grows by; default 2.0} */
    public double multiplier() {
        return multiplier;
    }

    /** {@return randomization factor: each wait is drawn from {@code backoff × [1 - jitter, 1 + jitter]}} */
    public double jitter() {
        return jitter;
    }

    /** {@return the cap of one wait; default 10 s} */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** {@return whether plain calls (no {@code ToolCall}, so no hints) are treated as safe to repeat} */
    public boolean retryPlainCalls() {
        return retryPlainCalls;
    }

    /** Builds a {@link RetryPolicy}; validates in {@link #build()}. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(100);
        private double multiplier = 2.0;
        private double jitter = 0.5;
        private Duration maxBackoff = Duration.ofSeconds(10);
        private boolean retryPlainCalls = true;

        private Builder() {
        }

        /**
         * Attempts in all, the first included; default 3.
         *
         * @param maxAttempts {@code >= 1}; 1 turns retries off
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Wait before the first retry; default 100 ms.
         *
         * @param initialBackoff a positive duration
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        /**
         * Factor each wait grows by; default 2.0.
         *
         * @param multiplier {@code >= 1}
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Random spread of each wait; default 0.5.
         *
         * @param jitter in [0, 1): each wait is drawn from backoff × [1 - jitter, 1 + jitter]
         * @return this builder
         */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * Cap of one wait; default 10 s.
         *
         * @param maxBackoff {@code >= initialBackoff}, at most 100 years
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /**
         * Whether plain calls (no {@code ToolCall}, so no hints) count as safe to repeat; default true.
         *
         * @param retryPlainCalls false to run plain calls once
         * @return this builder
         */
        public Builder retryPlainCalls(boolean retryPlainCalls) {
            this.retryPlainCalls = retryPlainCalls;
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable policy
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
            if (initialBackoff == null || initialBackoff.isZero() || initialBackoff.isNegative()) {
                throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
            }
            if (Double.isNaN(multiplier) || multiplier < 1.0) {
                throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
            }
            if (Double.isNaN(jitter) || jitter < 0.0 || jitter >= 1.0) {
                throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
            }
            if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff must be >= initialBackoff (" + initialBackoff + "), was " + maxBackoff);
            }
            Limits.atMostMaxDuration("maxBackoff", maxBackoff);
            return new RetryPolicy(this);
        }
    }
}
