/** Implementation of the failover module. Not API: may change without notice. */
package io.qudag.resilience.failover.internal;
