/**
 * Configuration-file blocks of the recovery module ({@code data_recovery_framework}, {@code journal};
 * spec §4.1, §4.2), loaded by core's {@code ConfigFile}.
 */
package io.qudag.resilience.recovery.config;
