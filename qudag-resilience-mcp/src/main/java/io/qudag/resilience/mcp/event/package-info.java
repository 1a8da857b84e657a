/** Events of the MCP binding: what liveness and supervision saw on each endpoint. */
package io.qudag.resilience.mcp.event;
