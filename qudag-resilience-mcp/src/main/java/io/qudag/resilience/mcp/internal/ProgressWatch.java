package io.qudag.resilience.mcp.internal;

import java.util.Map;

/**
 * The server's responsiveness during one tool call that asked for progress (a {@code progressToken} in
 * its {@code _meta}), for health scoring (spec §2.1 response time): a tool that reports progress is slow
 * by design, so the time the server kept the caller waiting is the longest silence of the call (from the
 * request to the first progress notification, between two notifications, from the last one to the
 * result), not the tool's total duration. Without any notification it is the whole duration, as for a
 * call without a token.
 *
 * <p>Thread-safe: notifications arrive on the transport's thread, the result on another.
 */
final class ProgressWatch {

    /** The {@code _meta} key of the progress token (MCP). */
    static final String TOKEN_KEY = "progressToken";

    final Object key;
    private final long startNanos;
    private long lastNanos;
    private long longestGapNanos;
    private int notifications;

    ProgressWatch(Object key, long startNanos) {
        this.key = key;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    /** The progress token of {@code meta} as a map key, or {@code null} when the call asked for none. */
    static Object keyOf(Map<String, Object> meta) {
        return meta == null ? null : key(meta.get(TOKEN_KEY));
    }

    /**
     * The token as a map key: JSON gives a number token back as whatever integer type fits, so numbers
     * compare by their long value; any other token by its text.
     */
    static Object key(Object token) {
        if (token == null) {
            return null;
        }
        return token instanceof Number n ? (Object) Long.valueOf(n.longValue()) : token.toString();
    }

    /** A progress notification arrived at {@code nanos}. */
    synchronized void onProgress(long nanos) {
        long gap = nanos - lastNanos;
        if (gap > longestGapNanos) {
            longestGapNanos = gap;
        }
        if (nanos > lastNanos) {
            lastNanos = nanos;
        }
        notifications++;
    }

    /** How many notifications arrived. */
    synchronized int notifications() {
        return notifications;
    }

    /**
     * The responsiveness sample of the call that ended at {@code endNanos}: its longest silence when a
     * notification arrived, else its whole duration.
     */
    synchronized long responseNanos(long endNanos) {
        if (notifications == 0) {
            return Math.max(0, endNanos - startNanos);
        }
        return Math.max(longestGapNanos, Math.max(0, endNanos - lastNanos));
    }
}
