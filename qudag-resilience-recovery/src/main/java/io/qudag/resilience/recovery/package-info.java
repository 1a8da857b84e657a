/**
 * Data recovery (spec §4): a checksummed, segmented append-only {@link io.qudag.resilience.recovery.Journal}
 * with SYNC, GROUP_COMMIT and ASYNC {@link io.qudag.resilience.recovery.Durability}; checksummed full and
 * differential {@link io.qudag.resilience.recovery.Snapshot}s; a
 * {@link io.qudag.resilience.recovery.RecoveryManager} that rebuilds a
 * {@link io.qudag.resilience.recovery.spi.RecoverableState} to the newest record, a sequence or an
 * instant (preview, selective, parallel), scrubs and quarantines damaged segments, and compacts behind
 * the point-in-time window; {@link io.qudag.resilience.recovery.RecoveryTier} and
 * {@link io.qudag.resilience.recovery.DataClass} with a {@link io.qudag.resilience.recovery.RecoveryPolicy}
 * and measured {@link io.qudag.resilience.recovery.RecoveryObjectives}; verified
 * {@link io.qudag.resilience.recovery.JournalBackups}; and an
 * {@link io.qudag.resilience.recovery.IdempotencyStore} for operations that must run at most once.
 *
 * <pre>{@code
 * Journal journal = Journal.open(JournalConfig.builder(Path.of("data/orders"))
 *     .durability(Durability.GROUP_COMMIT).build());
 * RecoveryManager<Orders> orders = RecoveryManager.builder(journal, new OrdersState())
 *     .objectives(RecoveryPolicy.defaults().objectivesFor("orders", DataClass.CRITICAL))
 *     .build();                                   // live state recovered from snapshot + journal
 * orders.append(1, orderPlacedBytes);             // journaled, then applied
 * orders.snapshot();
 * Orders yesterday = orders.recover(RecoveryRequest.preview(
 *     RecoveryTarget.instant(Instant.now().minus(Duration.ofDays(1))))).state();
 * }</pre>
 */
package io.qudag.resilience.recovery;
