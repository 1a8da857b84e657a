/**
 * Health monitoring of spec §2: the monitored metrics and their thresholds (§2.1), alerts with
 * hysteresis, the composite score over core's health model, and the {@link
 * io.qudag.resilience.health.HealthMonitoringSystem} that ties them together.
 */
package io.qudag.resilience.health;
