package io.qudag.resilience.mcp.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.core.spi.Breaker;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Immutable settings of {@link ResilientTools}: which isolation class (bulkhead, spec §1.3 "Bulkhead Pattern") each tool
 * runs in, the time limit per class, the breakers around the handlers' downstream calls, and how a
 * refusal is answered, and optionally where at-most-once calls keep their intents and results (spec
 * §4.2). Built by {@link Builder}, validated in {@link Builder#build()}.
 */
public final class ResilientToolsConfig {

    private final String name;
    private final IsolationBulkheadsConfig bulkheads;
    private final IsolationClass defaultIsolationClass;
    private final Map<String, IsolationClass> toolClasses;
    private final Map<IsolationClass, Duration> timeLimits;
    private final List<Breaker> breakers;
    private final RejectionMode rejectionMode;
    private final int rejectionErrorCode;
    private final MeterRegistry meterRegistry;
    private final ExecutorService executor;
    private final Clock clock;
    private final IdempotencyStore idempotencyStore;
    private final Duration inProgressWait;

    private ResilientToolsConfig(Builder b) {
        this.name = b.name;
        this.bulkheads = b.bulkheads;
        this.defaultIsolationClass = b.defaultIsolationClass;
        this.toolClasses = Map.copyOf(b.toolClasses);
        this.timeLimits = new EnumMap<>(b.timeLimits);
        this.breakers = List.copyOf(b.breakers);
        this.rejectionMode = b.rejectionMode;
        this.rejectionErrorCode = b.rejectionErrorCode;
        this.meterRegistry = b.meterRegistry;
        this.executor = b.executor;
        this.clock = b.clock;
        this.idempotencyStore = b.idempotencyStore;
        this.inProgressWait = b.inProgressWait;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public IsolationBulkheadsConfig bulkheads() {
        return bulkheads;
    }

    /** {@return the isolation class of {@code tool}} */
    public IsolationClass isolationClassOf(String tool) {
        return toolClasses.getOrDefault(tool, defaultIsolationClass);
    }

    /** {@return the time limit of calls in {@code c}, or {@code null} for none} */
    public Duration timeLimit(IsolationClass c) {
        return timeLimits.get(c);
    }

    public List<Breaker> breakers() {
        return breakers;
    }

    public RejectionMode rejectionMode() {
        return rejectionMode;
    }

    /** {@return JSON-RPC code of a rejection in {@link RejectionMode#JSON_RPC_ERROR} mode} */
    public int rejectionErrorCode() {
        return rejectionErrorCode;
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Runs synchronous handlers that have a time limit; {@code null}: the pipeline's own. */
    public ExecutorService executor() {
        return executor;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * {@return where intents and results of keyed calls to tools that are neither read-only nor idempotent
     * are kept, or {@code null}: no deduplication (the default)}
     */
    public IdempotencyStore idempotencyStore() {
        return idempotencyStore;
    }

    /** {@return how long a repeat of a key still running on this server waits for its result} */
    public Duration inProgressWait() {
        return inProgressWait;
    }

    /** Builds a {@link ResilientToolsConfig}. */
    public static final class Builder {
        private final String name;
        private IsolationBulkheadsConfig bulkheads = IsolationBulkheadsConfig.defaults();
        private IsolationClass defaultIsolationClass = IsolationClass.USER;
        private final Map<String, IsolationClass> toolClasses = new HashMap<>();
        private final Map<IsolationClass, Duration> timeLimits = new EnumMap<>(IsolationClass.class);
        private final List<Breaker> breakers = new ArrayList<>();
        private RejectionMode rejectionMode = RejectionMode.TOOL_ERROR_RESULT;
        private int rejectionErrorCode = McpSchema.ErrorCodes.INTERNAL_ERROR;
        private MeterRegistry meterRegistry;
        private ExecutorService executor;
        private Clock clock = Clock.systemUTC();
        private IdempotencyStore idempotencyStore;
        private Duration inProgressWait = Duration.ofSeconds(5);

        private Builder(String name) {
            this.name = name;
        }

        public Builder bulkheads(IsolationBulkheadsConfig config) {
            this.bulkheads = config;
            return this;
        }

        public Builder defaultIsolationClass(IsolationClass c) {
            this.defaultIsolationClass = c;
            return this;
        }

        /** Runs {@code tool} in isolation class {@code c}. */
        public Builder isolationClass(String tool, IsolationClass c) {
            toolClasses.put(tool, c);
            return this;
        }

        /** Every call in {@code c} must finish within {@code limit}. */
        public Builder timeLimit(IsolationClass c, Duration limit) {
            timeLimits.put(c, limit);
            return this;
        }

        /** Every call in any class must finish within {@code limit} (unless a class has its own). */
        public Builder timeLimit(Duration limit) {
            for (IsolationClass c : IsolationClass.values()) {
                timeLimits.putIfAbsent(c, limit);
            }
            return this;
        }

        /** A breaker around the handlers' downstream dependency (shared by every tool). */
        public Builder breaker(Breaker breaker) {
            breakers.add(breaker);
            return this;
        }

        public Builder rejectionMode(RejectionMode mode) {
            this.rejectionMode = mode;
            return this;
        }

        public Builder rejectionErrorCode(int code) {
            this.rejectionErrorCode = code;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder executor(ExecutorService executor) {
            this.executor = executor;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Runs each idempotency key (request {@code _meta} entry
         * {@link io.qudag.resilience.mcp.IdempotencyKeys#META_KEY}) of a tool that is neither
         * read-only nor idempotent at most once, keeping intents and results in {@code store} (open it
         * over a SYNC or GROUP_COMMIT journal). Needs {@code qudag-resilience-recovery} on the class path.
         */
        public Builder idempotencyStore(IdempotencyStore store) {
            this.idempotencyStore = store;
            return this;
        }

        /** How long a repeat of a key still running here waits before it is told "in progress" (default 5 s). */
        public Builder inProgressWait(Duration wait) {
            this.inProgressWait = wait;
            return this;
        }

        public ResilientToolsConfig build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            if (bulkheads == null) {
                throw new IllegalArgumentException("bulkheads must not be null");
            }
            if (defaultIsolationClass == null) {
                throw new IllegalArgumentException("defaultIsolationClass must not be null");
            }
            for (Map.Entry<String, IsolationClass> e : toolClasses.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                    throw new IllegalArgumentException("isolationClass." + e.getKey() + " must name a tool and a class, was "
                            + e.getValue());
                }
            }
            for (Map.Entry<IsolationClass, Duration> e : timeLimits.entrySet()) {
                if (e.getValue() == null || e.getValue().isZero() || e.getValue().isNegative()) {
                    throw new IllegalArgumentException("timeLimit." + e.getKey() + " must be > 0, was " + e.getValue());
                }
            }
            if (rejectionMode == null) {
                throw new IllegalArgumentException("rejectionMode must not be null");
            }
            if (rejectionErrorCode >= 0) {
                throw new IllegalArgumentException("rejectionErrorCode must be a negative JSON-RPC code, was "
                        + rejectionErrorCode);
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            if (inProgressWait == null || inProgressWait.isNegative()) {
                throw new IllegalArgumentException("inProgressWait must be >= 0, was " + inProgressWait);
            }
            return new ResilientToolsConfig(this);
        }
    }
}
