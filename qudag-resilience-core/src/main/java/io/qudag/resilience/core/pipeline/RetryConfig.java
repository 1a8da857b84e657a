package io.qudag.resilience.core.pipeline;

import java.time.Duration;

/**
 * The former name of {@link RetryPolicy}, kept for one release so existing code compiles.
 *
 * @deprecated use {@link RetryPolicy}: this name collided with Resilience4j's
 *     {@code io.github.resilience4j.retry.RetryConfig} on the same classpath
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class RetryConfig {

    private final RetryPolicy policy;

    private RetryConfig(RetryPolicy policy) {
        this.policy = policy;
    }

    /** {@return the defaults of {@link RetryPolicy#defaults()}} */
    public static RetryConfig defaults() {
        return new RetryConfig(RetryPolicy.defaults());
    }

    /** {@return a builder holding the defaults of {@link RetryPolicy#builder()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the same settings under the new name} */
    public RetryPolicy toPolicy() {
        return policy;
    }

    /** {@return attempts in all, the first included; default 3} */
    public int maxAttempts() {
        return policy.maxAttempts();
    }

    /** {@return the wait before the first retry; default 100 ms} */
    public Duration initialBackoff() {
        return policy.initialBackoff();
    }

    /** {@return the factor each wait grows by; default 2.0} */
    public double multiplier() {
        return policy.multiplier();
    }

    /** {@return the random spread of each wait (0.5: drawn from backoff × [0.5, 1.5])} */
    public double jitter() {
        return policy.jitter();
    }

    /** {@return the cap of one wait; default 10 s} */
    public Duration maxBackoff() {
        return policy.maxBackoff();
    }

    /** {@return whether plain calls (no {@code ToolCall}) count as safe to repeat; default true} */
    public boolean retryPlainCalls() {
        return policy.retryPlainCalls();
    }

    /**
     * Builds a {@link RetryConfig}; validates like {@link RetryPolicy.Builder}.
     *
     * @deprecated use {@link RetryPolicy#builder()}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static final class Builder {
        private final RetryPolicy.Builder delegate = RetryPolicy.builder();

        private Builder() {
        }

        /**
         * Attempts in all, the first included; default 3.
         *
         * @param maxAttempts {@code >= 1}
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            delegate.maxAttempts(maxAttempts);
            return this;
        }

        /**
         * Wait before the first retry; default 100 ms.
         *
         * @param initialBackoff a positive duration
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            delegate.initialBackoff(initialBackoff);
            return this;
        }

        /**
         * Factor each wait grows by; default 2.0.
         *
         * @param multiplier {@code >= 1}
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            delegate.multiplier(multiplier);
            return this;
        }

        /**
         * Random spread of each wait; default 0.5.
         *
         * @param jitter in [0, 1): each wait is drawn from backoff × [1 - jitter, 1 + jitter]
         * @return this builder
         */
        public Builder jitter(double jitter) {
            delegate.jitter(jitter);
            return this;
        }

        /**
         * Cap of one wait; default 10 s.
         *
         * @param maxBackoff {@code >= initialBackoff}, at most 100 years
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            delegate.maxBackoff(maxBackoff);
            return this;
        }

        /**
         * Whether plain calls (no {@code ToolCall}, so no hints) count as safe to repeat; default true.
         *
         * @param retryPlainCalls false to run plain calls once
         * @return this builder
         */
        public Builder retryPlainCalls(boolean retryPlainCalls) {
            delegate.retryPlainCalls(retryPlainCalls);
            return this;
        }

        /**
         * Validates like {@link RetryPolicy.Builder#build()} and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public RetryConfig build() {
            return new RetryConfig(delegate.build());
        }
    }
}
