/**
 * The recovery module's part of the disaster-recovery plan of spec §4.3: the built-in procedure that
 * restores data from the last good snapshot ({@link io.qudag.resilience.recovery.plan.RecoveryPlanProcedures})
 * and the audit sink that makes an incident's trail durable in the journal
 * ({@link io.qudag.resilience.recovery.plan.JournalAuditSink}), and the signals a damaged journal sends the
 * plan ({@link io.qudag.resilience.recovery.plan.JournalPlanSignals}).
 */
package io.qudag.resilience.recovery.plan;
