/** Disk failure through the core FileChannelFactory seam (spec §5.1 {@code disk_failure}). */
package io.qudag.resilience.chaos.disk;
