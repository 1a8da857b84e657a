/** The failover module's configuration-file blocks ({@code failover_decision_engine}, {@code endpoint_group}). */
package io.qudag.resilience.failover.config;
