/**
 * Server side of the MCP binding: {@link io.qudag.resilience.mcp.server.ResilientTools} wraps
 * {@code SyncToolSpecification} / {@code AsyncToolSpecification} handlers with bulkheads per isolation
 * class, time limits and breakers, and answers refusals with well-formed MCP results; given an
 * idempotency store it runs each keyed call of a destructive, non-idempotent tool at most once.
 */
package io.qudag.resilience.mcp.server;
