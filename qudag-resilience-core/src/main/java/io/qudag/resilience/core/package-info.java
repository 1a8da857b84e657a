/** The vocabulary every QuDAG Resilience module shares: outcomes, tool calls, hints, tiers. */
package io.qudag.resilience.core;
