package io.qudag.resilience.mcp.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.Outcomes;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.breaker.CoarseTicker;
import io.qudag.resilience.core.internal.Limits;
import io.qudag.resilience.core.pipeline.Breakers;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.ResiliencePipelineConfig;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.failover.NoEndpointAvailableException;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.EndpointSuspectedException;
import io.qudag.resilience.mcp.EndpointUnavailableException;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Implementation of {@link ResilientMcpAsyncClient}. */
public final class DefaultResilientMcpClient implements ResilientMcpAsyncClient {

    private static final Logger log = LoggerFactory.getLogger(DefaultResilientMcpClient.class);

    private final ResilientMcpClientConfig config;
    private final Map<String, EndpointConnection> connections;
    private final Map<String, ResiliencePipeline<McpSchema.CallToolResult>> pipelines;
    private final EndpointSelector selector;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final String primary;
    /** The calls not yet answered, with what they are about; close() fails those still here. */
    private final Map<CompletableFuture<McpSchema.CallToolResult>, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Continuity refusals and the critical-first queue; null when neither is configured. */
    private final ContinuityGate gate;
    private volatile boolean closed;
    private final RetryBudget budget;
    /** The default selector's clock when the client runs on the system clock; closed with the client. */
    private final CoarseTicker pickerTicker;
    /** Budget meters by kind (retry, failover, hedge): spent then refused; null entries without a registry. */
    private final io.micrometer.core.instrument.Counter[] budgetMeters = new io.micrometer.core.instrument.Counter[6];

    /** Kinds of extra attempts the retry budget pays for. */
    private enum Extra { RETRY, FAILOVER, HEDGE }

    /** A call's tool and the endpoint it was aimed at first. */
    private record InFlight(String tool, String endpointId) {
    }

    /** Shared requests of coalesced read-only calls by tool, deadline and canonical arguments; removed on completion. */
    private final Map<String, CompletableFuture<McpSchema.CallToolResult>> coalescing = new ConcurrentHashMap<>();
    private final List<String> endpointIds;

    /** At-most-once bookkeeping, or {@code null} without an idempotency store. */
    private final ClientIntents intents;

    private DefaultResilientMcpClient(ResilientMcpClientConfig config) {
        this.config = config;
        this.intents = config.idempotencyStore() == null ? null
                : new ClientIntents(config.idempotencyStore(), config.serversDeduplicate());
        this.ownScheduler = config.scheduler() == null;
        if (ownScheduler) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2, r -> {
                Thread t = Executors.defaultThreadFactory().newThread(r);
                t.setName("qudag-mcp-client-" + t.getName());
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
        } else {
            this.scheduler = config.scheduler();
        }
        this.gate = ContinuityGate.needed(config.continuity(), config.maxConcurrentCalls())
                ? new ContinuityGate(config.continuity(), config.maxConcurrentCalls(), scheduler, config.nanoTime(),
                        config.meterRegistry())
                : null;
        List<String> ids = new ArrayList<>();
        for (McpEndpoint e : config.endpoints()) {
            ids.add(e.id());
        }
        this.primary = ids.get(0);
        this.endpointIds = List.copyOf(ids);
        if (config.endpointSelector() == null && config.nanoTime() == ResiliencePipelineConfig.SYSTEM_NANO_TIME) {
            // the picker's clock: a 1 ms coarse ticker (a volatile read) instead of a clock read per pick and
            // per outcome; its estimates decay over seconds and its analysis runs every 500 ms
            this.pickerTicker = CoarseTicker.shared(Duration.ofMillis(1));
        } else {
            this.pickerTicker = null;
        }
        // the picker's load: the requests each transport has in flight, which liveness counts anyway (the
        // connections are made after the selector they report to)
        Map<String, EndpointConnection> conns = new LinkedHashMap<>();
        this.selector = config.endpointSelector() != null ? config.endpointSelector()
                : new LatencyAwareSelector(config.endpoints(), config.latencyRouting(),
                        pickerTicker != null ? pickerTicker : config.nanoTime(), config.meterRegistry(),
                        id -> new PendingRequests(id, conns));
        Map<String, ResiliencePipeline<McpSchema.CallToolResult>> pipes = new LinkedHashMap<>();
        for (McpEndpoint e : config.endpoints()) {
            conns.put(e.id(), new EndpointConnection(e, config, scheduler, selector));
            pipes.put(e.id(), config.pipelineFactory() != null ? config.pipelineFactory().apply(e.id())
                    : defaultPipeline(e.id()));
        }
        this.budget = new RetryBudget(config.retryBudgetRatio(), config.retryBudgetMinPerSecond(),
                (int) config.retryBudgetWindow().toSeconds(), config.nanoTime());
        if (config.meterRegistry() != null) {
            for (Extra kind : Extra.values()) {
                String tag = kind.name().toLowerCase(java.util.Locale.ROOT);
                budgetMeters[2 * kind.ordinal()] = io.micrometer.core.instrument.Counter
                        .builder("qudag.resilience.mcp.retry.budget.spent").tag("kind", tag)
                        .description("extra attempts the retry budget allowed").register(config.meterRegistry());
                budgetMeters[2 * kind.ordinal() + 1] = io.micrometer.core.instrument.Counter
                        .builder("qudag.resilience.mcp.retry.budget.refused").tag("kind", tag)
                        .description("extra attempts the retry budget refused (not sent)")
                        .register(config.meterRegistry());
            }
        }
        this.connections = Collections.unmodifiableMap(conns);
        this.pipelines = Collections.unmodifiableMap(pipes);
    }

