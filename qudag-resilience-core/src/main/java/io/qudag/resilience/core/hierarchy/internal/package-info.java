/** Implementation of the breaker hierarchy. Not API: may change without notice. */
package io.qudag.resilience.core.hierarchy.internal;
