/** Implementation details of health scoring (spec §1.2, §2.1). Not API: may change without notice. */
package io.qudag.resilience.core.health.internal;
