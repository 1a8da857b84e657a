/**
 * The MCP binding: {@link io.qudag.resilience.mcp.ResilientMcpClient} (sync) and
 * {@link io.qudag.resilience.mcp.ResilientMcpAsyncClient} on the official MCP Java SDK, with per-call
 * deadlines, fast failure of in-flight calls, outcome classification for Java and TypeScript
 * servers, trusted tool hints, session restart handling, stdio supervision and hedging.
 */
package io.qudag.resilience.mcp;
