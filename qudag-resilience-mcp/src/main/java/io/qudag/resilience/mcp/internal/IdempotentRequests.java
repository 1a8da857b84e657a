package io.qudag.resilience.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.IdempotencyKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Byte forms shared by both sides of at-most-once calls: the request an intent is keyed by, results. */
public final class IdempotentRequests {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private IdempotentRequests() {
    }

    /** What an intent is keyed by: tool name and arguments as JSON, map entries sorted ({@code _meta} excluded). */
    public static byte[] requestBytes(McpSchema.CallToolRequest request) {
        Map<String, Object> r = new TreeMap<>();
        r.put("name", request.name());
        r.put("arguments", request.arguments() == null ? Map.of() : request.arguments());
        try {
            return CANONICAL.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] resultBytes(McpSchema.CallToolResult result) {
        try {
            return JSON.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static McpSchema.CallToolResult result(String key, byte[] bytes) {
        try {
            return JSON.readValue(bytes, McpSchema.CallToolResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("recorded result of idempotency key '" + key + "' is unreadable", e);
        }
    }

    /** {@code r} with {@link IdempotencyKeys#META_STATE} set to {@code state}. */
    public static McpSchema.CallToolResult withState(McpSchema.CallToolResult r, String state) {
        Map<String, Object> meta = r.meta() == null ? new HashMap<>() : new HashMap<>(r.meta());
        meta.put(IdempotencyKeys.META_STATE, state);
        McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder().content(r.content()).isError(r.isError())
                .meta(meta);
        if (r.structuredContent() != null) {
            b.structuredContent(r.structuredContent());
        }
        return b.build();
    }

    /** A tool error result saying {@code message}, with {@code state} in its {@code _meta} unless null. */
    public static McpSchema.CallToolResult error(String message, String state) {
        McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder().addTextContent(message).isError(true);
        if (state != null) {
            b.meta(Map.of(IdempotencyKeys.META_STATE, state));
        }
        return b.build();
    }
}
