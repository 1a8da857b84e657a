package io.qudag.resilience.mcp.internal;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.EndpointHealth.ConnectionState;
import io.qudag.resilience.mcp.EndpointSuspectedException;
import io.qudag.resilience.mcp.EndpointUnavailableException;
import io.qudag.resilience.mcp.McpCallException;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.SessionRestartedException;
import io.qudag.resilience.mcp.event.McpEndpointEvent;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * One endpoint's connection: an SDK {@link McpAsyncClient} over a {@link LivenessTransport}, the
 * tool-hints cache, the liveness probe (ping) and, for stdio, the supervision of the child process.
 *
 * <p>States (explicit, see {@link #TRANSITIONS}): CONNECTING → READY; READY → RESTARTING (child
 * exited); READY → SUSPECT (liveness) → READY (the server answered again, same session); SUSPECT →
 * RESTARTING (child exited); CONNECTING → RESTARTING (initialize failed); RESTARTING → CONNECTING
 * (after the backoff) or FAILED (restarts exhausted); any → CLOSED. HTTP sessions are not rebuilt on
 * a lost connection: the SDK client reconnects by itself, so only in-flight calls are failed.
 *
 * <p>Liveness (spec §2.1, §3.1 fast failure detection): one ping at a time, every {@code pingInterval}.
 * A ping unanswered within the adaptive timeout ({@link RttEstimator}) while nothing else came in, or a
 * ping that fails (connection refused), makes the endpoint SUSPECT: its in-flight calls fail at once,
 * routing avoids it, a call that would wait for it waits for READY. Any message from the server (a
 * late answer, a notification, a JSON-RPC error reply to the ping) returns it to READY.
 */
public final class EndpointConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EndpointConnection.class);

    /** Allowed transitions, indexed by {@code from.ordinal()}. */
    static final boolean[][] TRANSITIONS = new boolean[ConnectionState.values().length][ConnectionState.values().length];

    static {
        allow(ConnectionState.CONNECTING, ConnectionState.READY, ConnectionState.RESTARTING, ConnectionState.CLOSED);
        allow(ConnectionState.READY, ConnectionState.SUSPECT, ConnectionState.RESTARTING, ConnectionState.CLOSED);
        allow(ConnectionState.SUSPECT, ConnectionState.READY, ConnectionState.RESTARTING, ConnectionState.CLOSED);
        allow(ConnectionState.RESTARTING, ConnectionState.CONNECTING, ConnectionState.FAILED, ConnectionState.CLOSED);
        allow(ConnectionState.FAILED, ConnectionState.CLOSED);
    }

    private static void allow(ConnectionState from, ConnectionState... to) {
        for (ConnectionState t : to) {
            TRANSITIONS[from.ordinal()][t.ordinal()] = true;
        }
    }

    static final String RESPONSE_TIME = "response_time";
    static final String ERROR_RATE = "error_rate";
    static final String CONNECTION_SUCCESS_RATE = "connection_success_rate";

    /** One SDK client over one transport (for stdio: one child process). */
    record Session(McpAsyncClient client, LivenessTransport transport, StdioClientTransport stdio, int generation,
            long readySinceNanos) {
    }

    private final McpEndpoint endpoint;
    private final ResilientMcpClientConfig config;
    private final ScheduledExecutorService scheduler;
    private final EndpointSelector selector;
    private final EndpointMeters meters;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.CONNECTING);
    private volatile CompletableFuture<Session> ready = new CompletableFuture<>();
    private volatile Throwable lastConnectError;
    private volatile Session current;
    private volatile Map<String, ToolHints> hints = Map.of();
    private volatile ScheduledFuture<?> pingTask;
    private int generation;
    /** Guarded by this: the client still initializing (a stdio child already runs), closed by {@link #close}. */
    private McpAsyncClient connecting;
    private int restartsInARow;

    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private final LongAdder failedPings = new LongAdder();
    private final LongAdder failedFast = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private volatile double lastPingMillis = -1;
    private final LongAdder suspicions = new LongAdder();
    private final AtomicBoolean pingOutstanding = new AtomicBoolean();
    private volatile long lastPingSentNanos;
    private volatile long suspectedAtNanos;
    private volatile boolean suspicionReported;
    private final RttEstimator rtt;
    private final java.util.concurrent.ConcurrentHashMap<String, LatencyEstimate> toolLatency =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final HealthMonitor monitor;
    /** The calls in flight that asked for progress, by progress token ({@link ProgressWatch#key}). */
    private final java.util.concurrent.ConcurrentHashMap<Object, ProgressWatch> progressWatches =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final boolean feedsResponseTime;
    private final boolean feedsErrorRate;
    private final boolean feedsConnectionRate;

    public EndpointConnection(McpEndpoint endpoint, ResilientMcpClientConfig config,
            ScheduledExecutorService scheduler, EndpointSelector selector) {
        this.endpoint = endpoint;
        this.config = config;
        this.scheduler = scheduler;
        this.selector = selector;
        this.monitor = HealthMonitor.builder("mcp-endpoint:" + endpoint.id(), config.healthModel())
                .clock(config.clock()).meterRegistry(config.meterRegistry()).build();
        this.feedsResponseTime = config.healthModel().indicator(RESPONSE_TIME).isPresent();
        this.feedsErrorRate = config.healthModel().indicator(ERROR_RATE).isPresent();
        this.feedsConnectionRate = config.healthModel().indicator(CONNECTION_SUCCESS_RATE).isPresent();
        this.rtt = new RttEstimator(config.livenessTimeoutFloor().toNanos(), config.pingTimeout().toNanos());
        this.lastPingSentNanos = config.nanoTime().getAsLong()
                - (config.pingInterval() == null ? 0 : config.pingInterval().toNanos());
        this.meters = new EndpointMeters(config.meterRegistry(), endpoint.id(), this, c -> c.lastPingMillis,
                c -> {
                    Session s = c.current;
                    return s == null ? 0 : s.transport().inFlightCount();
                }, c -> c.rtt.timeoutNanos() / 1e6);
    }

    public String id() {
        return endpoint.id();
    }

    public McpEndpoint endpoint() {
        return endpoint;
    }

    /** Connects and starts the liveness probe. */
    public synchronized void start() {
        connect();
        Duration interval = config.pingInterval();
        if (interval != null) {
            // Silence is checked more often than pings are sent, so a suspicion comes at most a tenth of
            // the floor after the timeout.
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
                    Math.min(interval.toNanos(), config.livenessTimeoutFloor().toNanos() / 10));
            pingTask = scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /** A future that completes when the endpoint is ready for calls (or fails when it gave up). */
    public CompletableFuture<Void> whenReady() {
        return ready.thenApply(s -> null);
    }

    /** Moves from exactly {@code from} to {@code to}; false when the state was another one. */
    private boolean transitionFrom(ConnectionState from, ConnectionState to) {
        if (!TRANSITIONS[from.ordinal()][to.ordinal()] || !state.compareAndSet(from, to)) {
            return false;
        }
        log.debug("endpoint {}: {} -> {}", endpoint.id(), from, to);
        return true;
    }

    private boolean transition(ConnectionState to) {
        while (true) {
            ConnectionState from = state.get();
            if (from == to) {
                return true;
            }
            if (!TRANSITIONS[from.ordinal()][to.ordinal()]) {
                return false;
            }
            if (state.compareAndSet(from, to)) {
                log.debug("endpoint {}: {} -> {}", endpoint.id(), from, to);
                return true;
            }
        }
    }

    private synchronized void connect() {
        if (!transition(ConnectionState.CONNECTING)) {
            return;
        }
        int gen = ++generation;
        McpClientTransport raw;
        StdioClientTransport stdio = null;
        if (endpoint.kind() == McpEndpoint.Kind.HTTP) {
            URI url = endpoint.url();
            String base = url.getScheme() + "://" + url.getRawAuthority();
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/mcp" : url.getRawPath();
            HttpClientStreamableHttpTransport.Builder http = HttpClientStreamableHttpTransport.builder(base);
            endpoint.httpTransport().accept(http);
            raw = http.endpoint(path).build();
        } else {
            stdio = new StdioClientTransport(endpoint.serverParameters(), McpJsonDefaults.getMapper());
            stdio.setStdErrorHandler(line -> log.debug("endpoint {} stderr: {}", endpoint.id(), line));
            raw = stdio;
        }
        LivenessTransport transport = new LivenessTransport(endpoint.id(), raw, config.nanoTime(),
                e -> onSendFailed(gen, e), () -> recover(gen, "the server answered"));
        McpClient.AsyncSpec spec = McpClient.async(transport);
        // Always listened to: a call that asked for progress is scored by its longest silence (ProgressWatch).
        spec.progressConsumer(n -> {
            onProgress(n);
            if (config.progressConsumer() != null) {
                config.progressConsumer().accept(n);
            }
            return Mono.empty();
        });
        McpAsyncClient client = spec
                .requestTimeout(config.sdkRequestTimeout())
                .initializationTimeout(config.initializationTimeout())
                .clientInfo(config.clientInfo())
                .toolsChangeConsumer(tools -> {
                    refreshHints(tools);
                    return Mono.empty();
                })
                .build();
        StdioClientTransport child = stdio;
        connecting = client;
        client.initialize().then(client.listTools()).toFuture().whenComplete((tools, err) -> {
            synchronized (this) {
                if (connecting == client) {
                    connecting = null;
                }
            }
            if (err != null) {
                onConnectFailed(client, gen, err);
                return;
            }
            Session session = new Session(client, transport, child, gen, config.nanoTime().getAsLong());
            synchronized (this) {
                if (gen != generation || !transition(ConnectionState.READY)) {
                    client.close();
                    return;
                }
                current = session;
            }
            refreshHints(tools.tools());
            notifyLiveness(true);
            emit(McpEndpointEvent.Type.CONNECTED, "generation " + gen, 0);
            ready.complete(session);
            probeNow(); // the first round trip sets the liveness timeout
            if (child != null) {
                Thread watcher = new Thread(() -> watchChild(session), "qudag-mcp-stdio-watch-" + endpoint.id());
                watcher.setDaemon(true);
                watcher.start();
            }
        });
    }

    /** Tells the selector; a selector that throws must not stop a restart or leave callers waiting. */
    private void notifyLiveness(boolean alive) {
        try {
            selector.onLiveness(endpoint.id(), alive);
        } catch (RuntimeException e) {
            log.warn("endpoint {}: endpoint selector {} failed on liveness {}: {}", endpoint.id(), selector, alive,
                    e.toString());
        }
    }

    private void watchChild(Session session) {
        try {
            session.stdio().awaitForExit();
        } catch (RuntimeException e) {
            log.debug("endpoint {}: waiting for the child failed: {}", endpoint.id(), e.toString());
        }
        onChildExit(session);
    }

    private void onChildExit(Session session) {
        CompletableFuture<Session> next = new CompletableFuture<>();
        synchronized (this) {
            if (session.generation() != generation || state.get() == ConnectionState.CLOSED) {
                return;
            }
            // New calls wait for the restarted child instead of writing into a dead pipe; calls already
            // waiting for a suspected endpoint to answer wait for the restart too.
            CompletableFuture<Session> old = ready;
            if (!old.isDone()) {
                next.whenComplete((ok, e) -> {
                    if (e != null) {
                        old.completeExceptionally(e);
                    } else {
                        old.complete(ok);
                    }
                });
            }
            ready = next;
            current = null;
            transition(ConnectionState.RESTARTING);
        }
        int n = session.transport().failAllPending("stdio server process of endpoint '" + endpoint.id() + "' exited");
        failedFast.add(n);
        meters.failedFast(n);
        notifyLiveness(false);
        emit(McpEndpointEvent.Type.CHILD_EXITED, "child exited", n);
        log.warn("endpoint {}: stdio child exited, {} in-flight call(s) failed, restarting", endpoint.id(), n);
        session.client().close();
        scheduleRestart(session.readySinceNanos());
    }

    private void onConnectFailed(McpAsyncClient client, int gen, Throwable err) {
        if (state.get() == ConnectionState.CLOSED) {
            client.close(); // close() ended the initialize: nothing failed
            return;
        }
        lastConnectError = McpOutcomeClassifier.unwrapAll(err);
        log.warn("endpoint {}: initialize failed: {}", endpoint.id(), String.valueOf(McpOutcomeClassifier.unwrapAll(err)));
        if (feedsConnectionRate) {
            monitor.record(CONNECTION_SUCCESS_RATE, 0);
        }
        client.close();
        synchronized (this) {
            if (gen != generation || !transition(ConnectionState.RESTARTING)) {
                return;
            }
        }
        scheduleRestart(-1);
    }

    private void scheduleRestart(long readySinceNanos) {
        synchronized (this) {
            if (readySinceNanos >= 0
                    && config.nanoTime().getAsLong() - readySinceNanos >= config.restartResetAfter().toNanos()) {
                restartsInARow = 0;
            }
            restartsInARow++;
            // A stdio child is restarted a bounded number of times; an HTTP server is waited for.
            if (endpoint.kind() == McpEndpoint.Kind.STDIO && restartsInARow > config.maxRestarts()) {
                if (transition(ConnectionState.FAILED)) {
                    ready.completeExceptionally(new McpConnectionLostException(endpoint.id(), "endpoint '"
                            + endpoint.id() + "' gave up after " + config.maxRestarts() + " restarts", null));
                    emit(McpEndpointEvent.Type.RESTARTS_EXHAUSTED, "after " + config.maxRestarts() + " restarts", 0);
                }
                return;
            }
        }
        long backoff = Math.min(config.restartMaxBackoff().toNanos(),
                config.restartInitialBackoff().toNanos() << Math.min(20, restartsInARow - 1));
        restarts.increment();
        meters.restarted();
        emit(McpEndpointEvent.Type.RESTART_SCHEDULED, "in " + Duration.ofNanos(backoff), 0);
        try {
            scheduler.schedule(this::connect, backoff, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("endpoint {}: restart not scheduled, the scheduler is shut down", endpoint.id());
        }
    }

    /** The liveness task: suspects a silent endpoint, and sends a ping when one is due. */
    private void tick() {
        try {
            Session s = current;
            ConnectionState st = state.get();
            if (s == null || (st != ConnectionState.READY && st != ConnectionState.SUSPECT)) {
                return;
            }
            long now = config.nanoTime().getAsLong();
            if (st == ConnectionState.SUSPECT && !suspicionReported
                    && now - suspectedAtNanos > config.pingTimeout().toNanos()) {
                // Silent for longer than the ceiling: no longer a pause, tell routing it is down.
                suspicionReported = true;
                notifyLiveness(false);
            }
            if (st == ConnectionState.READY) {
                long silence = s.transport().silenceNanos(now);
                long timeout = rtt.timeoutNanos();
                if (silence > timeout) {
                    failedPings.increment();
                    meters.pingFailed();
                    if (feedsConnectionRate) {
                        monitor.record(CONNECTION_SUCCESS_RATE, 0);
                    }
                    rtt.backoff();
                    suspect(s.generation(), "no answer for " + silence / 1_000_000 + " ms, liveness timeout "
                            + timeout / 1_000_000 + " ms", false);
                }
            }
            if (now - lastPingSentNanos >= config.pingInterval().toNanos()) {
                probe(s, now);
            }
        } catch (RuntimeException e) {
            // A failing probe must not cancel the periodic task.
            pingOutstanding.set(false);
            log.warn("endpoint {}: liveness check failed: {}", endpoint.id(), e.toString());
        }
    }

    /** Sends a ping now (unless one is outstanding): after connecting, and when a send failed. */
    private void probeNow() {
        if (config.pingInterval() == null) {
            return;
        }
        try {
            scheduler.execute(() -> {
                Session s = current;
                if (s != null) {
                    try {
                        probe(s, config.nanoTime().getAsLong());
                    } catch (RuntimeException e) {
                        pingOutstanding.set(false);
                        log.warn("endpoint {}: ping failed to start: {}", endpoint.id(), e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("endpoint {}: probe not scheduled, the scheduler is shut down", endpoint.id());
        }
    }

    /**
     * Sends one ping unless one is outstanding. Its answer (or any other message) proves the server
     * alive; a failure to reach it suspects it at once; silence is judged by {@link #tick()}. The ping's
     * own timeout is the ceiling, only to end it.
     */
    private void probe(Session s, long now) {
        ConnectionState st = state.get();
        if (st != ConnectionState.READY && st != ConnectionState.SUSPECT) {
            return;
        }
        if (!pingOutstanding.compareAndSet(false, true)) {
            return;
        }
        lastPingSentNanos = now;
        long timeout = rtt.timeoutNanos();
        s.client().ping().timeout(config.pingTimeout()).subscribe(
                ok -> { },
                err -> onPingError(s, now, timeout, err),
                () -> onPingAnswered(s, now, timeout));
    }

    private void onPingAnswered(Session s, long t0, long timeout) {
        pingOutstanding.set(false);
        long rttNanos = config.nanoTime().getAsLong() - t0;
        if (rttNanos <= timeout) {
            rtt.sample(rttNanos); // Karn: a late answer is no sample
        }
        lastPingMillis = rttNanos / 1e6;
        if (feedsConnectionRate) {
            monitor.record(CONNECTION_SUCCESS_RATE, 1);
        }
        recover(s.generation(), "ping answered");
        notifyLiveness(true);
    }

    private void onPingError(Session s, long t0, long timeout, Throwable err) {
        pingOutstanding.set(false);
        Throwable t = McpOutcomeClassifier.unwrapAll(err);
        if (t instanceof McpError mcp && mcp.getJsonRpcError() != null
                && LivenessTransport.isSynthetic(mcp.getJsonRpcError().data())) {
            return; // failed by this class (the endpoint was just suspected): no answer, no verdict
        }
        if (t instanceof McpError || McpOutcomeClassifier.isSessionTerminated(t)) {
            // The server answered (an error reply such as -32601 is an answer), or a restarted server ended
            // the session (the SDK re-initializes on the next request): it is alive.
            if (t instanceof McpError) {
                long rttNanos = config.nanoTime().getAsLong() - t0;
                if (rttNanos <= timeout) {
                    rtt.sample(rttNanos);
                }
            }
            recover(s.generation(), "the server answered the ping");
            notifyLiveness(true);
            return;
        }
        if (t instanceof TimeoutException) {
            return; // silence is judged by tick(); this only ends a ping unanswered for the whole ceiling
        }
        failedPings.increment();
        meters.pingFailed();
        if (feedsConnectionRate) {
            monitor.record(CONNECTION_SUCCESS_RATE, 0);
        }
        suspect(s.generation(), "ping failed: " + t, true);
    }

    /** A send failed with an I/O error: ask the server at once instead of waiting for the next ping. */
    private void onSendFailed(int gen, Throwable e) {
        log.debug("endpoint {}: send failed ({}), probing liveness now", endpoint.id(), e.toString());
        Session s = current;
        if (s == null || s.generation() != gen) {
            return;
        }
        if (config.pingInterval() == null) {
            onConnectionLost(gen, "send failed: " + e);
            return;
        }
        probeNow();
    }

    /**
     * READY → SUSPECT: fails the in-flight calls, makes new calls that would wait for this endpoint wait
     * for READY, and tells routing.
     */
    private void suspect(int gen, String reason, boolean down) {
        Session s;
        synchronized (this) {
            s = current;
            if (s == null || s.generation() != gen || state.get() != ConnectionState.READY) {
                return;
            }
            // Armed before the state changes, so the first message after it is reported.
            s.transport().markSuspect();
            if (!transitionFrom(ConnectionState.READY, ConnectionState.SUSPECT)) {
                return;
            }
            ready = new CompletableFuture<>();
            suspectedAtNanos = config.nanoTime().getAsLong();
            suspicionReported = down;
        }
        suspicions.increment();
        meters.suspected();
        int n = s.transport().failAllPending("endpoint '" + endpoint.id() + "' suspected (" + reason + ")");
        failedFast.add(n);
        meters.failedFast(n);
        sweepLateSends(s, gen, reason);
        if (down) {
            // A failed ping (refused, reset) proves the server unreachable; mere silence is told to the
            // selector only once it outlasts the ceiling (tick), so a pause does not drain a failover group.
            notifyLiveness(false);
        }
        emit(McpEndpointEvent.Type.SUSPECTED, reason + "; liveness timeout " + rtt.timeoutNanos() / 1_000_000
                + " ms", n);
        log.warn("endpoint {}: suspected ({}), {} in-flight call(s) failed", endpoint.id(), reason, n);
    }

    /**
     * A call that took the old ready future just before the state changed registers its request after
     * the sweep of {@link #suspect}; nothing else would end it before the server answers again (a frozen
     * server: the thaw) or its deadline. One more sweep, once such sends have registered, fails it too.
     */
    private void sweepLateSends(Session s, int gen, String reason) {
        try {
            scheduler.schedule(() -> {
                if (current == s && s.generation() == gen && state.get() == ConnectionState.SUSPECT) {
                    int late = s.transport().failAllPending("endpoint '" + endpoint.id() + "' suspected ("
                            + reason + "), sent as the suspicion began");
                    if (late > 0) {
                        failedFast.add(late);
                        meters.failedFast(late);
                        log.debug("endpoint {}: {} request(s) sent as the suspicion began failed", endpoint.id(), late);
                    }
                }
            }, 20, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("endpoint {}: late-send sweep not scheduled, the scheduler is shut down", endpoint.id());
        }
    }

    /** SUSPECT → READY with the same session: the server answered. */
    private void recover(int gen, String reason) {
        Session s;
        CompletableFuture<Session> waiting;
        synchronized (this) {
            s = current;
            if (s == null || s.generation() != gen
                    || !transitionFrom(ConnectionState.SUSPECT, ConnectionState.READY)) {
                return;
            }
            waiting = ready;
        }
        waiting.complete(s);
        notifyLiveness(true);
        emit(McpEndpointEvent.Type.RECOVERED, reason, 0);
        log.info("endpoint {}: answered again ({}), READY with the same session", endpoint.id(), reason);
    }

    private void onConnectionLost(int gen, String reason) {
        Session s = current;
        if (s == null || s.generation() != gen) {
            return;
        }
        int n = s.transport().failAllPending("connection to endpoint '" + endpoint.id() + "' lost (" + reason + ")");
        notifyLiveness(false);
        if (n > 0) {
            failedFast.add(n);
            meters.failedFast(n);
            emit(McpEndpointEvent.Type.CONNECTION_LOST, reason, n);
            log.warn("endpoint {}: connection lost ({}), {} in-flight call(s) failed", endpoint.id(), reason, n);
        }
    }

    private void refreshHints(List<McpSchema.Tool> tools) {
        Map<String, ToolHints> map = new HashMap<>();
        for (McpSchema.Tool tool : tools) {
            map.put(tool.name(), ToolHintsMapping.of(tool.annotations()));
        }
        hints = Map.copyOf(map);
        emit(McpEndpointEvent.Type.TOOLS_REFRESHED, tools.size() + " tools", 0);
    }

    /** Whether this endpoint's last {@code tools/list} named {@code tool}. */
    public boolean listed(String tool) {
        return hints.containsKey(tool);
    }

    /** The hints of {@code tool}: its annotations if this endpoint is trusted, else {@code UNTRUSTED}. */
    public ToolHints hints(String tool) {
        if (!endpoint.trusted()) {
            return ToolHints.UNTRUSTED;
        }
        return hints.getOrDefault(tool, ToolHints.UNTRUSTED);
    }

    /**
     * Calls a tool with its own deadline. The returned future completes with the result, or with an
     * {@link McpDeadlineExceededException}, {@link McpConnectionLostException},
     * {@link SessionRestartedException} or the SDK's (unwrapped) error. Cancelling it abandons the
     * request and sends {@code notifications/cancelled}.
     */
    public CompletableFuture<McpSchema.CallToolResult> call(ToolCall call, Map<String, Object> meta,
            Duration deadline) {
        CompletableFuture<McpSchema.CallToolResult> result = new CompletableFuture<>();
        if (state.get() == ConnectionState.FAILED || state.get() == ConnectionState.CLOSED) {
            result.completeExceptionally(new EndpointUnavailableException(endpoint.id(), state.get().name()));
            return result;
        }
        CallHandle handle = new CallHandle(deadline);
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(() -> {
                if (!result.isDone()) {
                    handle.abandon(McpOutcomes.REQUEST_TIMEOUT, "deadline of " + deadline + " exceeded");
                    result.completeExceptionally(new McpDeadlineExceededException(endpoint.id(), call.toolName(),
                            deadline));
                }
            }, deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Without its deadline timer the call could hang: do not send it (REJECTED, not retried).
            result.completeExceptionally(new EndpointUnavailableException(endpoint.id(), "scheduler shut down"));
            return result;
        }
        result.whenComplete((r, e) -> {
            timer.cancel(false);
            if (result.isCancelled()) {
                handle.abandon(McpOutcomes.REQUEST_TIMEOUT, "cancelled by the client");
            }
            handle.forget(); // e.g. the SDK's own request timeout ended it: no response will remove it
        });
        attempt(call, meta, handle, result, config.sessionRetries());
        return result;
    }

    private void attempt(ToolCall call, Map<String, Object> meta, CallHandle handle,
            CompletableFuture<McpSchema.CallToolResult> result, int sessionRetriesLeft) {
        ready.whenComplete((session, err) -> {
            if (result.isDone()) {
                return;
            }
            if (err != null) {
                result.completeExceptionally(McpOutcomeClassifier.unwrapAll(err));
                return;
            }
            McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(call.toolName(), call.arguments(), meta);
            session.client().callTool(request).contextWrite(Context.of(LivenessTransport.CALL_KEY, handle))
                    .subscribe(result::complete, e -> onCallError(call, meta, handle, result, sessionRetriesLeft, e));
        });
    }

    private void onCallError(ToolCall call, Map<String, Object> meta, CallHandle handle,
            CompletableFuture<McpSchema.CallToolResult> result, int sessionRetriesLeft, Throwable e) {
        if (result.isDone()) {
            return;
        }
        Throwable t = McpOutcomeClassifier.unwrapAll(e);
        if (McpOutcomeClassifier.isSessionTerminated(t)) {
            if (call.hints().safeToRepeat() && sessionRetriesLeft > 0) {
                log.debug("endpoint {}: session terminated, re-sending {} (safe to repeat)", endpoint.id(),
                        call.toolName());
                attempt(call, meta, handle, result, sessionRetriesLeft - 1);
            } else {
                result.completeExceptionally(new SessionRestartedException(endpoint.id(), call.toolName(), t));
            }
            return;
        }
        if (t instanceof McpError mcp && mcp.getJsonRpcError() != null
                && LivenessTransport.isSynthetic(mcp.getJsonRpcError().data())) {
            Integer code = mcp.getJsonRpcError().code();
            if (code != null && code == McpOutcomes.REQUEST_TIMEOUT) {
                result.completeExceptionally(new McpDeadlineExceededException(endpoint.id(), call.toolName(),
                        deadlineOf(handle)));
            } else if (state.get() == ConnectionState.SUSPECT) {
                result.completeExceptionally(new EndpointSuspectedException(endpoint.id(),
                        mcp.getJsonRpcError().message() + "; tool '" + call.toolName() + "' may or may not have run",
                        mcp));
            } else {
                result.completeExceptionally(new McpConnectionLostException(endpoint.id(),
                        mcp.getJsonRpcError().message() + "; tool '" + call.toolName() + "' may or may not have run",
                        mcp));
            }
            return;
        }
        if (t instanceof TimeoutException) {
            result.completeExceptionally(new McpDeadlineExceededException(endpoint.id(), call.toolName(),
                    config.sdkRequestTimeout()));
            return;
        }
        if (!(t instanceof McpError) && !(t instanceof McpCallException)
                && McpOutcomes.classifier().classify(null, t) == CallOutcome.TRANSPORT_ERROR) {
            // A raw transport failure (e.g. the server was SIGKILLed while the HTTP request was pending:
            // "header parser received no bytes") gets the same typed error as a failure the liveness probe finds.
            // "Not sent" only when the transport proved it: refused before anything was heard after the send.
            boolean notSent = handle.notSent();
            result.completeExceptionally(notSent
                    ? new McpConnectionLostException(endpoint.id(), McpConnectionLostException.Delivery.NOT_SENT,
                            "cannot connect to endpoint '" + endpoint.id() + "'; tool '" + call.toolName()
                                    + "' was not sent", t)
                    : new McpConnectionLostException(endpoint.id(), McpConnectionLostException.Delivery.UNKNOWN,
                            "connection to endpoint '" + endpoint.id() + "' lost (" + t + "); tool '"
                                    + call.toolName() + "' may or may not have run", t));
            return;
        }
        result.completeExceptionally(t);
    }

    private Duration deadlineOf(CallHandle handle) {
        Duration d = handle.deadline();
        return d == null ? config.callTimeout() : d;
    }

    /**
     * Completes with {@code true} as soon as this endpoint is READY, or with {@code false} after
     * {@code nanos} (on the client's scheduler).
     */
    CompletableFuture<Boolean> readyWithin(long nanos) {
        CompletableFuture<Boolean> out = new CompletableFuture<>();
        if (isReady()) {
            out.complete(true);
            return out;
        }
        ready.whenComplete((s, e) -> out.complete(e == null && isReady()));
        try {
            scheduler.schedule(() -> out.complete(isReady()), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            out.complete(isReady());
        }
        return out;
    }

    /** About the p95 latency of {@code tool}'s answered calls here, or -1 before any. */
    long highLatencyNanos(String tool) {
        LatencyEstimate e = toolLatency.get(tool);
        return e == null ? -1 : e.highQuantileNanos();
    }

    /** Why the last attempt to connect and initialize failed, or {@code null} when none has failed. */
    public Throwable lastConnectError() {
        return lastConnectError;
    }

    /**
     * How long this endpoint has owed an answer (a call or a ping) in silence: 0 when it owes none or is
     * not READY, {@link Long#MAX_VALUE} when SUSPECT.
     */
    long silenceNanos() {
        ConnectionState st = state.get();
        if (st == ConnectionState.SUSPECT) {
            return Long.MAX_VALUE;
        }
        Session s = current;
        return st == ConnectionState.READY && s != null ? s.transport().silenceNanos(config.nanoTime().getAsLong()) : 0;
    }

    /** The requests sent on the current session and not yet answered (calls, pings), 0 without a session. */
    int pendingRequests() {
        Session s = current;
        return s == null ? 0 : s.transport().inFlightCount();
    }

    /** Whether calls are sent right away (the session is initialized). */
    public boolean isReady() {
        return state.get() == ConnectionState.READY;
    }

    /**
     * Starts watching the progress notifications of a call whose {@code _meta} carries a progress token;
     * {@code null} when it carries none, or when another call in flight here uses the same token (that
     * call is then scored by its whole duration). End it with {@link #unwatch}.
     */
    ProgressWatch watchProgress(Map<String, Object> meta, long startNanos) {
        Object key = ProgressWatch.keyOf(meta);
        if (key == null) {
            return null;
        }
        ProgressWatch w = new ProgressWatch(key, startNanos);
        return progressWatches.putIfAbsent(key, w) == null ? w : null;
    }

    /** Stops watching ({@code null}: nothing to do). */
    void unwatch(ProgressWatch watch) {
        if (watch != null) {
            progressWatches.remove(watch.key, watch);
        }
    }

    private void onProgress(McpSchema.ProgressNotification n) {
        Object key = n == null ? null : ProgressWatch.key(n.progressToken());
        ProgressWatch w = key == null ? null : progressWatches.get(key);
        if (w != null) {
            w.onProgress(config.nanoTime().getAsLong());
        }
    }

    /**
     * Feeds the health signal with one finished call: {@code nanos} is its whole duration (the call meter,
     * the hedge delay), {@code responseNanos} how long the server kept the caller waiting without a sign of
     * life (the response-time indicator of the endpoint's score and the response-time meter); they differ
     * only for a call that received progress notifications.
     */
    public void record(String tool, CallOutcome outcome, long nanos, long responseNanos, OutcomePolicy policy) {
        if (config.adaptiveHedging() && (outcome == CallOutcome.SUCCESS || outcome == CallOutcome.TOOL_ERROR)) {
            LatencyEstimate e = toolLatency.get(tool);
            if (e == null) {
                e = toolLatency.computeIfAbsent(tool, t -> new LatencyEstimate());
            }
            e.sample(nanos);
        }
        if (outcome != CallOutcome.REJECTED) {
            if (feedsResponseTime) {
                monitor.record(RESPONSE_TIME, responseNanos / 1e6);
            }
            meters.responseTime(responseNanos);
            if (feedsErrorRate) {
                monitor.record(ERROR_RATE, policy.isFailure(outcome) ? 1 : 0);
            }
        }
        if (policy.isFailure(outcome)) {
            failures.increment();
            consecutiveFailures.incrementAndGet();
        } else if (outcome != CallOutcome.REJECTED) {
            successes.increment();
            consecutiveFailures.set(0);
        }
        meters.call(tool, outcome, nanos);
    }

    public EndpointHealth health() {
        return new EndpointHealth(endpoint.id(), state.get(), successes.sum(), failures.sum(),
                consecutiveFailures.get(), lastPingMillis, failedPings.sum(), failedFast.sum(), restarts.sum(),
                suspicions.sum(), rtt.timeoutNanos() / 1e6, monitor.score());
    }

    public ConnectionState state() {
        return state.get();
    }

    @Override
    public void close() {
        Session s;
        McpAsyncClient initializing;
        synchronized (this) {
            state.set(ConnectionState.CLOSED);
            s = current;
            current = null;
            initializing = connecting;
            connecting = null;
            generation++;
        }
        if (initializing != null) {
            // still initializing: its stdio child runs already and must not outlive the client
            initializing.close();
        }
        ScheduledFuture<?> p = pingTask;
        if (p != null) {
            p.cancel(false);
        }
        monitor.close();
        ready.completeExceptionally(new McpConnectionLostException(endpoint.id(), "client closed", null));
        if (s != null) {
            s.transport().failAllPending("client closed");
            try {
                s.client().closeGracefully().block(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                log.debug("endpoint {}: graceful close failed: {}", endpoint.id(), e.toString());
                s.client().close();
            }
        }
    }

    private void emit(McpEndpointEvent.Type type, String detail, int affected) {
        try {
            config.eventListener().onEvent(new McpEndpointEvent(endpoint.id(), type, config.clock().instant(), detail,
                    affected));
        } catch (RuntimeException e) {
            log.warn("endpoint {}: event listener failed: {}", endpoint.id(), e.toString());
        }
    }
}
