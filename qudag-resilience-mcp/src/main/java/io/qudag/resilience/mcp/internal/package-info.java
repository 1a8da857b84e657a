/** Implementation of the MCP binding; not API. */
package io.qudag.resilience.mcp.internal;
