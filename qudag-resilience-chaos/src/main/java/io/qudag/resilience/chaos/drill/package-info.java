/**
 * Disaster-recovery drills with a one-call API, judged against the spec §5.2 criteria; optionally run
 * against a disaster-recovery plan (spec §4.3), whose incident the drill's report then carries.
 */
package io.qudag.resilience.chaos.drill;
