/**
 * Distributed health of spec §2.2: composable aggregators (local agents, regional coordinators, the
 * global controller) and the weighted health consensus protocol behind a vote transport.
 */
package io.qudag.resilience.health.distributed;
