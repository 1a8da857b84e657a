/**
 * Extension points of the failover module: active health checks ({@link
 * io.qudag.resilience.failover.spi.HealthProbe}) and session re-creation on a new endpoint ({@link
 * io.qudag.resilience.failover.spi.SessionStateReplicator}), both implemented by the MCP binding.
 */
package io.qudag.resilience.failover.spi;
