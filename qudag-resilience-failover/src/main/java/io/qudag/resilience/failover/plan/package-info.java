/**
 * The failover module's part of the disaster-recovery plan (spec §4.3): {@link
 * io.qudag.resilience.failover.plan.FailoverPlanSignals} turns an endpoint group's state into incident
 * signals (endpoint down or up, tier partitioned or available), and {@link
 * io.qudag.resilience.failover.plan.FailoverProcedures} contributes the built-in procedures "activate
 * the alternative tier" and "validate that the tier is back".
 */
package io.qudag.resilience.failover.plan;
