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

    public static Builder builder() {
        return new Builder();
    }

    /** {@return the same settings under the new name} */
    public RetryPolicy toPolicy() {
        return policy;
    }

    public int maxAttempts() {
        return policy.maxAttempts();
    }

    public Duration initialBackoff() {
        return policy.initialBackoff();
    }

    public double multiplier() {
        return policy.multiplier();
    }

    public double jitter() {
        return policy.jitter();
    }

    public Duration maxBackoff() {
        return policy.maxBackoff();
    }

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

        public Builder maxAttempts(int maxAttempts) {
            delegate.maxAttempts(maxAttempts);
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            delegate.initialBackoff(initialBackoff);
            return this;
        }

        public Builder multiplier(double multiplier) {
            delegate.multiplier(multiplier);
            return this;
        }

        public Builder jitter(double jitter) {
            delegate.jitter(jitter);
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            delegate.maxBackoff(maxBackoff);
            return this;
        }

        public Builder retryPlainCalls(boolean retryPlainCalls) {
            delegate.retryPlainCalls(retryPlainCalls);
            return this;
        }

        public RetryConfig build() {
            return new RetryConfig(delegate.build());
        }
    }
}
