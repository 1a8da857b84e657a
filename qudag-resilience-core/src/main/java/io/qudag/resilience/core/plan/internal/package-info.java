/** Implementation of the disaster-recovery plan (spec §4.3); not API. */
package io.qudag.resilience.core.plan.internal;
