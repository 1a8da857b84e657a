/** Disaster-recovery drills with a one-call API, judged against the spec §5.2 criteria. */
package io.qudag.resilience.chaos.drill;
