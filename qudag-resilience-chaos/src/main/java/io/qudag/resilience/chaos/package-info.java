/**
 * Chaos engineering for MCP setups (spec §5): fault injectors that sit in the resilience pipeline,
 * network, process, disk and resource faults, chaos experiments with a steady-state hypothesis, blast
 * radius and automatic abort, disaster-recovery drills, and their reports. Chaos is off unless it is
 * enabled in code and by the environment guard {@code QUDAG_CHAOS_ENABLED=true}.
 */
package io.qudag.resilience.chaos;
