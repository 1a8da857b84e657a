/** MCP-shaped faults built from the MCP Java SDK types (optional dependency). */
package io.qudag.resilience.chaos.mcp;