    /** Creates the client and starts connecting every endpoint. */
    public static DefaultResilientMcpClient start(ResilientMcpClientConfig config) {
        DefaultResilientMcpClient client = new DefaultResilientMcpClient(config);
        client.connections.values().forEach(EndpointConnection::start);
        return client;
    }

    /**
     * The default pipeline of one endpoint: a Resilience4j breaker counting the policy's failures
     * (50 % of the last 20 calls, at least 5; open for 5 s) and two attempts (50 ms apart) for calls
     * safe to repeat. Short on purpose: a dead endpoint fails fast and a group fails over; to ride out a
     * server restart on a single endpoint, give a pipeline with a longer retry (bounded by the call's
     * own deadline). The breaker reads the configured clock.
     */
    private ResiliencePipeline<McpSchema.CallToolResult> defaultPipeline(String endpointId) {
        CircuitBreaker breaker = CircuitBreaker.of("mcp-" + endpointId, CircuitBreakerConfig.custom()
                .slidingWindowSize(20).minimumNumberOfCalls(5).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5)).clock(config.clock()).build());
        return ResiliencePipeline.<McpSchema.CallToolResult>builder("mcp-" + endpointId)
                .breaker(Breakers.of(breaker, config.outcomePolicy()))
                .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(50)).build())
                .outcomeClassifier(McpOutcomes.classifier())
                .outcomePolicy(config.outcomePolicy())
                .clock(config.clock())
                .nanoTime(config.nanoTime())
                .scheduler(scheduler)
                .meterRegistry(config.meterRegistry())
                .build();
    }

    @Override
    public CompletableFuture<McpSchema.CallToolResult> callTool(String tool, Map<String, Object> arguments) {
        return callTool(new McpSchema.CallToolRequest(tool, arguments, null), config.callTimeout());
    }

    @Override
    public CompletableFuture<McpSchema.CallToolResult> callTool(McpSchema.CallToolRequest request) {
        return callTool(request, config.callTimeout());
    }

    @Override
    public CompletableFuture<McpSchema.CallToolResult> callTool(McpSchema.CallToolRequest request, Duration deadline) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw new IllegalArgumentException("request.name must not be blank, was " + request);
        }
        if (deadline == null || deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must be > 0, was " + deadline);
        }
        Limits.atMostMaxDuration("deadline", deadline);
        if (gate != null) {
            return gate.submit(request.name(), deadline, left -> sendOrJoin(request, left));
        }
        return sendOrJoin(request, deadline);
    }

    private CompletableFuture<McpSchema.CallToolResult> sendOrJoin(McpSchema.CallToolRequest request, Duration deadline) {
        if (config.coalesceReadOnlyCalls() && (request.meta() == null || request.meta().isEmpty())
                && hintsAcross(request.name(), endpointIds).readOnly()) {
            return coalesced(request, deadline);
        }
        return dispatch(request, deadline, null);
    }

    /**
     * Joins the identical call in flight, or sends this one and lets later identical calls join it. Each
     * caller gets its own copy of the shared future, so cancelling one leaves the request and the others.
     */
    private CompletableFuture<McpSchema.CallToolResult> coalesced(McpSchema.CallToolRequest request,
            Duration deadline) {
        String key;
        try {
            key = deadline.toNanos() + " " + new String(IdempotentRequests.requestBytes(request),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            // arguments Jackson cannot write: not comparable, sent on their own
            log.debug("tool {}: arguments not coalescable: {}", request.name(), e.toString());
            return dispatch(request, deadline, null);
        }
        CompletableFuture<McpSchema.CallToolResult> mine = new CompletableFuture<>();
        CompletableFuture<McpSchema.CallToolResult> existing = coalescing.putIfAbsent(key, mine);
        if (existing != null) {
            if (config.meterRegistry() != null) {
                io.micrometer.core.instrument.Counter.builder("qudag.resilience.mcp.coalesced")
                        .tag("tool", request.name()).description("calls that joined an identical read-only call in flight")
                        .register(config.meterRegistry()).increment();
            }
            return copyOf(existing);
        }
        CompletableFuture<McpSchema.CallToolResult> shared;
        try {
            shared = dispatch(request, deadline, null);
        } catch (RuntimeException e) {
            shared = CompletableFuture.failedFuture(e);
        }
        shared.whenComplete((r, e) -> {
            coalescing.remove(key, mine);
            if (e == null) {
                mine.complete(r);
            } else {
                mine.completeExceptionally(e);
            }
        });
        return copyOf(mine);
    }

    /** A future completed like {@code source} (same value, same exception); cancelling it leaves {@code source}. */
    private static CompletableFuture<McpSchema.CallToolResult> copyOf(CompletableFuture<McpSchema.CallToolResult> source) {
        CompletableFuture<McpSchema.CallToolResult> copy = new CompletableFuture<>();
        source.whenComplete((r, e) -> {
            if (e == null) {
                copy.complete(r);
            } else {
                copy.completeExceptionally(e);
            }
        });
        return copy;
    }

    @Override
    public List<IdempotencyStore.Entry> unresolvedIntents() {
        return intents == null ? List.of() : intents.store().unresolved();
    }

    @Override
    public CompletableFuture<McpSchema.CallToolResult> resolve(String key, McpSchema.CallToolRequest request) {
        if (intents == null) {
            throw new IllegalStateException("resolve needs an idempotencyStore in the client config, none was given");
        }
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw new IllegalArgumentException("request.name must not be blank, was " + request);
        }
        IdempotencyStore.Entry entry = intents.store().lookup(key).orElseThrow(
                () -> new IllegalArgumentException("key '" + key + "' has no recorded intent"));
        if (entry.state() == IdempotencyStore.State.COMPLETED) {
            return CompletableFuture.completedFuture(ClientIntents.recorded(entry));
        }
        intents.checkSameRequest(entry, request);
        return dispatch(request, config.callTimeout(), key);
    }

    /** Sends {@code request}; {@code resolvingKey}: re-asks the server under that recorded key. */
    private CompletableFuture<McpSchema.CallToolResult> dispatch(McpSchema.CallToolRequest request, Duration deadline,
            String resolvingKey) {
        if (closed) {
            return CompletableFuture.failedFuture(new EndpointUnavailableException(primary, "CLOSED"));
        }
        ToolHints hints = toolHints(request.name());
        ToolCall call = ToolCall.builder(request.name()).arguments(request.arguments()).hints(hints).build();
        long startNanos = config.nanoTime().getAsLong();
        long deadlineNanos = startNanos + deadline.toNanos();
        List<String> order;
        try {
            order = selector.select(call);
        } catch (RejectedCallException e) {
            // e.g. the failover group's NoEndpointAvailableException: every endpoint is out
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            log.warn("endpoint selector {} failed for tool {}: {}", selector, call.toolName(), e.toString());
            return CompletableFuture.failedFuture(e);
        }
        if (order == null || order.isEmpty()) {
            return CompletableFuture.failedFuture(new NoEndpointAvailableException(String.valueOf(selector),
                    "endpoint selector " + selector + " named no endpoint for tool '" + call.toolName()
                            + "'; the call was not sent"));
        }
        order = suspectsLast(order);
        ToolHints acrossOrder = hintsAcross(request.name(), order);
        if (!acrossOrder.equals(hints)) {
            hints = acrossOrder;
            call = call.toBuilder().hints(hints).build();
        }
        Map<String, Object> meta = request.meta();
        String key = null;
        if (intents != null && (resolvingKey != null || !hints.safeToRepeat())) {
            if (resolvingKey != null) {
                key = resolvingKey;
            } else {
                key = ClientIntents.keyFor(request);
                IdempotencyStore.Entry entry;
                try {
                    entry = intents.begin(key, request);
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
                if (entry.state() == IdempotencyStore.State.COMPLETED) {
                    return CompletableFuture.completedFuture(ClientIntents.recorded(entry));
                }
                if (entry.state() == IdempotencyStore.State.IN_PROGRESS) {
                    return CompletableFuture.failedFuture(new IllegalStateException("idempotency key '" + key
                            + "' has an intent without a result (running, or its outcome is unknown); "
                            + "ask the server with resolve(key, request)"));
                }
            }
            meta = ClientIntents.metaWithKey(meta, key);
            if (config.serversDeduplicate() && !hints.safeToRepeat()) {
                // the servers run a key once: the same key may be re-sent and failed over
                hints = new ToolHints(false, hints.destructive(), true, hints.openWorld());
                call = call.toBuilder().hints(hints).build();
            }
        }
        CompletableFuture<McpSchema.CallToolResult> out = new CompletableFuture<>();
        track(out, call.toolName(), order.get(0));
        budget.deposit(startNanos); // the call's one clock reading
        try {
            if (config.hedgeDelay() != null && hints.readOnly() && order.size() > 1) {
                hedged(call, meta, deadlineNanos, deadline, order, out);
            } else {
                failover(call, meta, deadlineNanos, deadline, order, 0, out);
            }
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
        }
        return key == null ? out : intents.record(key, call.toolName(), out);
    }

    /**
     * Routing avoids suspected endpoints whatever the selector says: they go to the back of the order
     * (a new list only when one is suspected).
     */
    private List<String> suspectsLast(List<String> order) {
        int n = order.size();
        if (n < 2) {
            return order;
        }
        boolean any = false;
        for (int i = 0; i < n && !any; i++) {
            EndpointConnection c = connections.get(order.get(i));
            any = c != null && c.state() == EndpointHealth.ConnectionState.SUSPECT;
        }
        if (!any) {
            return order;
        }
        List<String> up = new ArrayList<>(n);
        List<String> suspected = new ArrayList<>(n);
        for (String id : order) {
            EndpointConnection c = connections.get(id);
            (c != null && c.state() == EndpointHealth.ConnectionState.SUSPECT ? suspected : up).add(id);
        }
        up.addAll(suspected);
        return up;
    }

    /** Takes one extra attempt of {@code kind} from the budget and meters the answer. */
    private boolean withdraw(Extra kind) {
        return withdraw(kind, true);
    }

    /**
     * Takes one extra attempt of {@code kind} from the budget and meters it when spent, and when refused
     * only if {@code meterRefusal} (a hedge asked again later is one refusal, not one per asking).
     */
    private boolean withdraw(Extra kind, boolean meterRefusal) {
        // hedges are optional: they may spend half of the budget, the rest stays for retries and failovers
        boolean ok = budget.tryWithdraw(kind == Extra.HEDGE ? 0.5 : 1.0);
        io.micrometer.core.instrument.Counter c = ok || meterRefusal
                ? budgetMeters[2 * kind.ordinal() + (ok ? 0 : 1)] : null;
        if (c != null) {
            c.increment();
        }
        return ok;
    }

    /** Registers an unanswered call, so close() can fail it; a call racing close() fails at once. */
    private void track(CompletableFuture<McpSchema.CallToolResult> out, String tool, String endpointId) {
        inFlight.put(out, new InFlight(tool, endpointId));
        out.whenComplete((r, e) -> inFlight.remove(out));
        if (closed) {
            failClosed(out, tool, endpointId);
        }
    }

    private static void failClosed(CompletableFuture<McpSchema.CallToolResult> out, String tool, String endpointId) {
        out.completeExceptionally(new McpConnectionLostException(endpointId, "client closed while tool '" + tool
                + "' was in flight; it may or may not have run", null));
    }

    private void failover(ToolCall call, Map<String, Object> meta, long deadlineNanos, Duration deadline,
            List<String> order, int index, CompletableFuture<McpSchema.CallToolResult> out) {
        boolean last = index + 1 >= order.size();
        attemptOn(order.get(index), call, meta, deadlineNanos, deadline, last).whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
                return;
            }
            try {
                Throwable error = McpOutcomeClassifier.unwrapAll(e);
                CallOutcome outcome = McpOutcomes.classifier().classify(null, error);
                boolean mayMove = outcome == CallOutcome.REJECTED
                        || (call.hints().safeToRepeat() && config.outcomePolicy().isRetryable(outcome));
                if (index + 1 < order.size() && mayMove && !out.isDone()
                        && config.nanoTime().getAsLong() < deadlineNanos
                        && (freeMove(outcome, error, order.get(index)) || withdraw(Extra.FAILOVER))) {
                    log.debug("tool {} failed over from {} to {} after {}", call.toolName(), order.get(index),
                            order.get(index + 1), outcome);
                    failover(call, meta, deadlineNanos, deadline, order, index + 1, out);
                } else {
                    out.completeExceptionally(error);
                }
            } catch (RuntimeException ex) {
                out.completeExceptionally(ex);
            }
        });
    }

    /**
     * Races read-only calls: up to {@code maxHedges} hedges, one after each delay, first success wins,
     * losers are cancelled. A timed hedge goes to the next endpoint that is READY (one that is not would
     * refuse it unsent) and is paid from the budget as a hedge, unless the endpoint it races has owed an
     * answer in silence for longer than a live server takes to answer a ping (then it is free, as a move
     * away from a suspected endpoint is); one the budget refuses is asked again one delay later, then two,
     * four... while the call is unanswered, so a call caught on a frozen server leaves it before the
     * suspicion does, and a budget spent on a slow fleet is not asked ever more often. An
     * attempt that failed is followed at once
     * by the next endpoint in order, as in {@link #failover} (every endpoint may be tried; the last one
     * may wait briefly for READY): free when nothing was sent (REJECTED), else paid as a failover; when
     * the budget refuses, or no endpoint is left, the call fails with the error once every attempt
     * started has failed.
     */
    private void hedged(ToolCall call, Map<String, Object> meta, long deadlineNanos, Duration deadline,
            List<String> order, CompletableFuture<McpSchema.CallToolResult> out) {
        int hedges = Math.min(config.maxHedges(), order.size() - 1);
        long startNanos = config.nanoTime().getAsLong();
        // the hedge delay; -1 while the tool has no answer on the first two endpoints (cold)
        AtomicLong delay = new AtomicLong(hedgeDelay(call, order));
        List<CompletableFuture<McpSchema.CallToolResult>> attempts = new ArrayList<>(1 + hedges);
        // guarded by attempts: the next index of order, attempts started, attempts failed, timed hedges sent,
        // timed hedges the budget refused, timed hedges asked again
        int[] state = new int[6];
        // the endpoint of the latest attempt started: the one a timed hedge races
        AtomicReference<String> racing = new AtomicReference<>(order.get(0));
        AtomicReference<java.util.function.BiConsumer<Boolean, Throwable>> launch = new AtomicReference<>();
        // the endpoint of the attempt whose failure launches the next one (two failing at once may mix them
        // up: that only changes whether one move is paid)
        AtomicReference<String> failedOn = new AtomicReference<>();
        launch.set((timed, cause) -> {
            String target;
            boolean last;
            synchronized (attempts) {
                if (out.isDone()) {
                    return;
                }
                int j = state[0];
                if (timed) {
                    while (j < order.size() && !isReady(order.get(j))) {
                        j++; // a hedge is useful only where it can be sent now
                    }
                }
                boolean paid = j < order.size() && (state[1] == 0
                        || (timed ? state[3] < hedges && (freeHedge(racing.get(), delay.get())
                                || withdraw(Extra.HEDGE, state[4]++ == 0))
                                : freeMove(McpOutcomes.classifier().classify(null, cause), cause,
                                        failedOn.get()) || withdraw(Extra.FAILOVER)));
                if (!paid) {
                    if (!timed && state[2] >= state[1]) {
                        // every attempt so far failed and none other may be sent: the last error stands
                        out.completeExceptionally(cause);
                    } else if (timed && state[3] < hedges && state[0] < order.size()) {
                        // asked again after one delay, then two, four..., and when the hedge would become free
                        long wait = Math.min(delay.get() << Math.min(state[5]++, 20),
                                untilFreeHedge(racing.get(), delay.get()));
                        if (wait > 0 && config.nanoTime().getAsLong() + wait - deadlineNanos < 0) {
                            scheduleHedge(call, () -> launch.get().accept(true, null), wait);
                        }
                    }
                    return;
                }
                state[0] = j + 1;
                state[1]++;
                state[3] += timed ? 1 : 0;
                target = order.get(j);
                last = !timed && j == order.size() - 1;
            }
            racing.set(target);
            CompletableFuture<McpSchema.CallToolResult> a;
            try {
                a = attemptOn(target, call, meta, deadlineNanos, deadline, last);
            } catch (RuntimeException e) {
                a = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<McpSchema.CallToolResult> attempt = a;
            synchronized (attempts) {
                attempts.add(attempt);
            }
            attempt.whenComplete((r, e) -> {
                if (e == null) {
                    if (out.complete(r)) {
                        synchronized (attempts) {
                            for (CompletableFuture<McpSchema.CallToolResult> other : attempts) {
                                if (other != attempt) {
                                    other.cancel(true);
                                }
                            }
                        }
                    }
                } else if (!(e instanceof java.util.concurrent.CancellationException)) {
                    Throwable error = McpOutcomeClassifier.unwrapAll(e);
                    boolean mayMove;
                    synchronized (attempts) {
                        state[2]++;
                        CallOutcome outcome = McpOutcomes.classifier().classify(null, error);
                        mayMove = (outcome == CallOutcome.REJECTED || config.outcomePolicy().isRetryable(outcome))
                                && config.nanoTime().getAsLong() - deadlineNanos < 0;
                        if (!mayMove && state[2] >= state[1]) {
                            out.completeExceptionally(error);
                        }
                    }
                    if (mayMove) {
                        // not under the lock: attemptOn may complete callbacks of other locks inline
                        failedOn.set(target);
                        launch.get().accept(false, error);
                    }
                }
            });
        });
        launch.get().accept(false, null);
        if (hedges > 0) {
            new HedgeClock(call, order, startNanos, hedges, delay, launch.get(), out).schedule(
                    delay.get() >= 0 ? delay.get() : coldStep());
        }
    }

    /** How often a cold call looks again for the tool's first answers (the hedge floor, at least 10 ms). */
    private long coldStep() {
        return Math.max(config.hedgeDelay().toNanos(), TimeUnit.MILLISECONDS.toNanos(10));
    }

    /**
     * Launches the timed hedges of one call, one delay apart. A cold call (the tool not yet answered on
     * the endpoints it races) looks again every {@link #coldStep()} and times its hedge from the first
     * answers once they come, else waits {@code pingTimeout}: slow cannot be told from stuck without them.
     */
    private final class HedgeClock implements Runnable {
        private final ToolCall call;
        private final List<String> order;
        private final long startNanos;
        private final int hedges;
        private final AtomicLong delay;
        private final java.util.function.BiConsumer<Boolean, Throwable> launch;
        private final CompletableFuture<McpSchema.CallToolResult> out;
        private int launched;

        HedgeClock(ToolCall call, List<String> order, long startNanos, int hedges, AtomicLong delay,
                java.util.function.BiConsumer<Boolean, Throwable> launch, CompletableFuture<McpSchema.CallToolResult> out) {
            this.call = call;
            this.order = order;
            this.startNanos = startNanos;
            this.hedges = hedges;
            this.delay = delay;
            this.launch = launch;
            this.out = out;
        }

        @Override
        public void run() {
            if (out.isDone()) {
                return;
            }
            long d = delay.get();
            if (d < 0) {
                long now = config.nanoTime().getAsLong();
                long waited = now - startNanos;
                long ceiling = Math.max(config.hedgeDelay().toNanos(), config.pingTimeout().toNanos());
                d = hedgeDelay(call, order);
                if (d < 0 && waited < ceiling) {
                    schedule(Math.min(coldStep(), ceiling - waited));
                    return;
                }
                d = d < 0 ? ceiling : d;
                delay.set(d);
                if (d > waited) {
                    schedule(d - waited);
                    return;
                }
            }
            launch.accept(true, null);
            if (++launched < hedges) {
                schedule(d);
            }
        }

        void schedule(long nanos) {
            scheduleHedge(call, this, nanos);
        }
    }

    private void scheduleHedge(ToolCall call, Runnable hedge, long nanos) {
        try {
            scheduler.schedule(hedge, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler is shut down: no timed hedges; a failed attempt still launches the next one.
            log.debug("tool {}: hedge not scheduled: {}", call.toolName(), e.toString());
        }
    }

    /**
     * Whether a timed hedge racing {@code endpointId} costs no budget: the endpoint is suspected, or has
     * owed an answer in silence for half as long again as the hedge delay or the ping interval, whichever
     * is longer (a live server answers a ping within that, so its calls are stuck, not slow).
     */
    private boolean freeHedge(String endpointId, long delayNanos) {
        return untilFreeHedge(endpointId, delayNanos) <= 0;
    }

    /**
     * How long until a timed hedge racing {@code endpointId} is free if the endpoint stays silent (0 when
     * it is free now): 1.5 × the longer of the hedge delay and the ping interval, less its silence so far.
     */
    private long untilFreeHedge(String endpointId, long delayNanos) {
        EndpointConnection c = connections.get(endpointId);
        long silent = Math.max(delayNanos, config.pingInterval().toNanos());
        long threshold = silent + silent / 2;
        long silence = c == null ? 0 : c.silenceNanos();
        return silence >= threshold ? 0 : threshold - silence;
    }

    /** The delay of a timed hedge in nanoseconds, or -1 before the tool's first answer on either endpoint. */
    private long hedgeDelay(ToolCall call, List<String> order) {
        long delay = config.hedgeDelay().toNanos();
        if (config.adaptiveHedging()) {
            // The tool's p95 on the endpoint tried first, or on the next one when that is shorter: a
            // replica that turned slow learns a long p95 from its own slow answers, and a hedge timed on
            // it alone would come too late to rescue its calls.
            long high = highLatency(order.get(0), call.toolName());
            long next = highLatency(order.get(1), call.toolName());
            if (next >= 0 && (high < 0 || next < high)) {
                high = next;
            }
            if (high < 0) {
                return -1;
            }
            delay = Math.max(delay, high);
        }
        return delay;
    }

    /**
     * Whether moving a failed attempt to the next endpoint costs no budget: nothing was sent (REJECTED), or
     * liveness suspected the endpoint. A suspected endpoint leaves the routing at once, so such moves cannot
     * feed a retry storm against it, and they are bounded by the calls it had in flight; paying them from a
     * budget that hedges may have spent would fail calls a live endpoint can answer.
     */
    private boolean freeMove(CallOutcome outcome, Throwable error, String endpointId) {
        return outcome == CallOutcome.REJECTED || error instanceof EndpointSuspectedException;
    }

    /** The tool's recent p95 on {@code endpointId} in nanoseconds, or -1 before its first answer there. */
    private long highLatency(String endpointId, String tool) {
        EndpointConnection c = connections.get(endpointId);
        return c == null ? -1 : c.highLatencyNanos(tool);
    }

    private boolean isReady(String endpointId) {
        EndpointConnection c = connections.get(endpointId);
        return c != null && c.isReady();
    }

    /** One attempt on one endpoint, through its pipeline; cancelling it abandons the request. */
    private CompletableFuture<McpSchema.CallToolResult> attemptOn(String endpointId, ToolCall call,
            Map<String, Object> meta, long deadlineNanos, Duration deadline, boolean waitForReady) {
        EndpointConnection connection = connections.get(endpointId);
        if (connection == null) {
            // A selector that names an endpoint this client does not have: nothing was sent.
            return CompletableFuture.failedFuture(new EndpointUnavailableException(endpointId, "NOT_CONFIGURED"));
        }
        if (!waitForReady && !connection.isReady()) {
            // Other endpoints can answer: do not wait for this one to (re)connect.
            return CompletableFuture.failedFuture(
                    new EndpointUnavailableException(endpointId, connection.state().name()));
        }
        ToolCall aimed = call.withEndpoint(endpointId);
        long start = config.nanoTime().getAsLong();
        ProgressWatch watch = connection.watchProgress(meta, start);
        AtomicReference<CompletableFuture<McpSchema.CallToolResult>> inner = new AtomicReference<>();
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        AtomicInteger tries = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean mayHaveRun = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<McpSchema.CallToolResult> attempt = new CompletableFuture<>();
        CompletableFuture<McpSchema.CallToolResult> piped;
        startAttempt(endpointId);
        try {
            piped = pipelines.get(endpointId).executeToolCallAsync(aimed, tc -> {
                if (cancelled.get()) {
                    return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException(
                            "attempt on " + endpointId + " cancelled"));
                }
                long left = deadlineNanos - config.nanoTime().getAsLong();
                if (left <= 0) {
                    return CompletableFuture.failedFuture(
                            new McpDeadlineExceededException(endpointId, tc.toolName(), deadline));
                }
                boolean retry = tries.getAndIncrement() > 0;
                if (retry && connection.state() == EndpointHealth.ConnectionState.SUSPECT) {
                    // Never re-send to an endpoint that just failed liveness. Over a group the call moves on
                    // (REJECTED ends the pipeline's retries). The last candidate waits briefly for READY (a
                    // live server that was merely slow answers within a ping); else it keeps the earlier
                    // failure, and the pipeline's next retry (if any) tries again.
                    Throwable previous = lastError.get();
                    if (!waitForReady || previous == null) {
                        return CompletableFuture.failedFuture(new EndpointUnavailableException(endpointId, "SUSPECT"));
                    }
                    long wait = Math.min(left, config.livenessTimeoutFloor().toNanos() / 2);
                    return connection.readyWithin(wait).thenCompose(ready -> {
                        long rest = deadlineNanos - config.nanoTime().getAsLong();
                        if (!ready || rest <= 0 || cancelled.get() || !withdraw(Extra.RETRY)) {
                            return CompletableFuture.<McpSchema.CallToolResult>failedFuture(previous);
                        }
                        return send(connection, tc, meta, rest, inner, lastError, mayHaveRun);
                    });
                }
                if (retry && !withdraw(Extra.RETRY)) {
                    // The budget is spent: the retry is not sent, the earlier failure stands.
                    Throwable previous = lastError.get();
                    return CompletableFuture.failedFuture(previous != null ? previous
                            : new EndpointUnavailableException(endpointId, "retry budget spent"));
                }
                CompletableFuture<McpSchema.CallToolResult> sent = send(connection, tc, meta, left, inner, lastError,
                        mayHaveRun);
                if (waitForReady) {
                    return sent;
                }
                // Over a group a call cut short by a suspicion leaves this endpoint at once: hidden from the
                // pipeline as a rejection (no retry here, no breaker count), unwrapped below for the failover.
                return sent.handle((r, e) -> {
                    Throwable u = e == null ? null : McpOutcomeClassifier.unwrapAll(e);
                    if (u instanceof EndpointSuspectedException suspected) {
                        throw new MovedOn(endpointId, suspected);
                    }
                    if (e != null) {
                        throw e instanceof java.util.concurrent.CompletionException ce ? ce
                                : new java.util.concurrent.CompletionException(e);
                    }
                    return r;
                });
            }).toCompletableFuture();
        } catch (RuntimeException e) {
            piped = CompletableFuture.failedFuture(e);
        }
        piped.whenComplete((r, e) -> {
            Throwable error = e;
            endAttempt(endpointId);
            try {
                error = e == null ? null : McpOutcomeClassifier.unwrapAll(e);
                if (error instanceof MovedOn moved) {
                    error = moved.suspected;
                }
                if (error instanceof McpConnectionLostException lost && lost.notSent() && mayHaveRun.get()) {
                    // The last attempt was refused, but an earlier one may have reached the server.
                    error = new McpConnectionLostException(endpointId, McpConnectionLostException.Delivery.UNKNOWN,
                            "tool '" + call.toolName() + "' may or may not have run: an earlier attempt reached"
                                    + " endpoint '" + endpointId + "', the last was not sent (" + lost.getMessage()
                                    + ")", lost);
                }
                long end = config.nanoTime().getAsLong();
                long responseNanos = watch == null ? end - start : watch.responseNanos(end);
                if (cancelled.get() && error != null) {
                    // a lost hedge: unanswered after this long, so at least this slow (a lower bound)
                    abandoned(endpointId, aimed, responseNanos);
                }
                recordOutcome(connection, endpointId, call, aimed, r, error, end - start, responseNanos);
            } finally {
                connection.unwatch(watch);
                // Whatever the bookkeeping did, the caller gets its answer.
                if (error == null) {
                    attempt.complete(r);
                } else {
                    attempt.completeExceptionally(error);
                }
            }
        });
        attempt.whenComplete((r, e) -> {
            if (attempt.isCancelled()) {
                cancelled.set(true);
                CompletableFuture<McpSchema.CallToolResult> f = inner.get();
                if (f != null) {
                    f.cancel(true);
                }
            }
        });
        return attempt;
    }

    private void startAttempt(String endpointId) {
        try {
            selector.onAttemptStart(endpointId);
        } catch (RuntimeException ex) {
            log.warn("endpoint selector {} failed on an attempt start on {}: {}", selector, endpointId, ex.toString());
        }
    }

    private void abandoned(String endpointId, ToolCall aimed, long elapsedNanos) {
        try {
            selector.onAttemptAbandoned(endpointId, aimed, elapsedNanos);
        } catch (RuntimeException ex) {
            log.warn("endpoint selector {} failed on an abandoned attempt on {}: {}", selector, endpointId,
                    ex.toString());
        }
    }

    private void endAttempt(String endpointId) {
        try {
            selector.onAttemptEnd(endpointId);
        } catch (RuntimeException ex) {
            log.warn("endpoint selector {} failed on an attempt end on {}: {}", selector, endpointId, ex.toString());
        }
    }

    /** The requests in flight on one endpoint's transport, for the picker; resolves the connection once. */
    private static final class PendingRequests implements java.util.function.IntSupplier {
        private final String id;
        private final Map<String, EndpointConnection> connections;
        private EndpointConnection connection;

        PendingRequests(String id, Map<String, EndpointConnection> connections) {
            this.id = id;
            this.connections = connections;
        }

        @Override
        public int getAsInt() {
            EndpointConnection c = connection;
            if (c == null) {
                // racy but idempotent: every thread finds the same connection
                c = connections.get(id);
                if (c == null) {
                    return 0;
                }
                connection = c;
            }
            return c.pendingRequests();
        }
    }

    /** Carries a suspicion failure through the pipeline as a rejection; never reaches a caller. */
    private static final class MovedOn extends RejectedCallException {
        final transient EndpointSuspectedException suspected;

        MovedOn(String endpointId, EndpointSuspectedException suspected) {
            super(endpointId, suspected.getMessage());
            this.suspected = suspected;
        }
    }

    private static CompletableFuture<McpSchema.CallToolResult> send(EndpointConnection connection, ToolCall tc,
            Map<String, Object> meta, long leftNanos, AtomicReference<CompletableFuture<McpSchema.CallToolResult>> inner,
            AtomicReference<Throwable> lastError, java.util.concurrent.atomic.AtomicBoolean mayHaveRun) {
        CompletableFuture<McpSchema.CallToolResult> f = connection.call(tc, meta, Duration.ofNanos(leftNanos));
        inner.set(f);
        // the bookkeeping runs before the pipeline sees the outcome (it decides the next attempt on it)
        return f.whenComplete((r, e) -> {
            Throwable u = e == null ? null : McpOutcomeClassifier.unwrapAll(e);
            if (!(u instanceof McpConnectionLostException lost && lost.notSent())
                    && !(u instanceof EndpointUnavailableException)) {
                mayHaveRun.set(true);
            }
            if (u != null) {
                lastError.set(u);
            }
        });
    }

    /**
     * Feeds health, meters and the selector with one attempt's outcome; a failing hook is logged, not
     * thrown. {@code nanos} is the attempt's duration, {@code responseNanos} its responsiveness sample (the
     * longest silence when the call received progress notifications, see {@link ProgressWatch}); the
     * selector (latency-aware picker, failover group) gets the responsiveness sample.
     */
    private void recordOutcome(EndpointConnection connection, String endpointId, ToolCall call, ToolCall aimed,
            McpSchema.CallToolResult r, Throwable error, long nanos, long responseNanos) {
        CallOutcome outcome = McpOutcomes.classifier().classify(r, error);
        try {
            connection.record(call.toolName(), outcome, nanos, responseNanos, config.outcomePolicy());
        } catch (RuntimeException ex) {
            log.warn("endpoint {}: recording the outcome of tool {} failed: {}", endpointId, call.toolName(),
                    ex.toString());
        }
        if (error instanceof EndpointSuspectedException) {
            // Routing already avoids a suspected endpoint; the selector hears of it from the detector (once
            // the silence outlasts the ceiling), not once per call it cut short.
            return;
        }
        try {
            // the response time, not the whole duration: a call that streams progress is slow by design
            selector.onOutcome(endpointId, aimed, outcome, responseNanos);
        } catch (RuntimeException ex) {
            log.warn("endpoint selector {} failed on the outcome {} of tool {} on {}: {}", selector, outcome,
                    call.toolName(), endpointId, ex.toString());
        }
        if (config.logArguments()) {
            log.debug("tool {} on {} ended {} in {} µs, arguments {}", call.toolName(), endpointId, outcome,
                    nanos / 1000, call.arguments());
        } else {
            log.debug("tool {} on {} ended {} in {} µs", call.toolName(), endpointId, outcome, nanos / 1000);
        }
    }

    @Override
    public ToolHints toolHints(String tool) {
        // The first endpoint, in configured order, that listed the tool: a primary that never connected (or
        // a group routed elsewhere) does not turn every call into an untrusted, never-repeated one.
        for (EndpointConnection c : connections.values()) {
            if (c.listed(tool)) {
                return c.hints(tool);
            }
        }
        return toolHints(primary, tool);
    }

    /**
     * The hints that hold on every endpoint the call may go to that has listed the tool (an untrusted
     * one counts as {@code UNTRUSTED}): a call that may fail over or be hedged to another server is
     * repeated only if every such server says it is safe. Endpoints that have not listed the tool yet
     * (never connected) do not count, as in {@link #toolHints(String)}.
     */
    private ToolHints hintsAcross(String tool, List<String> order) {
        ToolHints h = null;
        for (String id : order) {
            EndpointConnection c = connections.get(id);
            if (c != null && c.listed(tool)) {
                h = h == null ? c.hints(tool) : h.and(c.hints(tool));
            }
        }
        return h == null ? toolHints(tool) : h;
    }

    @Override
    public ToolHints toolHints(String endpointId, String tool) {
        EndpointConnection c = connections.get(endpointId);
        if (c == null) {
            throw new IllegalArgumentException("endpointId must name a configured endpoint, was \"" + endpointId + '"');
        }
        return c.hints(tool);
    }

    @Override
    public CompletableFuture<Void> whenAnyReady() {
        return CompletableFuture.anyOf(connections.values().stream().map(EndpointConnection::whenReady)
                .toArray(CompletableFuture[]::new)).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> whenReady() {
        return CompletableFuture.allOf(connections.values().stream().map(EndpointConnection::whenReady)
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public List<EndpointHealth> health() {
        List<EndpointHealth> list = new ArrayList<>(connections.size());
        for (EndpointConnection c : connections.values()) {
            list.add(c.health());
        }
        return list;
    }

    @Override
    public EndpointHealth health(String endpointId) {
        EndpointConnection c = connections.get(endpointId);
        if (c == null) {
            throw new IllegalArgumentException("endpointId must name a configured endpoint, was \"" + endpointId + '"');
        }
        return c.health();
    }

    ResilientMcpClientConfig config() {
        return config;
    }

    /**
     * Fails the calls still in flight (a retry or hedge waiting on the scheduler would otherwise never
     * run), closes every endpoint, then shuts down the client's own scheduler.
     */
    @Override
    public void close() {
        closed = true;
        for (Map.Entry<CompletableFuture<McpSchema.CallToolResult>, InFlight> e : inFlight.entrySet()) {
            failClosed(e.getKey(), e.getValue().tool(), e.getValue().endpointId());
        }
        for (EndpointConnection c : connections.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("endpoint {}: close failed: {}", c.id(), e.toString());
            }
        }
        pipelines.values().forEach(ResiliencePipeline::close);
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
        if (pickerTicker != null) {
            pickerTicker.close();
        }
    }

    static RuntimeException rethrowable(Throwable t) {
        Throwable u = McpOutcomeClassifier.unwrapAll(t);
        if (u instanceof RuntimeException re) {
            return re;
        }
        if (u instanceof Error err) {
            throw err;
        }
        if (u instanceof java.io.IOException io) {
            return new java.io.UncheckedIOException(io);
        }
        return new java.util.concurrent.CompletionException(u);
    }

    static Throwable unwrap(Throwable t) {
        return Outcomes.unwrap(t);
    }

    /** Endpoint id → why its last connection attempt failed ({@code null} when none failed yet), in endpoint order. */
    Map<String, Throwable> lastConnectErrors() {
        Map<String, Throwable> out = new LinkedHashMap<>();
        connections.forEach((id, c) -> out.put(id, c.lastConnectError()));
        return out;
    }
}
