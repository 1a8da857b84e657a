/**
 * Extension points of the disaster-recovery plan (spec §4.3): recovery procedures, the audit sink,
 * the approval callback for manual steps and extra classification rules.
 */
package io.qudag.resilience.core.plan.spi;
