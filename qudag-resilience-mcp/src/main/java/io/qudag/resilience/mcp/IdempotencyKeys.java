package io.qudag.resilience.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * The wire names of at-most-once tool calls (spec §4.2 event sourcing applied to tool calls): a
 * client puts an idempotency key in a {@code tools/call} request's {@code _meta} under
 * {@link #META_KEY}; a server on the library runs each key at most once and says in the result's
 * {@code _meta} under {@link #META_STATE} when an answer is a replay, still running, or unknown.
 */
public final class IdempotencyKeys {

    /** {@code _meta} entry of a {@code tools/call} request carrying its idempotency key (a string). */
    public static final String META_KEY = "io.qudag/idempotency-key";

    /** {@code _meta} entry of a result answered by the idempotency layer; values below. */
    public static final String META_STATE = "io.qudag/idempotency-state";

    /** The recorded result of a key that already ran. */
    public static final String STATE_REPLAYED = "replayed";

    /** The key is running on the server; ask again later with the same key. */
    public static final String STATE_IN_PROGRESS = "in-progress";

    /**
     * The server recorded the intent but no result (it crashed while running it): it will not run the
     * key again, and cannot say whether it took effect.
     */
    public static final String STATE_UNKNOWN = "unknown";

    private IdempotencyKeys() {
    }

    /**
     * Reads the idempotency key a request carries in its {@code _meta}.
     *
     * @param request a {@code tools/call} request
     * @return its idempotency key, or {@code null} when it has none
     */
    public static String keyOf(McpSchema.CallToolRequest request) {
        Map<String, Object> meta = request.meta();
        return meta != null && meta.get(META_KEY) instanceof String s && !s.isEmpty() ? s : null;
    }

    /**
     * Reads what the idempotency layer said about a result.
     *
     * @param result a {@code tools/call} result, or {@code null}
     * @return one of the {@code STATE_*} values, or {@code null} for a first, ordinary answer
     */
    public static String stateOf(McpSchema.CallToolResult result) {
        Map<String, Object> meta = result == null ? null : result.meta();
        return meta != null && meta.get(META_STATE) instanceof String s ? s : null;
    }
}
