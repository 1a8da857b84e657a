/** The breaker hierarchy of spec §3.2: levels, paths, escalation and bottom-up recovery. */
package io.qudag.resilience.core.hierarchy;
