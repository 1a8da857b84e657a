/** Extension points of the MCP binding: endpoint selection (where failover plugs in). */
package io.qudag.resilience.mcp.spi;
