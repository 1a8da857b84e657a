package io.qudag.resilience.mcp.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.internal.IdempotentRequests;
import io.qudag.resilience.mcp.server.ToolTransaction;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each idempotency key at most once: the intent goes to the store before the handler runs, the
 * result after; a repeat gets the recorded result, waits for a key still running here, or is told the
 * key is in progress or its outcome unknown. A transactional tool's key runs exactly once: its result
 * and effect are committed in one record, so an intent an earlier process left without a commit is
 * run again ({@code resumed}).
 *
 * <p>While one request of a key talks to the store, it holds the key's slot in {@code running}; a
 * repeat arriving meanwhile waits for the slot and then asks the store. So an intent without a result
 * that nobody here holds was left by an earlier process: its outcome is unknown.
 */
public final class IdempotentCalls {

    private static final Logger log = LoggerFactory.getLogger(IdempotentCalls.class);

    private final IdempotencyStore store;
    private final Duration inProgressWait;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    /** Answers by outcome; entries null without a registry. */
    private final Counter[] answers = new Counter[Outcome.values().length];

    /** How a keyed call was answered (the {@code outcome} tag). */
    private enum Outcome { EXECUTED, RESUMED, REPLAYED, IN_PROGRESS, UNKNOWN, CONFLICT }

    public IdempotentCalls(IdempotencyStore store, Duration inProgressWait, String server, MeterRegistry registry) {
        this.store = store;
        this.inProgressWait = inProgressWait;
        if (registry != null) {
            for (Outcome o : Outcome.values()) {
                answers[o.ordinal()] = Counter.builder("qudag.resilience.mcp.server.idempotent.calls")
                        .tag("server", server).tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                        .description("keyed calls of tools that must run at most once, by how they were answered")
                        .register(registry);
            }
        }
    }

    private McpSchema.CallToolResult count(Outcome o, McpSchema.CallToolResult r) {
        Counter c = answers[o.ordinal()];
        if (c != null) {
            c.increment();
        }
        return r;
    }

    /**
     * Answers {@code request} under {@code key}: runs {@code handler} only when this call recorded the
     * intent. Blocking (the intent is made durable first).
     */
    public McpSchema.CallToolResult call(String key, McpSchema.CallToolRequest request,
            Supplier<McpSchema.CallToolResult> handler) {
        return inSlot(key, request, () -> owned(key, request, handler));
    }

    /**
     * Answers {@code request} under {@code key} for a transactional tool: runs {@code handler} when
     * this call recorded the intent, or took over one an earlier process left without a commit, and
     * commits its result and effect together. Blocking.
     */
    public McpSchema.CallToolResult callTransactional(String key, McpSchema.CallToolRequest request,
            Supplier<ToolTransaction> handler) {
        return inSlot(key, request, () -> ownedTransactional(key, request, handler));
    }

