package io.qudag.resilience.recovery.event;

import java.time.Duration;
import java.time.Instant;

/**
 * Progress of a replay (spec §4.2 parallel recovery, real_time_progress_tracking).
 *
 * @param at    when
 * @param done  records replayed so far
 * @param total records to replay (an estimate for a point-in-time target)
 * @param eta   the time still needed at the rate so far ({@link Duration#ZERO} when done)
 */
public record RecoveryProgressEvent(Instant at, long done, long total, Duration eta) implements RecoveryEvent {
}
