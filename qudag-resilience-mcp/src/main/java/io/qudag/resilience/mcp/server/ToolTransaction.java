package io.qudag.resilience.mcp.server;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * What a {@link TransactionalToolHandler} returns (spec §4.2 event sourcing applied to tool calls):
 * the answer for the caller and the effect, as data, that the call commits. {@link ResilientTools}
 * writes both in one journal record under the call's idempotency key and then applies the effect to
 * the store's {@link io.qudag.resilience.recovery.spi.TransactionalEffects}.
 *
 * @param result the tool result the caller gets (and every repeat of the key)
 * @param effect the state change to commit, or {@code null} for none (e.g. a refused transfer)
 */
public record ToolTransaction(McpSchema.CallToolResult result, byte[] effect) {

    /**
     * Validates the result.
     *
     * @param result the tool result the caller gets, not {@code null}
     * @param effect the state change to commit, or {@code null} for none
     * @throws IllegalArgumentException when {@code result} is {@code null}
     */
    public ToolTransaction {
        if (result == null) {
            throw new IllegalArgumentException("result must not be null, was null");
        }
    }

    /**
     * A transaction committing {@code effect} and answering {@code result}.
     *
     * @param result the tool result the caller gets, not {@code null}
     * @param effect the state change to commit, or {@code null} for none
     * @return the transaction
     */
    public static ToolTransaction of(McpSchema.CallToolResult result, byte[] effect) {
        return new ToolTransaction(result, effect);
    }

    /**
     * A transaction that changes nothing and answers {@code result}.
     *
     * @param result the tool result the caller gets, not {@code null}
     * @return the transaction
     */
    public static ToolTransaction noEffect(McpSchema.CallToolResult result) {
        return new ToolTransaction(result, null);
    }
}
