package io.qudag.resilience.mcp.internal;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.mcp.EndpointUnavailableException;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of at-most-once calls: the intent is recorded under a key before the call is sent, and
 * a known outcome after it; an unknown outcome leaves the intent unresolved.
 */
final class ClientIntents {

    private static final Logger log = LoggerFactory.getLogger(ClientIntents.class);

    private final IdempotencyStore store;
    private final boolean repeatable;

    /**
     * @param repeatable whether keyed calls are retried and failed over: a last attempt that was not
     *                   sent then proves nothing about an earlier one
     */
    ClientIntents(IdempotencyStore store, boolean repeatable) {
        this.store = store;
        this.repeatable = repeatable;
    }

    IdempotencyStore store() {
        return store;
    }

    /** The caller's key, or a fresh one. */
    static String keyFor(McpSchema.CallToolRequest request) {
        String given = IdempotencyKeys.keyOf(request);
        return given != null ? given : UUID.randomUUID().toString();
    }

    static Map<String, Object> metaWithKey(Map<String, Object> meta, String key) {
        Map<String, Object> m = meta == null ? new HashMap<>() : new HashMap<>(meta);
        m.put(IdempotencyKeys.META_KEY, key);
        return m;
    }

    /** Records the intent; the entry's state says whether to send (STARTED) or what to answer. */
    IdempotencyStore.Entry begin(String key, McpSchema.CallToolRequest request) {
        return store.begin(key, IdempotentRequests.requestBytes(request));
    }

    /** An intent already recorded for {@code key} must be of the same request. */
    void checkSameRequest(IdempotencyStore.Entry entry, McpSchema.CallToolRequest request) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(IdempotentRequests.requestBytes(request));
        if (crc.getValue() != entry.requestCrc32c()) {
            throw new IllegalArgumentException("key '" + entry.key() + "' was recorded for a different request than "
                    + "tool '" + request.name() + "' with these arguments");
        }
    }

    static McpSchema.CallToolResult recorded(IdempotencyStore.Entry entry) {
        return IdempotentRequests.withState(IdempotentRequests.result(entry.key(), entry.result()),
                IdempotencyKeys.STATE_REPLAYED);
    }

    /** Records what is known of {@code sent}'s outcome; the caller gets the outcome unchanged. */
    CompletableFuture<McpSchema.CallToolResult> record(String key, String tool,
            CompletableFuture<McpSchema.CallToolResult> sent) {
        CompletableFuture<McpSchema.CallToolResult> out = new CompletableFuture<>();
        sent.whenComplete((r, e) -> {
            try {
                if (e == null) {
                    String state = IdempotencyKeys.stateOf(r);
                    if (!IdempotencyKeys.STATE_IN_PROGRESS.equals(state) && !IdempotencyKeys.STATE_UNKNOWN.equals(state)) {
                        complete(key, IdempotentRequests.resultBytes(r), Boolean.TRUE.equals(r.isError()));
                    }
                } else {
                    Throwable u = McpOutcomeClassifier.unwrapAll(e);
                    if (!repeatable && definite(u)) {
                        complete(key, IdempotentRequests.resultBytes(IdempotentRequests.error("tool '" + tool
                                + "' failed: " + u.getMessage(), null)), true);
                    } else {
                        log.info("tool {} key {}: outcome unknown ({}); the intent stays unresolved", tool, key,
                                u.toString());
                    }
                }
            } catch (RuntimeException recordFailure) {
                log.warn("tool {} key {}: could not record the outcome; the intent stays unresolved", tool, key,
                        recordFailure);
            } finally {
                if (e == null) {
                    out.complete(r);
                } else {
                    out.completeExceptionally(McpOutcomeClassifier.unwrapAll(e));
                }
            }
        });
        return out;
    }

    private void complete(String key, byte[] result, boolean error) {
        IdempotencyStore.Entry now = store.lookup(key).orElse(null);
        if (now != null && now.state() != IdempotencyStore.State.COMPLETED) {
            store.complete(key, result, error);
        }
    }

    /** Failures with a known outcome: nothing was sent, or the server answered with an error. */
    private static boolean definite(Throwable u) {
        if (u instanceof McpConnectionLostException lost) {
            return lost.notSent();
        }
        return u instanceof EndpointUnavailableException || u instanceof RejectedCallException
                || u instanceof McpError;
    }
}
