package io.qudag.resilience.core.fallback;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.internal.Limits;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Answers a failed call with the last successful result of the same call, while it is fresh (spec
 * §3.1 "cached_responses": validity 5 min, TTL-based invalidation). Entries are keyed by tool name
 * and arguments, hold at most {@code maxEntries} (least recently used evicted first) and expire
 * {@code ttl} after they were stored, by the injected {@link Clock}; an entry stored "in the future"
 * (the clock was stepped back since) counts as expired. Plain calls (no {@link ToolCall}) carry no
 * key, so they are neither stored nor answered: two different plain calls must never share an answer.
 */
public final class CachedResponseFallback<R> implements Fallback<R> {

    /** The spec's cache validity. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** Default number of answers kept before the least recently used is evicted. */
    public static final int DEFAULT_MAX_ENTRIES = 1_000;

    private final Duration ttl;
    private final long ttlMillis;
    private final int maxEntries;
    private final Clock clock;
    private final Function<ToolCall, Object> keyFunction;
    private final Map<Object, Entry<R>> entries;

    private record Entry<R>(R value, long storedAtMillis) {
    }

    private CachedResponseFallback(Builder<R> b) {
        this.ttl = b.ttl;
        this.ttlMillis = b.ttl.toMillis();
        this.maxEntries = b.maxEntries;
        this.clock = b.clock;
        this.keyFunction = b.keyFunction;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Entry<R>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * {@return a builder with the spec's defaults: 5 min validity, 1,000 entries, the system clock}
     *
     * @param <R> the result type cached
     */
    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /**
     * {@return a cache with the spec's defaults on the system clock}
     *
     * @param <R> the result type cached
     */
    public static <R> CachedResponseFallback<R> ofDefaults() {
        return CachedResponseFallback.<R>builder().build();
    }

    @Override
    public void onSuccess(ToolCall call, R result) {
        if (result == null || call == null) {
            return;
        }
        Object key = key(call);
        long now = clock.millis();
        synchronized (entries) {
            entries.put(key, new Entry<>(result, now));
        }
    }

    @Override
    public R apply(ToolCall call, CallOutcome outcome, Throwable failure) throws Throwable {
        if (call == null) {
            throw failure;
        }
        Object key = key(call);
        long now = clock.millis();
        synchronized (entries) {
            Entry<R> e = entries.get(key);
            if (e != null) {
                long age = now - e.storedAtMillis();
                if (age >= 0 && age < ttlMillis) {
                    return e.value();
                }
                entries.remove(key);
            }
        }
        throw failure;
    }

    /** {@return number of entries held, expired ones included until they are looked up or evicted} */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** {@return how long a stored answer stays valid; spec 5 min} */
    public Duration ttl() {
        return ttl;
    }

    /** {@return how many answers are kept; the least recently used is evicted beyond it} */
    public int maxEntries() {
        return maxEntries;
    }

    private Object key(ToolCall call) {
        return keyFunction.apply(call);
    }

    /** Builds a {@link CachedResponseFallback}; validates in {@link #build()}. */
    public static final class Builder<R> {
        private Duration ttl = DEFAULT_TTL;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private Clock clock = Clock.systemUTC();
        private Function<ToolCall, Object> keyFunction = call -> List.of(call.toolName(), call.arguments());

        private Builder() {
        }

        /**
         * How long a stored answer stays valid; default 5 min ({@link CachedResponseFallback#DEFAULT_TTL}).
         *
         * @param ttl at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder<R> ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /**
         * How many answers are kept; default 1,000 ({@link CachedResponseFallback#DEFAULT_MAX_ENTRIES}), least recently used evicted.
         *
         * @param maxEntries {@code >= 1}
         * @return this builder
         */
        public Builder<R> maxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * Clock the validity is measured on; default {@code Clock.systemUTC()}.
         *
         * @param clock non-null
         * @return this builder
         */
        public Builder<R> clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * How to key a call; default: tool name and arguments (not the endpoint).
         *
         * @param keyFunction maps a call to its cache key; non-null
         * @return this builder
         */
        public Builder<R> keyFunction(Function<ToolCall, Object> keyFunction) {
            this.keyFunction = keyFunction;
            return this;
        }

        /**
         * Validates the settings and builds an empty cache.
         *
         * @return the fallback
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public CachedResponseFallback<R> build() {
            if (ttl == null || ttl.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
            }
            Limits.atMostMaxDuration("ttl", ttl);
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            if (keyFunction == null) {
                throw new IllegalArgumentException("keyFunction must not be null, was null");
            }
            return new CachedResponseFallback<>(this);
        }
    }
}
