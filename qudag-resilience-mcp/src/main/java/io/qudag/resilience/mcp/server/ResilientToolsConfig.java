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

    /**
     * Begins the settings of one server's tools.
     *
     * @param name the server's name: the {@code server} tag of its meters and the prefix of its pipelines; not blank
     * @return a builder with the defaults listed on each of its methods
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the server's name, the {@code server} tag of its meters} */
    public String name() {
        return name;
    }

    /** {@return the bulkhead of each isolation class} */
    public IsolationBulkheadsConfig bulkheads() {
        return bulkheads;
    }

    /**
     * The isolation class a tool runs in.
     *
     * @param tool the tool's name
     * @return its isolation class: the one set for it, else the default class
     */
    public IsolationClass isolationClassOf(String tool) {
        return toolClasses.getOrDefault(tool, defaultIsolationClass);
    }

    /**
     * The time limit of the calls of an isolation class.
     *
     * @param c the isolation class
     * @return the time limit of calls in {@code c}, or {@code null} for none
     */
    public Duration timeLimit(IsolationClass c) {
        return timeLimits.get(c);
    }

    /** {@return the breakers around the handlers' downstream dependencies, shared by every tool} */
    public List<Breaker> breakers() {
        return breakers;
    }

    /** {@return how a refused or timed-out call is answered} */
    public RejectionMode rejectionMode() {
        return rejectionMode;
    }

    /** {@return JSON-RPC code of a rejection in {@link RejectionMode#JSON_RPC_ERROR} mode} */
    public int rejectionErrorCode() {
        return rejectionErrorCode;
    }

    /** {@return where the decorator's meters go, or {@code null} for none} */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * {@return the executor of synchronous handlers that have a time limit, or {@code null} for the pipeline's own}
     */
    public ExecutorService executor() {
        return executor;
    }

    /** {@return the clock of the pipelines' breakers and time limits} */
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

        /**
         * The bulkhead of each isolation class (default {@link IsolationBulkheadsConfig#defaults()}).
         *
         * @param config the bulkheads' settings, not {@code null}
         * @return this builder
         */
        public Builder bulkheads(IsolationBulkheadsConfig config) {
            this.bulkheads = config;
            return this;
        }

        /**
         * The isolation class of tools given none (default {@link IsolationClass#USER}).
         *
         * @param c the class, not {@code null}
         * @return this builder
         */
        public Builder defaultIsolationClass(IsolationClass c) {
            this.defaultIsolationClass = c;
            return this;
        }

        /**
         * Runs {@code tool} in isolation class {@code c}.
         *
         * @param tool the tool's name, not blank
         * @param c its isolation class, not {@code null}
         * @return this builder
         */
        public Builder isolationClass(String tool, IsolationClass c) {
            toolClasses.put(tool, c);
            return this;
        }

        /**
         * Every call in {@code c} must finish within {@code limit}.
         *
         * @param c the isolation class
         * @param limit a positive duration
         * @return this builder
         */
        public Builder timeLimit(IsolationClass c, Duration limit) {
            timeLimits.put(c, limit);
            return this;
        }

        /**
         * Every call in any class must finish within {@code limit} (unless a class has its own).
         *
         * @param limit a positive duration
         * @return this builder
         */
        public Builder timeLimit(Duration limit) {
            for (IsolationClass c : IsolationClass.values()) {
                timeLimits.putIfAbsent(c, limit);
            }
            return this;
        }

        /**
         * A breaker around the handlers' downstream dependency (shared by every tool; spec §3.1).
         *
         * @param breaker the breaker to add
         * @return this builder
         */
        public Builder breaker(Breaker breaker) {
            breakers.add(breaker);
            return this;
        }

        /**
         * How a refused or timed-out call is answered (default {@link RejectionMode#TOOL_ERROR_RESULT}).
         *
         * @param mode the rejection mode, not {@code null}
         * @return this builder
         */
        public Builder rejectionMode(RejectionMode mode) {
            this.rejectionMode = mode;
            return this;
        }

        /**
         * The JSON-RPC code of a rejection in {@link RejectionMode#JSON_RPC_ERROR} mode (default -32603,
         * internal error).
         *
         * @param code a negative JSON-RPC error code
         * @return this builder
         */
        public Builder rejectionErrorCode(int code) {
            this.rejectionErrorCode = code;
            return this;
        }

        /**
         * Where the decorator's meters go (default: none).
         *
         * @param registry the registry, or {@code null} for none
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The executor of synchronous handlers that have a time limit (default: the pipeline's own).
         *
         * @param executor the executor, or {@code null} for the pipeline's own
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = executor;
            return this;
        }

        /**
         * The clock of the pipelines' breakers and time limits (default {@link Clock#systemUTC()}).
         *
         * @param clock the clock, not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Runs each idempotency key (request {@code _meta} entry
         * {@link io.qudag.resilience.mcp.IdempotencyKeys#META_KEY}) of a tool that is neither
         * read-only nor idempotent at most once, keeping intents and results in {@code store} (open it
         * over a SYNC or GROUP_COMMIT journal). Needs {@code qudag-resilience-recovery} on the class path.
         *
         * @param store the store, or {@code null} (the default) for no deduplication
         * @return this builder
         */
        public Builder idempotencyStore(IdempotencyStore store) {
            this.idempotencyStore = store;
            return this;
        }

        /**
         * How long a repeat of a key still running here waits before it is told "in progress" (default 5 s).
         *
         * @param wait zero or more
         * @return this builder
         */
        public Builder inProgressWait(Duration wait) {
            this.inProgressWait = wait;
            return this;
        }

        /**
         * Validates the settings and builds the immutable config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the field and value of the first invalid setting
         */
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
