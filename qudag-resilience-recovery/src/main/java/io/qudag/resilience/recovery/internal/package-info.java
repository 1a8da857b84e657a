/** Implementation of the recovery module. Not API: may change without notice. */
package io.qudag.resilience.recovery.internal;
