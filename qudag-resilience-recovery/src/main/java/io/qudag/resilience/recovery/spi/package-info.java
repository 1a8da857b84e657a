/**
 * Extension points of the recovery module (spec §4): the state rebuilt by replay
 * ({@link io.qudag.resilience.recovery.spi.RecoverableState}) and the checks a recovered state must
 * pass ({@link io.qudag.resilience.recovery.spi.StateValidator}).
 */
package io.qudag.resilience.recovery.spi;
