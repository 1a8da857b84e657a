/**
 * The disaster-recovery plan of spec §4.3 as code: incidents classified into {@link
 * io.qudag.resilience.core.plan.DisasterLevel}s from the library's own signals, recovery procedures run
 * in {@link io.qudag.resilience.core.plan.RecoveryPhase} order with an audit trail, and the business
 * continuity {@link io.qudag.resilience.core.plan.OperatingMode}s users get meanwhile.
 */
package io.qudag.resilience.core.plan;
