/** Implementation of the failover adapter of the MCP client; not API. */
package io.qudag.resilience.mcp.failover.internal;
