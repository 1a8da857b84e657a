/**
 * Metric sources of spec §2.1: system (JMX CPU and heap, Linux {@code /proc/diskstats}), application
 * (Micrometer meters by name) and business (user gauges).
 */
package io.qudag.resilience.health.source;
