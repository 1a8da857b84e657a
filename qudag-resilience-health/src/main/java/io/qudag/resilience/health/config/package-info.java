/**
 * Configuration-file blocks of the health module ({@code health_monitoring_system},
 * {@code health_consensus}; spec §2.1, §2.2), loaded by core's {@code ConfigFile}.
 */
package io.qudag.resilience.health.config;
