/** Extension points of the adaptive circuit breaker (spec §3.1): the signals that feed its adaptive factors. */
package io.qudag.resilience.core.breaker.spi;
