/**
 * Configuration files: the immutable configuration objects the builders make, loaded from JSON or
 * YAML blocks named after the specification's ({@code adaptive_circuit_breaker},
 * {@code bulkhead_isolation}, ...), with durations such as {@code "30s"} and percentages such as
 * {@code "5%"}; every bad key or value fails naming its path. Jackson is an optional dependency.
 */
package io.qudag.resilience.core.config;
