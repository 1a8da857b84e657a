/** Implementation details of the health module; not API. */
package io.qudag.resilience.health.internal;
