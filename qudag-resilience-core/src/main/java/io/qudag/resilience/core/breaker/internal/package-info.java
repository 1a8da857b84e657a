/** Implementation of the adaptive circuit breaker. Not API: may change without notice. */
package io.qudag.resilience.core.breaker.internal;
