/** Implementation details of the core. Not API: may change without notice. */
package io.qudag.resilience.core.internal;
