/** The adaptive circuit breaker of spec §3.1. */
package io.qudag.resilience.core.breaker;
