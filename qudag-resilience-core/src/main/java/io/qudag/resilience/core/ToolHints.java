package io.qudag.resilience.core;

/**
 * The MCP tool annotations that decide whether a call is safe to repeat (MCP spec 2025-03-26,
 * {@code readOnlyHint}, {@code destructiveHint}, {@code idempotentHint}, {@code openWorldHint}).
 *
 * <p>They are hints: honour them only for servers the user trusts. {@link #UNTRUSTED} carries the
 * MCP defaults (not read-only, destructive, not idempotent, open world), so a call with those hints
 * is never repeated automatically.
 *
 * @param readOnly   the tool does not modify its environment
 * @param destructive the tool may perform destructive updates (meaningful only when not read-only)
 * @param idempotent repeating the call with the same arguments has no additional effect
 * @param openWorld  the tool interacts with an open world of external entities
 */
public record ToolHints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {

    /** The MCP defaults, used for tools of untrusted servers and tools without annotations. */
    public static final ToolHints UNTRUSTED = new ToolHints(false, true, false, true);

    /** A read-only tool (implies safe to repeat). */
    public static final ToolHints READ_ONLY = new ToolHints(true, false, true, true);

    /** A tool that writes but is idempotent. */
    public static final ToolHints IDEMPOTENT = new ToolHints(false, false, true, true);

    /**
     * {@return whether this call may be repeated automatically (retry, hedging, transparent re-send after a
     * session restart): read-only or idempotent}
     */
    public boolean safeToRepeat() {
        return readOnly || idempotent;
    }

    /**
     * {@return the hints that hold for both, for a call that may be served by either of two servers: read-only
     * and idempotent only if both say so, destructive and open-world if either does}
     *
     * @param other the other server's hints
     */
    public ToolHints and(ToolHints other) {
        return new ToolHints(readOnly && other.readOnly, destructive || other.destructive,
                idempotent && other.idempotent, openWorld || other.openWorld);
    }
}
