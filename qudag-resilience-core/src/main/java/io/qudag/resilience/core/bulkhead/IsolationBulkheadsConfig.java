package io.qudag.resilience.core.bulkhead;

import io.qudag.resilience.core.internal.Limits;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Immutable configuration of {@link IsolationBulkheads}: per {@link IsolationClass} the maximum
 * number of concurrent calls and how long a caller may wait for a permit (default: no wait, reject at
 * once), plus the queue capacity of the thread-pool variant.
 */
public final class IsolationBulkheadsConfig {

    private final Map<IsolationClass, Integer> maxConcurrentCalls;
    private final Map<IsolationClass, Duration> maxWait;
    private final int threadPoolQueueCapacity;

    private IsolationBulkheadsConfig(Builder b) {
        this.maxConcurrentCalls = Collections.unmodifiableMap(new EnumMap<>(b.maxConcurrentCalls));
        this.maxWait = Collections.unmodifiableMap(new EnumMap<>(b.maxWait));
        this.threadPoolQueueCapacity = b.threadPoolQueueCapacity;
    }

    /** {@return the spec's defaults: 50 / 100 / 20 / 10 concurrent calls, no waiting} */
    public static IsolationBulkheadsConfig defaults() {
        return builder().build();
    }

    /** {@return a builder holding the spec's pool sizes, no waiting and a queue of 100} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the permits of one isolation class (spec: CRITICAL 50, USER 100, BACKGROUND 20, EMERGENCY 10)}
     *
     * @param isolationClass the class
     */
    public int maxConcurrentCalls(IsolationClass isolationClass) {
        return maxConcurrentCalls.get(isolationClass);
    }

    /**
     * {@return how long a call of one class may wait for a permit; 0 refuses at once}
     *
     * @param isolationClass the class
     */
    public Duration maxWait(IsolationClass isolationClass) {
        return maxWait.get(isolationClass);
    }

    /** {@return the queue length of each class's thread-pool bulkhead; default 100} */
    public int threadPoolQueueCapacity() {
        return threadPoolQueueCapacity;
    }

    /** Builds an {@link IsolationBulkheadsConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private final Map<IsolationClass, Integer> maxConcurrentCalls = new EnumMap<>(IsolationClass.class);
        private final Map<IsolationClass, Duration> maxWait = new EnumMap<>(IsolationClass.class);
        private int threadPoolQueueCapacity = 100;

        private Builder() {
            for (IsolationClass c : IsolationClass.values()) {
                maxConcurrentCalls.put(c, c.defaultPoolSize());
                maxWait.put(c, Duration.ZERO);
            }
        }

        /**
         * Permits of one isolation class; defaults CRITICAL 50, USER 100, BACKGROUND 20, EMERGENCY 10.
         *
         * @param isolationClass non-null
         * @param calls {@code >= 1}
         * @return this builder
         */
        public Builder maxConcurrentCalls(IsolationClass isolationClass, int calls) {
            maxConcurrentCalls.put(requireClass(isolationClass), calls);
            return this;
        }

        /**
         * How long a call of one class may wait for a permit; default 0 (refuse at once).
         *
         * @param isolationClass non-null
         * @param wait {@code >= 0}, at most 100 years
         * @return this builder
         */
        public Builder maxWait(IsolationClass isolationClass, Duration wait) {
            maxWait.put(requireClass(isolationClass), wait);
            return this;
        }

        private static IsolationClass requireClass(IsolationClass isolationClass) {
            if (isolationClass == null) {
                throw new IllegalArgumentException("isolationClass must not be null, was null");
            }
            return isolationClass;
        }

        /**
         * Queue length of each class's thread-pool bulkhead; default 100.
         *
         * @param capacity {@code >= 1}
         * @return this builder
         */
        public Builder threadPoolQueueCapacity(int capacity) {
            this.threadPoolQueueCapacity = capacity;
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public IsolationBulkheadsConfig build() {
            for (IsolationClass c : IsolationClass.values()) {
                int calls = maxConcurrentCalls.get(c);
                if (calls < 1) {
                    throw new IllegalArgumentException(
                            "maxConcurrentCalls." + c + " must be >= 1, was " + calls);
                }
                Duration wait = maxWait.get(c);
                if (wait == null || wait.isNegative()) {
                    throw new IllegalArgumentException("maxWait." + c + " must be >= 0, was " + wait);
                }
                Limits.atMostMaxDuration("maxWait." + c, wait);
            }
            if (threadPoolQueueCapacity < 1) {
                throw new IllegalArgumentException(
                        "threadPoolQueueCapacity must be >= 1, was " + threadPoolQueueCapacity);
            }
            return new IsolationBulkheadsConfig(this);
        }
    }
}
