package io.qudag.resilience.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.health.HealthIndicators;
import io.qudag.resilience.core.health.HealthModel;
import io.qudag.resilience.core.internal.Limits;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.ResiliencePipelineConfig;
import io.qudag.resilience.mcp.event.McpEventListener;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Immutable settings of a {@link ResilientMcpClient}: the endpoints (one, or a group tried in order),
 * per-call deadlines, liveness probing, stdio restart policy, hedging, the per-endpoint
 * {@link ResiliencePipeline} and the injectable clock, ticker, scheduler and meter registry. Built by
 * {@link Builder}, which validates everything in {@link Builder#build()}. It states how the client
 * applies the spec's failover (§1.1 tiers, §1.2 decision engine), breakers and bulkheads (§1.3, §3.1),
 * health monitoring (§2.1) and idempotent recovery of calls (§4.2) to MCP endpoints.
 */
public final class ResilientMcpClientConfig {

    private final List<McpEndpoint> endpoints;
    private final Duration callTimeout;
    private final Duration sdkRequestTimeout;
    private final Duration initializationTimeout;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private static final Duration DEFAULT_LIVENESS_TIMEOUT_FLOOR = Duration.ofMillis(750);
    /** The default floor of the adaptive hedge delay. */
    private static final Duration DEFAULT_HEDGE_FLOOR = Duration.ofMillis(100);

    private final Duration livenessTimeoutFloor;
    private final Duration restartInitialBackoff;
    private final Duration restartMaxBackoff;
    private final int maxRestarts;
    private final Duration restartResetAfter;
    private final int sessionRetries;
    private final Duration hedgeDelay;
    private final int maxHedges;
    private final boolean adaptiveHedging;
    private final double retryBudgetRatio;
    private final int retryBudgetMinPerSecond;
    private final Duration retryBudgetWindow;
    private final boolean logArguments;
    private final boolean coalesceReadOnlyCalls;
    private final io.qudag.resilience.core.plan.ContinuityPolicy continuity;
    private final int maxConcurrentCalls;
    private final Function<String, ResiliencePipeline<McpSchema.CallToolResult>> pipelineFactory;
    private final OutcomePolicy outcomePolicy;
    private final EndpointSelector endpointSelector;
    private final LatencyRoutingConfig latencyRouting;
    private final McpEventListener eventListener;
    private final MeterRegistry meterRegistry;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final McpSchema.Implementation clientInfo;
    private final java.util.function.Consumer<McpSchema.ProgressNotification> progressConsumer;
    private final HealthModel healthModel;
    private final IdempotencyStore idempotencyStore;
    private final boolean serversDeduplicate;

    private ResilientMcpClientConfig(Builder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.callTimeout = b.callTimeout;
        this.sdkRequestTimeout = b.sdkRequestTimeout;
        this.initializationTimeout = b.initializationTimeout;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.livenessTimeoutFloor = b.effectiveLivenessTimeoutFloor();
        this.restartInitialBackoff = b.restartInitialBackoff;
        this.restartMaxBackoff = b.restartMaxBackoff;
        this.maxRestarts = b.maxRestarts;
        this.restartResetAfter = b.restartResetAfter;
        this.sessionRetries = b.sessionRetries;
        this.hedgeDelay = b.hedgeDelay;
        this.maxHedges = b.maxHedges;
        this.adaptiveHedging = b.adaptiveHedging;
        this.retryBudgetRatio = b.retryBudgetRatio;
        this.retryBudgetMinPerSecond = b.retryBudgetMinPerSecond;
        this.retryBudgetWindow = b.retryBudgetWindow;
        this.logArguments = b.logArguments;
        this.coalesceReadOnlyCalls = b.coalesceReadOnlyCalls;
        this.continuity = b.continuity;
        this.maxConcurrentCalls = b.maxConcurrentCalls;
        this.pipelineFactory = b.pipelineFactory;
        this.outcomePolicy = b.outcomePolicy;
        this.endpointSelector = b.endpointSelector;
        this.latencyRouting = b.latencyRouting;
        this.eventListener = b.eventListener;
        this.meterRegistry = b.meterRegistry;
        this.scheduler = b.scheduler;
        this.clock = b.clock;
        this.nanoTime = b.nanoTime;
        this.clientInfo = b.clientInfo;
        this.progressConsumer = b.progressConsumer;
        this.healthModel = b.healthModel;
        this.idempotencyStore = b.idempotencyStore;
        this.serversDeduplicate = b.serversDeduplicate;
    }

    /** {@return a new builder with the defaults listed on each of its methods} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the endpoints, in priority order (the first is the primary)} */
    public List<McpEndpoint> endpoints() {
        return endpoints;
    }

    /** {@return the default deadline of one tool call, independent of the SDK request timeout} */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** {@return the SDK client's own request timeout (a backstop; should exceed {@link #callTimeout()})} */
    public Duration sdkRequestTimeout() {
        return sdkRequestTimeout;
    }

    /** {@return how long {@code create} waits for a first endpoint to complete the MCP handshake} */
    public Duration initializationTimeout() {
        return initializationTimeout;
    }

    /** {@return how often each endpoint is pinged, or {@code null} when liveness probing is off} */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * {@return the ceiling of the adaptive liveness timeout: a ping unanswered this long (with nothing else heard
     * from the server meanwhile) always makes the endpoint SUSPECT} It is also the timeout before the
     * first ping was answered.
     */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /**
     * {@return the floor of the adaptive liveness timeout} The timeout follows the observed ping round trips
     * (RFC 6298: {@code srtt + 4·rttvar}) between this floor and {@link #pingTimeout()}, so a server
     * that answers pings in a millisecond is suspected about {@code pingInterval + floor} after it goes
     * silent, while a slow link keeps a longer timeout. The floor is what a stop-the-world pause of the
     * server must stay under to go unnoticed.
     */
    public Duration livenessTimeoutFloor() {
        return livenessTimeoutFloor;
    }

    /**
     * {@return the first delay before a lost session is reconnected (doubling up to {@link #restartMaxBackoff()})}
     */
    public Duration restartInitialBackoff() {
        return restartInitialBackoff;
    }

    /** {@return the longest delay between reconnection attempts of one endpoint} */
    public Duration restartMaxBackoff() {
        return restartMaxBackoff;
    }

    /** {@return restarts (reconnects) in a row after which an endpoint is given up ({@code FAILED})} */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** {@return a session that stayed up this long resets the restart count} */
    public Duration restartResetAfter() {
        return restartResetAfter;
    }

    /** {@return transparent re-sends after "session terminated", for tools safe to repeat} */
    public int sessionRetries() {
        return sessionRetries;
    }

    /** {@return delay before a hedge is sent for a read-only tool, or {@code null} when hedging is off} */
    public Duration hedgeDelay() {
        return hedgeDelay;
    }

    /**
     * {@return whether the hedge delay adapts: the tool's recent high latency (about its p95) on the endpoint
     * tried first or on the next one, whichever is shorter, never below {@link #hedgeDelay()}}
     */
    public boolean adaptiveHedging() {
        return adaptiveHedging;
    }

    /** {@return extra attempts a hedged call may start on other endpoints} */
    public int maxHedges() {
        return maxHedges;
    }

    /**
     * {@return extra attempts (pipeline retries, failovers of a call to the next endpoint, hedges) allowed per call
     * over {@link #retryBudgetWindow()}, on top of {@link #retryBudgetMinPerSecond()} (default 0.2)}
     */
    public double retryBudgetRatio() {
        return retryBudgetRatio;
    }

    /** {@return extra attempts allowed per second of the window whatever the call count (default 10)} */
    public int retryBudgetMinPerSecond() {
        return retryBudgetMinPerSecond;
    }

    /** {@return the sliding window of the retry budget, whole seconds (default 10 s)} */
    public Duration retryBudgetWindow() {
        return retryBudgetWindow;
    }

    /** {@return whether logs may print tool arguments (they may hold secrets; default false)} */
    public boolean logArguments() {
        return logArguments;
    }

    /** {@return whether identical in-flight calls of read-only tools share one request (default false)} */
    public boolean coalesceReadOnlyCalls() {
        return coalesceReadOnlyCalls;
    }

    /** {@return the business-continuity policy the client checks before sending, or {@code null} (default: none)} */
    public io.qudag.resilience.core.plan.ContinuityPolicy continuity() {
        return continuity;
    }

    /** {@return the most tool calls in flight at once, 0 for no limit (default 0)} */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /**
     * {@return the factory of the pipeline each endpoint's calls run through (by endpoint id), or {@code null} for the default}
     */
    public Function<String, ResiliencePipeline<McpSchema.CallToolResult>> pipelineFactory() {
        return pipelineFactory;
    }

    /** {@return how call outcomes are classified and which of them count against an endpoint's breakers} */
    public OutcomePolicy outcomePolicy() {
        return outcomePolicy;
    }

    /** {@return the routing seam, or {@code null} for the default priority order} */
    public EndpointSelector endpointSelector() {
        return endpointSelector;
    }

    /** {@return the latency-aware choice inside a tier of the default endpoint selector} */
    public LatencyRoutingConfig latencyRouting() {
        return latencyRouting;
    }

    /** {@return the listener of endpoint lifecycle events (connected, lost, suspected, restarted, ...)} */
    public McpEventListener eventListener() {
        return eventListener;
    }

    /** {@return where meters go, or {@code null} for none} */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** {@return the scheduler for deadlines, pings, hedges and restarts, or {@code null} to let the client own one} */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** {@return the wall clock of event timestamps and breaker state} */
    public Clock clock() {
        return clock;
    }

    /** {@return the monotonic ticker (nanoseconds) that measures call latencies and deadlines} */
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    /** {@return the client name and version sent in the MCP {@code initialize} request} */
    public McpSchema.Implementation clientInfo() {
        return clientInfo;
    }

    /** {@return the receiver of progress notifications of every endpoint, or {@code null} for none} */
    public java.util.function.Consumer<McpSchema.ProgressNotification> progressConsumer() {
        return progressConsumer;
    }

    /**
     * {@return the model each endpoint's {@code HealthMonitor} scores with (spec §1.2, §2.1); the client feeds
     * {@code response_time} (ms), {@code error_rate} (0/1 per call) and {@code connection_success_rate}
     * (0/1 per ping) where the model has them}
     */
    public HealthModel healthModel() {
        return healthModel;
    }

    /**
     * {@return where the intents and results of calls to tools that are neither read-only nor idempotent are
     * recorded (spec §4.2), or {@code null} (the default): such calls are then sent without a key}
     */
    public IdempotencyStore idempotencyStore() {
        return idempotencyStore;
    }

    /**
     * {@return whether every endpoint deduplicates by idempotency key (runs {@code ResilientTools} with an
     * idempotency store): keyed calls are then retried and failed over like idempotent ones}
     */
    public boolean serversDeduplicate() {
        return serversDeduplicate;
    }

    /** Builds a {@link ResilientMcpClientConfig}. */
    public static final class Builder {
        private final List<McpEndpoint> endpoints = new ArrayList<>();
        private Duration callTimeout = Duration.ofSeconds(30);
        private Duration sdkRequestTimeout = Duration.ofMinutes(5);
        private Duration initializationTimeout = Duration.ofSeconds(20);
        private Duration pingInterval = Duration.ofMillis(250);
        private Duration pingTimeout = Duration.ofSeconds(5);
        private Duration livenessTimeoutFloor;
        private Duration restartInitialBackoff = Duration.ofMillis(100);
        private Duration restartMaxBackoff = Duration.ofSeconds(10);
        private int maxRestarts = 5;
        private Duration restartResetAfter = Duration.ofSeconds(60);
        private int sessionRetries = 1;
        private Duration hedgeDelay = DEFAULT_HEDGE_FLOOR;
        private int maxHedges = 1;
        private boolean adaptiveHedging = true;
        private double retryBudgetRatio = 0.2;
        private int retryBudgetMinPerSecond = 10;
        private Duration retryBudgetWindow = Duration.ofSeconds(10);
        private boolean logArguments;
        private boolean coalesceReadOnlyCalls;
        private io.qudag.resilience.core.plan.ContinuityPolicy continuity;
        private int maxConcurrentCalls;
        private Function<String, ResiliencePipeline<McpSchema.CallToolResult>> pipelineFactory;
        private OutcomePolicy outcomePolicy = OutcomePolicy.defaults();
        private EndpointSelector endpointSelector;
        private LatencyRoutingConfig latencyRouting = LatencyRoutingConfig.defaults();
        private McpEventListener eventListener = McpEventListener.noop();
        private MeterRegistry meterRegistry;
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = ResiliencePipelineConfig.SYSTEM_NANO_TIME;
        private McpSchema.Implementation clientInfo = McpSchema.Implementation.builder("qudag-resilience-mcp", "0.1.0").build();
        private java.util.function.Consumer<McpSchema.ProgressNotification> progressConsumer;
        private HealthModel healthModel = HealthIndicators.primary();
        private IdempotencyStore idempotencyStore;
        private boolean serversDeduplicate;

        private Builder() {
        }

        /**
         * Adds an endpoint; the order of calls is the priority order of the group.
         *
         * @param endpoint the endpoint to add; its id must be unique in this client
         * @return this builder
         */
        public Builder endpoint(McpEndpoint endpoint) {
            endpoints.add(endpoint);
            return this;
        }

        /**
         * Adds endpoints in order, after those already added (the order is the priority order).
         *
         * @param list the endpoints to add; ids must be unique in this client
         * @return this builder
         */
        public Builder endpoints(List<McpEndpoint> list) {
            endpoints.addAll(list);
            return this;
        }

        /**
         * The default deadline of one tool call (default 30 s), overridable per call.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder callTimeout(Duration d) {
            this.callTimeout = d;
            return this;
        }

        /**
         * The SDK client's own request timeout (default 5 min), a backstop that should exceed the call timeout.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder sdkRequestTimeout(Duration d) {
            this.sdkRequestTimeout = d;
            return this;
        }

        /**
         * How long {@code create} waits for a first endpoint to complete the MCP handshake (default 20 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder initializationTimeout(Duration d) {
            this.initializationTimeout = d;
            return this;
        }

        /**
         * How often each endpoint is pinged to detect a silent server (default 250 ms).
         *
         * @param d a positive duration, or {@code null} to turn liveness probing off
         * @return this builder
         */
        public Builder pingInterval(Duration d) {
            this.pingInterval = d;
            return this;
        }

        /**
         * The ceiling of the adaptive liveness timeout (default 5 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder pingTimeout(Duration d) {
            this.pingTimeout = d;
            return this;
        }

        /**
         * The floor of the adaptive liveness timeout; at most {@code pingTimeout}. Unset, it is 750 ms,
         * or {@code pingTimeout} when that is shorter.
         *
         * @param d a positive duration, at most the ping timeout
         * @return this builder
         */
        public Builder livenessTimeoutFloor(Duration d) {
            this.livenessTimeoutFloor = d;
            return this;
        }

        /**
         * The backoff between reconnections of a lost endpoint: {@code initial}, doubling up to {@code max}
         * (default 100 ms to 10 s).
         *
         * @param initial the first delay, positive
         * @param max the longest delay, at least {@code initial}
         * @return this builder
         */
        public Builder restartBackoff(Duration initial, Duration max) {
            this.restartInitialBackoff = initial;
            this.restartMaxBackoff = max;
            return this;
        }

        /**
         * Restarts in a row after which an endpoint is given up as {@code FAILED} (default 5).
         *
         * @param n zero or more
         * @return this builder
         */
        public Builder maxRestarts(int n) {
            this.maxRestarts = n;
            return this;
        }

        /**
         * How long a session must stay up to reset the restart count (default 60 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder restartResetAfter(Duration d) {
            this.restartResetAfter = d;
            return this;
        }

        /**
         * Transparent re-sends, after a server restart ended the session, of calls safe to repeat (default 1).
         *
         * @param n zero or more
         * @return this builder
         */
        public Builder sessionRetries(int n) {
            this.sessionRetries = n;
            return this;
        }

        /**
         * Hedges read-only tools after a fixed {@code delay}, on up to {@code maxHedges} more endpoints;
         * {@code null} turns hedging off. The default is adaptive hedging, see {@link #adaptiveHedging}.
         *
         * @param delay how long the first attempt runs before a hedge is sent, zero or more; {@code null} for no hedging
         * @param maxHedges the most extra attempts per call, at least 1
         * @return this builder
         */
        public Builder hedging(Duration delay, int maxHedges) {
            this.hedgeDelay = delay;
            this.maxHedges = maxHedges;
            this.adaptiveHedging = false;
            return this;
        }

        /**
         * Turns adaptive hedging of read-only tools on: a hedge goes to the next endpoint once the call has
         * taken longer than the tool's recent p95 (estimated) on the endpoint tried first, or on the next
         * endpoint when that is shorter (a replica that turned slow has learned a long p95 of its own), and
         * never sooner than {@code floor}. A call made before the tool has answered on either looks for
         * those answers again every {@code floor} (at least 10 ms) and hedges after {@code pingTimeout} (the
         * liveness ceiling) when none came: slow cannot be told from stuck without them.
         * Hedges are paid from the retry budget; one the budget refuses is asked again after one delay, then
         * two, four..., and a hedge away from an endpoint silent for 1.5 × the longer of the delay and
         * {@code pingInterval} (a live server answers a ping within that) is free. This is the default, with
         * a 100 ms floor and one hedge: only calls of read-only tools of trusted endpoints, with two
         * endpoints or more, are hedged.
         *
         * @param floor the shortest hedge delay, zero or more
         * @param maxHedges the most extra attempts per call, at least 1
         * @return this builder
         */
        public Builder adaptiveHedging(Duration floor, int maxHedges) {
            hedging(floor, maxHedges);
            this.adaptiveHedging = true;
            return this;
        }

        /**
         * Turns hedging off: a read-only call goes to one endpoint at a time (failover only).
         *
         * @return this builder
         */
        public Builder noHedging() {
            return hedging(null, 1);
        }

        /**
         * The retry budget: extra attempts at most {@code ratio} of the calls over {@code window} plus
         * {@code minPerSecond} per second (Finagle/Envoy style); a refused extra attempt is not sent.
         *
         * @param ratio extra attempts per call, in [0, 1000] (default 0.2)
         * @param minPerSecond extra attempts allowed per second whatever the call count, zero or more (default 10)
         * @param window the sliding window, whole seconds in [1 s, 1 h] (default 10 s)
         * @return this builder
         */
        public Builder retryBudget(double ratio, int minPerSecond, Duration window) {
            this.retryBudgetRatio = ratio;
            this.retryBudgetMinPerSecond = minPerSecond;
            this.retryBudgetWindow = window;
            return this;
        }

        /**
         * Whether logs may print tool arguments (default false: they may hold secrets).
         *
         * @param logArguments {@code true} to log arguments
         * @return this builder
         */
        public Builder logArguments(boolean logArguments) {
            this.logArguments = logArguments;
            return this;
        }

        /**
         * Lets identical calls in flight at the same time share one request and its result (default
         * false): same tool, same arguments (compared as canonical JSON) and same deadline, only for tools
         * that every endpoint which listed them trusts as read-only, never when the caller set
         * {@code _meta} (a progress token, an idempotency key). Off by default because a coalesced caller
         * gets a result it did not itself request, which is only safe for read-only tools of trusted
         * servers. Each caller gets its own future: cancelling it leaves the shared request and the
         * other callers alone. Coalesced calls are counted by {@code qudag.resilience.mcp.coalesced}.
         *
         * @param coalesce {@code true} to share identical read-only calls in flight
         * @return this builder
         */
        public Builder coalesceReadOnlyCalls(boolean coalesce) {
            this.coalesceReadOnlyCalls = coalesce;
            return this;
        }

        /**
         * Business continuity on the client side (spec §4.3): a tool that {@code policy}'s current mode does
         * not serve is answered at once with the same "temporarily unavailable" tool error a decorated server
         * gives ({@code isError}, {@code _meta} naming the mode), without being sent; counted by
         * {@code qudag.resilience.mcp.continuity.refusals}. With {@link #maxConcurrentCalls} the waiting
         * calls are sent critical first. Default: none.
         *
         * @param policy the continuity policy, or {@code null} for none
         * @return this builder
         */
        public Builder continuity(io.qudag.resilience.core.plan.ContinuityPolicy policy) {
            this.continuity = policy;
            return this;
        }

        /**
         * The most tool calls this client has in flight at once; beyond it calls wait, and are sent by the
         * criticality of their tool in the {@link #continuity} policy (critical first, then first come first
         * served), their wait counting against their deadline. 0 (the default) for no limit.
         *
         * @param max zero (no limit) or positive
         * @return this builder
         */
        public Builder maxConcurrentCalls(int max) {
            this.maxConcurrentCalls = max;
            return this;
        }

        /**
         * The pipeline (breakers, retries, bulkhead) each endpoint's calls run through. Default per endpoint: a
         * breaker (50 % of the last 20 calls, at least 5, open 5 s) and 2 attempts 50 ms apart for calls safe
         * to repeat.
         *
         * @param factory makes the pipeline of the endpoint with the given id, or {@code null} for the default
         * @return this builder
         */
        public Builder pipelineFactory(Function<String, ResiliencePipeline<McpSchema.CallToolResult>> factory) {
            this.pipelineFactory = factory;
            return this;
        }

        /**
         * How call outcomes are classified and which count against an endpoint's breakers (default
         * {@link OutcomePolicy#defaults()}).
         *
         * @param policy the outcome policy, not {@code null}
         * @return this builder
         */
        public Builder outcomePolicy(OutcomePolicy policy) {
            this.outcomePolicy = policy;
            return this;
        }

        /**
         * Replaces the default routing (tiers in order, endpoints that look down moved to the back, a
         * latency-aware choice inside the best tier), e.g. with {@code McpFailover.selector(...)}.
         *
         * @param selector the selector, or {@code null} for the default
         * @return this builder
         */
        public Builder endpointSelector(EndpointSelector selector) {
            this.endpointSelector = selector;
            return this;
        }

        /**
         * The latency-aware choice inside a tier of the default endpoint selector (default
         * {@link LatencyRoutingConfig#defaults()}); tiers come from {@link McpEndpoint#tier()}. Not used
         * with an {@link #endpointSelector}.
         *
         * @param latencyRouting the routing settings, not {@code null}
         * @return this builder
         */
        public Builder latencyRouting(LatencyRoutingConfig latencyRouting) {
            this.latencyRouting = latencyRouting;
            return this;
        }

        /**
         * Receives the endpoints' lifecycle events (default {@link McpEventListener#noop()}).
         *
         * @param listener the listener, not {@code null}
         * @return this builder
         */
        public Builder eventListener(McpEventListener listener) {
            this.eventListener = listener;
            return this;
        }

        /**
         * Where the client's meters ({@code qudag.resilience.mcp.*}) are registered (default: none).
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The scheduler for deadlines, pings, hedges and restarts (default: one the client owns and shuts down).
         *
         * @param scheduler the scheduler, or {@code null} to let the client own one; the client does not shut it down
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * The wall clock of event timestamps and breaker state (default {@link Clock#systemUTC()}).
         *
         * @param clock the clock, not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The monotonic ticker that measures latencies and deadlines; see
         * {@link io.qudag.resilience.core.pipeline.ResiliencePipelineBuilder#nanoTime}.
         *
         * @param nanoTime a nanosecond ticker, not {@code null}
         * @return this builder
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /**
         * The client name and version sent in the MCP {@code initialize} request (default
         * {@code qudag-resilience-mcp} {@code 0.1.0}).
         *
         * @param name the client name, not blank
         * @param version the client version
         * @return this builder
         */
        public Builder clientInfo(String name, String version) {
            this.clientInfo = McpSchema.Implementation.builder(name, version).build();
            return this;
        }

        /**
         * Receives progress notifications (send a {@code progressToken} in the request's {@code _meta}).
         *
         * @param consumer the receiver, or {@code null} for none
         * @return this builder
         */
        public Builder progressConsumer(java.util.function.Consumer<McpSchema.ProgressNotification> consumer) {
            this.progressConsumer = consumer;
            return this;
        }

        /**
         * The health model of every endpoint (default: the spec's three primary indicators).
         *
         * @param model the model, not {@code null}
         * @return this builder
         */
        public Builder healthModel(HealthModel model) {
            this.healthModel = model;
            return this;
        }

        /**
         * Records the intent of each call to a tool that is neither read-only nor idempotent in
         * {@code store} under an idempotency key before sending it (the key travels in the request's
         * {@code _meta}, see {@link IdempotencyKeys#META_KEY}) and its result afterwards; a call whose
         * outcome is unknown stays unresolved and is never re-sent by itself. The intent is written on the
         * calling thread before {@code callTool} returns (one journal append: open the store over a SYNC
         * or GROUP_COMMIT journal). Needs {@code qudag-resilience-recovery} on the class path.
         *
         * @param store the store, or {@code null} (the default) to send such calls without a key
         * @return this builder
         */
        public Builder idempotencyStore(IdempotencyStore store) {
            this.idempotencyStore = store;
            return this;
        }

        /**
         * Declares that every endpoint deduplicates by idempotency key, so a keyed call may be retried and
         * failed over with the same key (default false). Needs {@link #idempotencyStore}.
         *
         * @param deduplicate {@code true} when every endpoint deduplicates by key
         * @return this builder
         */
        public Builder serversDeduplicate(boolean deduplicate) {
            this.serversDeduplicate = deduplicate;
            return this;
        }

        /**
         * Validates the settings and builds the immutable config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the field and value of the first invalid setting
         */
        public ResilientMcpClientConfig build() {
            if (maxConcurrentCalls < 0) {
                throw new IllegalArgumentException("maxConcurrentCalls must be 0 (no limit) or positive, was "
                        + maxConcurrentCalls);
            }
            if (serversDeduplicate && idempotencyStore == null) {
                throw new IllegalArgumentException("serversDeduplicate needs an idempotencyStore, was true without one");
            }
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("endpoints must name at least one endpoint, was []");
            }
            Set<String> ids = new HashSet<>();
            for (McpEndpoint e : endpoints) {
                if (e == null) {
                    throw new IllegalArgumentException("endpoints must not contain null, was " + endpoints);
                }
                if (!ids.add(e.id())) {
                    throw new IllegalArgumentException("endpoints ids must be unique, was \"" + e.id() + "\" twice");
                }
            }
            positive("callTimeout", callTimeout);
            positive("sdkRequestTimeout", sdkRequestTimeout);
            positive("initializationTimeout", initializationTimeout);
            if (pingInterval != null) {
                positive("pingInterval", pingInterval);
            }
            positive("pingTimeout", pingTimeout);
            Duration floor = effectiveLivenessTimeoutFloor();
            positive("livenessTimeoutFloor", floor);
            if (floor.compareTo(pingTimeout) > 0) {
                throw new IllegalArgumentException("livenessTimeoutFloor must be <= pingTimeout (" + pingTimeout
                        + "), was " + floor);
            }
            positive("restartInitialBackoff", restartInitialBackoff);
            positive("restartMaxBackoff", restartMaxBackoff);
            if (restartMaxBackoff.compareTo(restartInitialBackoff) < 0) {
                throw new IllegalArgumentException("restartMaxBackoff must be >= restartInitialBackoff ("
                        + restartInitialBackoff + "), was " + restartMaxBackoff);
            }
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be >= 0, was " + maxRestarts);
            }
            positive("restartResetAfter", restartResetAfter);
            if (sessionRetries < 0) {
                throw new IllegalArgumentException("sessionRetries must be >= 0, was " + sessionRetries);
            }
            if (hedgeDelay != null) {
                if (hedgeDelay.isNegative()) {
                    throw new IllegalArgumentException("hedgeDelay must be >= 0, was " + hedgeDelay);
                }
                Limits.atMostMaxDuration("hedgeDelay", hedgeDelay);
                if (maxHedges < 1) {
                    throw new IllegalArgumentException("maxHedges must be >= 1, was " + maxHedges);
                }
            }
            if (!(retryBudgetRatio >= 0) || retryBudgetRatio > 1000) {
                throw new IllegalArgumentException("retryBudgetRatio must be in [0, 1000], was " + retryBudgetRatio);
            }
            if (retryBudgetMinPerSecond < 0) {
                throw new IllegalArgumentException("retryBudgetMinPerSecond must be >= 0, was "
                        + retryBudgetMinPerSecond);
            }
            if (retryBudgetWindow == null || retryBudgetWindow.toMillis() < 1000 || retryBudgetWindow.toSeconds() > 3600
                    || retryBudgetWindow.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("retryBudgetWindow must be whole seconds in [1 s, 1 h], was "
                        + retryBudgetWindow);
            }
            if (outcomePolicy == null) {
                throw new IllegalArgumentException("outcomePolicy must not be null, was null");
            }
            if (latencyRouting == null) {
                throw new IllegalArgumentException("latencyRouting must not be null, was null");
            }
            if (eventListener == null) {
                throw new IllegalArgumentException("eventListener must not be null, was null");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            if (nanoTime == null) {
                throw new IllegalArgumentException("nanoTime must not be null, was null");
            }
            if (healthModel == null) {
                throw new IllegalArgumentException("healthModel must not be null, was null");
            }
            if (clientInfo == null || clientInfo.name() == null || clientInfo.name().isBlank()) {
                throw new IllegalArgumentException("clientInfo.name must not be blank, was " + clientInfo);
            }
            return new ResilientMcpClientConfig(this);
        }

        /** The floor set, else the default capped at {@code pingTimeout}. */
        private Duration effectiveLivenessTimeoutFloor() {
            if (livenessTimeoutFloor != null || pingTimeout == null) {
                return livenessTimeoutFloor;
            }
            return DEFAULT_LIVENESS_TIMEOUT_FLOOR.compareTo(pingTimeout) <= 0 ? DEFAULT_LIVENESS_TIMEOUT_FLOOR : pingTimeout;
        }

        private static void positive(String field, Duration d) {
            if (d == null) {
                throw new IllegalArgumentException(field + " must not be null, was null");
            }
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be > 0, was " + d);
            }
            Limits.atMostMaxDuration(field, d);
        }
    }
}
