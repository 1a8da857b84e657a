/** Chaos experiments after Chaos Toolkit: hypothesis, method, blast radius, abort, rollback, scheduling (spec §5.1). */
package io.qudag.resilience.chaos.experiment;
