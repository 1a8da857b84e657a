package io.qudag.resilience.mcp.internal;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.core.Outcomes;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * An {@link McpClientTransport} around the SDK's (HTTP or stdio) that sees every outgoing request id
 * and every incoming message. It is the lever for fast failure: a pending request is completed at
 * once by handing the SDK client a synthetic JSON-RPC error response for its id
 * ({@link McpOutcomes#CONNECTION_CLOSED} when the connection or child died,
 * {@link McpOutcomes#REQUEST_TIMEOUT} when the call was abandoned at its deadline), instead of the SDK
 * waiting for its whole request timeout.
 */
public final class LivenessTransport implements McpClientTransport {

    /** Reactor context key under which a call carries its {@link CallHandle}. */
    public static final String CALL_KEY = "io.qudag.resilience.mcp.call";
    /** Key in the synthetic error's data naming this library as its author. */
    public static final String SYNTHETIC_MARKER = "io.qudag.resilience.synthetic";

    private static final Logger log = LoggerFactory.getLogger(LivenessTransport.class);
    private static final String TOOLS_CALL = McpSchema.METHOD_TOOLS_CALL;
    /** MCP spec: the notification that tells the server a request was abandoned. */
    public static final String METHOD_CANCELLED = "notifications/cancelled";

    private final String endpointId;
    private final McpClientTransport delegate;
    private final LongSupplier nanoTime;
    private final Consumer<Throwable> connectionErrorListener;
    private final Runnable heardWhileSuspect;
    private final AtomicLong heard = new AtomicLong();
    private final ConcurrentHashMap<Object, String> inFlight = new ConcurrentHashMap<>();
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    private volatile long lastHeardNanos;
    /** Since when the peer owes an answer and has said nothing: 0 when nothing is outstanding. */
    private volatile long awaitingSinceNanos;
    private volatile boolean suspect;
    private volatile boolean closed;

    /**
     * @param connectionErrorListener told when sending fails with an I/O error (server unreachable)
     */
    public LivenessTransport(String endpointId, McpClientTransport delegate, LongSupplier nanoTime,
            Consumer<Throwable> connectionErrorListener) {
        this(endpointId, delegate, nanoTime, connectionErrorListener, () -> { });
    }

    /**
     * @param connectionErrorListener told when sending fails with an I/O error (server unreachable)
     * @param heardWhileSuspect       told when a message arrives while the peer is suspected (it is alive)
     */
    public LivenessTransport(String endpointId, McpClientTransport delegate, LongSupplier nanoTime,
            Consumer<Throwable> connectionErrorListener, Runnable heardWhileSuspect) {
        this.endpointId = endpointId;
        this.delegate = delegate;
        this.nanoTime = nanoTime;
        this.connectionErrorListener = connectionErrorListener;
        this.heardWhileSuspect = heardWhileSuspect;
        this.lastHeardNanos = nanoTime.getAsLong();
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        this.handler = handler;
        return delegate.connect(in -> handler.apply(in.doOnNext(this::onIncoming)));
    }

    private void onIncoming(McpSchema.JSONRPCMessage message) {
        lastHeardNanos = nanoTime.getAsLong();
        heard.incrementAndGet();
        if (message instanceof McpSchema.JSONRPCResponse response && response.id() != null) {
            inFlight.remove(response.id());
        }
        awaitingSinceNanos = inFlight.isEmpty() ? 0 : lastHeardNanos;
        if (suspect) {
            // Any message (a late answer, a progress notification, an error reply) proves the peer alive.
            suspect = false;
            try {
                heardWhileSuspect.run();
            } catch (RuntimeException e) {
                log.warn("endpoint {}: liveness listener failed: {}", endpointId, e.toString());
            }
        }
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (!(message instanceof McpSchema.JSONRPCRequest request) || request.id() == null) {
            return delegate.sendMessage(message);
        }
        return Mono.deferContextual(ctx -> {
            Object id = request.id();
            inFlight.put(id, request.method());
            if (awaitingSinceNanos == 0) {
                awaitingSinceNanos = nanoTime.getAsLong();
            }
            CallHandle handle = null;
            if (TOOLS_CALL.equals(request.method())) {
                handle = ctx.getOrDefault(CALL_KEY, null);
                if (handle != null) {
                    handle.bind(this, id, heard.get());
                }
            }
            CallHandle h = handle;
            if (suspect && TOOLS_CALL.equals(request.method())) {
                // This call took the session just before the endpoint was suspected and registered after
                // the suspicion's sweep (the flag is set before the sweep, and read here after the put):
                // fail it now, unsent, rather than let it wait for a silent server until its deadline.
                if (h != null) {
                    h.markNotSent();
                }
                complete(id, McpOutcomes.CONNECTION_CLOSED, "endpoint '" + endpointId
                        + "' suspected before the request was sent");
                return Mono.empty();
            }
            return delegate.sendMessage(message).doOnError(e -> {
                inFlight.remove(id);
                if (h != null && neverLeft(e, h)) {
                    h.markNotSent();
                }
                if (isConnectionError(e)) {
                    connectionErrorListener.accept(e);
                }
            });
        });
    }

    /**
     * Whether a failed send provably never delivered the request: the connection was refused (a
     * {@link ConnectException}) and nothing at all came in from the peer since the request was handed
     * to the transport. A refused reconnect after the request went out (the SDK resumes a broken SSE
     * stream and raises the same exception) is preceded by the server's answers or notifications, so it
     * stays "unknown".
     */
    private boolean neverLeft(Throwable e, CallHandle handle) {
        return Outcomes.findCause(e, ConnectException.class) != null && heard.get() == handle.heardAtSend();
    }

    static boolean isConnectionError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Completes one pending request with a synthetic error; optionally tells the server it is cancelled. */
    boolean cancel(Object id, int code, String reason) {
        boolean found = complete(id, code, reason);
        if (found && !suspect && !closed) {
            McpSchema.JSONRPCNotification cancelled = new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
                    METHOD_CANCELLED,
                    Map.of("requestId", id, "reason", reason));
            delegate.sendMessage(cancelled).subscribe(v -> { },
                    e -> log.debug("endpoint {}: notifications/cancelled for {} not sent: {}", endpointId, id,
                            e.toString()));
        }
        return found;
    }

    private boolean complete(Object id, int code, String reason) {
        if (inFlight.remove(id) == null) {
            return false;
        }
        Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> h = handler;
        if (h == null) {
            return false;
        }
        McpSchema.JSONRPCResponse synthetic = new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null,
                new McpSchema.JSONRPCResponse.JSONRPCError(code, reason, Map.of(SYNTHETIC_MARKER, endpointId)));
        h.apply(Mono.just(synthetic)).subscribe(v -> { },
                e -> log.debug("endpoint {}: synthetic response for {} not delivered: {}", endpointId, id,
                        e.toString()));
        return true;
    }

    /**
     * The connection (or child process) is considered dead: every pending request fails now with
     * {@link McpOutcomes#CONNECTION_CLOSED}. Until the peer is heard again, a tool call that still reaches
     * this transport fails the same way without being sent; pings and other requests are sent normally.
     *
     * @return how many pending requests were failed
     */
    public int failAllPending(String reason) {
        markSuspect();
        int n = 0;
        for (Object id : List.copyOf(inFlight.keySet())) {
            if (complete(id, McpOutcomes.CONNECTION_CLOSED, reason)) {
                n++;
            }
        }
        if (inFlight.isEmpty()) {
            awaitingSinceNanos = 0;
        }
        return n;
    }

    /** From now on the next incoming message is reported as proof of life. */
    public void markSuspect() {
        suspect = true;
    }

    /** Stops tracking a request whose call has ended without a response reaching us. */
    void forget(Object id) {
        inFlight.remove(id);
        if (inFlight.isEmpty()) {
            awaitingSinceNanos = 0;
        }
    }

    /**
     * How long the peer has been silent while it owed an answer: since the later of the last incoming
     * message and the first request sent after it, or 0 when nothing is outstanding. A live server that
     * answers pings never stays silent longer than a ping round trip, however long its tools run.
     */
    public long silenceNanos(long nowNanos) {
        long since = awaitingSinceNanos;
        return since == 0 || inFlight.isEmpty() ? 0 : Math.max(0, nowNanos - since);
    }

    /** Number of requests sent and not yet answered. */
    public int inFlightCount() {
        return inFlight.size();
    }

    /** How many messages came in so far (a change proves the peer answered meanwhile). */
    public long heardCount() {
        return heard.get();
    }

    /** Nanos (of the injected ticker) when a message last came in. */
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Whether the last liveness signal said the peer is gone (cleared by the next incoming message). */
    public boolean isSuspect() {
        return suspect;
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> closeGracefully() {
        closed = true;
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    /** Whether {@code error} (an SDK error's JSON-RPC data) was made by this class. */
    public static boolean isSynthetic(Object data) {
        return data instanceof Map<?, ?> m && m.containsKey(SYNTHETIC_MARKER);
    }
}
