package io.qudag.resilience.mcp.server;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The handler of a transactional tool (spec §4.2, a transactional outbox for tool calls): instead of
 * changing anything itself, it computes the change and returns it as data in a
 * {@link ToolTransaction}; {@link ResilientTools#transactional} commits that effect together with the
 * call's recorded result, in one journal record, and only then applies it. Because nothing happens
 * outside that record, a call cut off by a crash before the commit had no effect, and the library
 * runs it again when the caller repeats its idempotency key: exactly once.
 *
 * <p>The handler must therefore have no side effect of its own (reading state is fine; a repeat may
 * run it more than once until one run commits). A handler that throws commits its error as the key's
 * result, with no effect.
 */
@FunctionalInterface
public interface TransactionalToolHandler {

    /**
     * Computes the answer and the effect of {@code request}, without applying the effect.
     *
     * @param exchange the server exchange of the call (client info, logging, progress)
     * @param request the tool call: name, arguments and {@code _meta}
     * @return the answer and the effect to commit
     */
    ToolTransaction call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request);
}
