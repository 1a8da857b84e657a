/** Network faults on real TCP through loopback proxies (spec §5.1 {@code network_partition}). */
package io.qudag.resilience.chaos.network;
