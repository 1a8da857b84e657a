/**
 * Extension points of the recovery module (spec §4): the state rebuilt by replay
 * ({@link io.qudag.resilience.recovery.spi.RecoverableState}) and the checks a recovered state must
 * pass ({@link io.qudag.resilience.recovery.spi.StateValidator}), and the state built by the effects of
 * transactional operations ({@link io.qudag.resilience.recovery.spi.TransactionalEffects}).
 */
package io.qudag.resilience.recovery.spi;
