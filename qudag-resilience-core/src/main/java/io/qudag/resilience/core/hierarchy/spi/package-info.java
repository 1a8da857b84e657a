/** Extension points of the breaker hierarchy (spec §3.2): the approval gate and per-level health checks. */
package io.qudag.resilience.core.hierarchy.spi;
