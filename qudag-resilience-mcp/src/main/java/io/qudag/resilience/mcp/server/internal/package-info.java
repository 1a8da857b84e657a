/** Implementation of the server-side decoration; not API. */
package io.qudag.resilience.mcp.server.internal;
