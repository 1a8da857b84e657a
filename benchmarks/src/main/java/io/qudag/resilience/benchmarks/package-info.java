/** JMH benchmarks of QuDAG Resilience. */
package io.qudag.resilience.benchmarks;
