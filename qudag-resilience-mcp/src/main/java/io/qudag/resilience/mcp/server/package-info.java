/**
 * Server side of the MCP binding: {@link io.qudag.resilience.mcp.server.ResilientTools} wraps
 * {@code SyncToolSpecification} / {@code AsyncToolSpecification} handlers with bulkheads per isolation
 * class, time limits and breakers, and answers refusals with well-formed MCP results; given an
 * idempotency store it runs each keyed call of a destructive, non-idempotent tool at most once, and
 * each call of a transactional tool (its effect committed with the call's record) exactly once.
 */
package io.qudag.resilience.mcp.server;
