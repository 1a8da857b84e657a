/** Bounded resource exhaustion: memory, thread pools, CPU (spec §5.1 {@code resource_exhaustion}). */
package io.qudag.resilience.chaos.resource;
