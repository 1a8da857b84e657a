/** Implementations of the injectors; not an API. */
package io.qudag.resilience.chaos.internal;