    /** Runs {@code owner} holding the key's slot, waiting (up to {@code inProgressWait}) for a holder. */
    private McpSchema.CallToolResult inSlot(String key, McpSchema.CallToolRequest request,
            Supplier<McpSchema.CallToolResult> owner) {
        long deadline = System.nanoTime() + inProgressWait.toNanos();
        while (true) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> other = running.putIfAbsent(key, mine);
            if (other == null) {
                try {
                    return owner.get();
                } finally {
                    running.remove(key, mine);
                    mine.complete(null);
                }
            }
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0) {
                    throw new TimeoutException();
                }
                other.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return count(Outcome.IN_PROGRESS, error("Tool '" + request.name() + "': idempotency key '" + key + "' is in progress on this "
                        + "server; ask again later with the same key", IdempotencyKeys.STATE_IN_PROGRESS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error("Tool '" + request.name() + "': interrupted while idempotency key '" + key
                        + "' was in progress; ask again later with the same key", IdempotencyKeys.STATE_IN_PROGRESS);
            } catch (ExecutionException e) {
                // never: the slot completes normally
            }
        }
    }

    /** With the key's slot held: nobody else here is running it. */
    private McpSchema.CallToolResult owned(String key, McpSchema.CallToolRequest request,
            Supplier<McpSchema.CallToolResult> handler) {
        IdempotencyStore.Entry entry;
        try {
            entry = store.begin(key, IdempotentRequests.requestBytes(request));
        } catch (IllegalArgumentException e) {
            return count(Outcome.CONFLICT, error("Tool '" + request.name() + "': idempotency key '" + key
                    + "' was already used for a different request; use a fresh key", null));
        }
        switch (entry.state()) {
            case STARTED:
                return count(Outcome.EXECUTED, run(key, request, handler));
            case COMPLETED:
                return count(Outcome.REPLAYED, IdempotentRequests.withState(
                        IdempotentRequests.result(entry.key(), entry.result()), IdempotencyKeys.STATE_REPLAYED));
            default:
                return unknown(key, request);
        }
    }

    private McpSchema.CallToolResult unknown(String key, McpSchema.CallToolRequest request) {
        return count(Outcome.UNKNOWN, error("Tool '" + request.name() + "': idempotency key '" + key + "' started before a server "
                + "restart and has no recorded result; its outcome is unknown and it will not run again",
                IdempotencyKeys.STATE_UNKNOWN));
    }

    /** With the key's slot held, for a transactional tool. */
    private McpSchema.CallToolResult ownedTransactional(String key, McpSchema.CallToolRequest request,
            Supplier<ToolTransaction> handler) {
        IdempotencyStore.Entry entry;
        try {
            entry = store.beginTransactional(key, IdempotentRequests.requestBytes(request));
        } catch (IllegalArgumentException e) {
            return count(Outcome.CONFLICT, error("Tool '" + request.name() + "': idempotency key '" + key
                    + "' was already used for a different request; use a fresh key", null));
        }
        switch (entry.state()) {
            case STARTED:
                return count(Outcome.EXECUTED, commit(key, request, handler));
            case RESUMED:
                log.info("tool {}: idempotency key {} was cut off before its commit by a restart; running it again",
                        request.name(), key);
                return count(Outcome.RESUMED, commit(key, request, handler));
            case COMPLETED:
                return count(Outcome.REPLAYED, IdempotentRequests.withState(
                        IdempotentRequests.result(entry.key(), entry.result()), IdempotencyKeys.STATE_REPLAYED));
            default:
                return unknown(key, request);
        }
    }

    private McpSchema.CallToolResult commit(String key, McpSchema.CallToolRequest request,
            Supplier<ToolTransaction> handler) {
        ToolTransaction tx;
        try {
            tx = handler.get();
            if (tx == null) {
                throw new IllegalStateException("the transactional handler returned null");
            }
        } catch (RuntimeException e) {
            // nothing was committed: the failure is the key's outcome, with no effect
            tx = ToolTransaction.noEffect(error("Tool '" + request.name() + "' failed: " + e.getMessage(), null));
        }
        McpSchema.CallToolResult result = tx.result();
        try {
            store.commit(key, IdempotentRequests.resultBytes(result), Boolean.TRUE.equals(result.isError()), tx.effect());
            return result;
        } catch (RuntimeException e) {
            log.warn("could not commit idempotency key {} of transactional tool {}", key, request.name(), e);
            throw e;
        }
    }

    private McpSchema.CallToolResult run(String key, McpSchema.CallToolRequest request,
            Supplier<McpSchema.CallToolResult> handler) {
        McpSchema.CallToolResult result;
        try {
            result = handler.get();
        } catch (RuntimeException e) {
            // A failed handler may have had effects: its failure is the recorded outcome of the key.
            result = error("Tool '" + request.name() + "' failed: " + e.getMessage(), null);
        }
        try {
            store.complete(key, IdempotentRequests.resultBytes(result), Boolean.TRUE.equals(result.isError()));
            return result;
        } catch (RuntimeException e) {
            log.warn("could not record the result of idempotency key {} of tool {}", key, request.name(), e);
            throw e;
        }
    }

    private static McpSchema.CallToolResult error(String message, String state) {
        return IdempotentRequests.error(message, state);
    }
}
