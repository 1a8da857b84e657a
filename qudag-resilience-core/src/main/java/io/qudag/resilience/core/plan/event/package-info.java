/** Transitions of a disaster-recovery plan (spec §4.3), each also an entry of its audit trail. */
package io.qudag.resilience.core.plan.event;
