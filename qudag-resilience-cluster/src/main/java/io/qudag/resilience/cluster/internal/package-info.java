/** Implementations; not part of the API. */
package io.qudag.resilience.cluster.internal;
