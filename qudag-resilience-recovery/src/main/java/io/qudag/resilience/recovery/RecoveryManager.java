package io.qudag.resilience.recovery;

import static io.qudag.resilience.recovery.internal.Checks.notNull;
import static io.qudag.resilience.recovery.internal.Checks.positive;

import io.qudag.resilience.core.internal.Limits;
import io.qudag.resilience.recovery.event.RecoveryListener;
import io.qudag.resilience.recovery.internal.DefaultRecoveryManager;
import io.qudag.resilience.recovery.spi.RecoverableState;
import io.qudag.resilience.recovery.spi.StateValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps an application state recoverable (spec §4): every change is appended to a {@link Journal}
 * and applied to the live state; {@link #snapshot() snapshots} shorten replay; {@link #recover}
 * rebuilds the state at the newest record, a sequence or an instant, as a preview or committed,
 * selectively by key or in parallel by partition; {@link #scrub()} (scheduled every minute by
 * default) finds damaged segments, quarantines them, rebuilds from snapshot and good records, runs
 * the validators and resumes; {@link #compact()} removes segments a snapshot covers once they are
 * older than the point-in-time window (90 days by default).
 *
 * <p>On {@link Builder#build()} the live state is recovered from the newest snapshot and the journal.
 *
 * @param <S> the state type
 */
public interface RecoveryManager<S> extends AutoCloseable {

    /**
     * {@return a builder for a manager of {@code state} over {@code journal} (the manager does not close the journal)}
     *
     * @param <S>     the state type
     * @param journal the open journal
     * @param state   how records change the state and how it is snapshotted
     */
    static <S> Builder<S> builder(Journal journal, RecoverableState<S> state) {
        return new Builder<>(journal, state);
    }

    /** {@return the live state} */
    S current();

    /** {@return the last journal record the live state includes} */
    long lastAppliedSequence();

    /**
     * Appends a record and, once it is acknowledged, applies it and every record before it (also
     * ones appended to the journal directly) to the live state in sequence order; returns its
     * sequence. Concurrent appenders share the journal's group commits.
     *
     * @throws JournalCorruptedException when a record before it cannot be read back (run {@link #scrub()})
     * @param type    the record type
     * @param payload the record's bytes
     * @return the record's sequence
     */
    long append(int type, byte[] payload);

    /**
     * Writes a snapshot of the live state (differential when that is smaller) and returns it.
     *
     * @return the snapshot written
     */
    Snapshot snapshot();

    /**
     * Recovers as {@code request} says. A committed recovery replaces the live state; when it went
     * back in time it also writes a full snapshot, so a restart resumes from the recovered state.
     *
     * @throws RecoveryFailedException  when validators reject the state or no starting point reaches the target
     * @throws IllegalArgumentException when an instant lies outside the point-in-time window
     * @param request the target and how to recover
     * @return what was recovered and how long it took
     */
    RecoveryResult<S> recover(RecoveryRequest request);

    /**
     * Checks every record's checksum now; quarantines damage, rebuilds and resumes (see the type's doc).
     *
     * @return what was checked and found
     */
    ScrubReport scrub();

    /**
     * Deletes journal segments covered by a snapshot older than the point-in-time window; returns them.
     *
     * @return the deleted segments
     */
    List<SegmentInfo> compact();

    /** {@return the objectives whose measured values each committed recovery records, or {@code null}} */
    RecoveryObjectives objectives();

    /** {@return the snapshot store} */
    SnapshotStore snapshots();

    /** Stops the scheduled scrubber (and its scheduler, when the manager created it). */
    @Override
    void close();

    /** Builds a {@link RecoveryManager}; {@link #build()} validates, then recovers the live state. */
    final class Builder<S> {
        private final Journal journal;
        private final RecoverableState<S> state;
        private SnapshotStore snapshots;
        private Clock clock;
        private Duration pointInTimeWindow = Duration.ofDays(90);
        private int maxDiffChain = 8;
        private Duration snapshotInterval;
        private Duration scrubInterval = Duration.ofMinutes(1);
        private ScheduledExecutorService scheduler;
        private boolean scrubOnSchedule = true;
        private final List<StateValidator<S>> validators = new ArrayList<>();
        private final List<RecoveryListener> listeners = new ArrayList<>();
        private RecoveryObjectives objectives;

        private Builder(Journal journal, RecoverableState<S> state) {
            this.journal = journal;
            this.state = state;
        }

        /**
         * Where snapshots go (default: {@code snapshots} in the journal's directory, same file channel factory).
         *
         * @param store the snapshot store
         * @return this builder
         */
        public Builder<S> snapshotStore(SnapshotStore store) {
            this.snapshots = store;
            return this;
        }

        /**
         * The clock of events, windows and measurements (default: the journal's).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder<S> clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * How far back point-in-time recovery must reach (spec §4.2 recovery_window, default 90 days).
         *
         * @param window a positive duration
         * @return this builder
         */
        public Builder<S> pointInTimeWindow(Duration window) {
            this.pointInTimeWindow = window;
            return this;
        }

        /**
         * How many differential snapshots may follow a full one (default 8; 0 = always full).
         *
         * @param max 0..1000
         * @return this builder
         */
        public Builder<S> maxDiffChain(int max) {
            this.maxDiffChain = max;
            return this;
        }

        /**
         * Take a snapshot on append once this long has passed since the last one (default: only when asked).
         *
         * @param interval a positive duration, or {@code null} for only when asked
         * @return this builder
         */
        public Builder<S> snapshotInterval(Duration interval) {
            this.snapshotInterval = interval;
            return this;
        }

        /**
         * How often the scrubber checks the journal (spec §4.1 integrity checks, default 1 min).
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder<S> scrubInterval(Duration interval) {
            this.scrubInterval = interval;
            return this;
        }

        /**
         * The scheduler of the scrubber (default: a daemon thread of the manager's own).
         *
         * @param scheduler the scheduler (not shut down by the manager)
         * @return this builder
         */
        public Builder<S> scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Whether the scrubber runs on its schedule (default true); {@link RecoveryManager#scrub()} always works.
         *
         * @param enabled whether the scrubber runs on its schedule
         * @return this builder
         */
        public Builder<S> scrubOnSchedule(boolean enabled) {
            this.scrubOnSchedule = enabled;
            return this;
        }

        /**
         * Adds a validator that must accept a recovered state before it goes live (spec §4.1 validation).
         *
         * @param validator the validator
         * @return this builder
         */
        public Builder<S> validator(StateValidator<S> validator) {
            validators.add(notNull("validator", validator));
            return this;
        }

        /**
         * Adds a listener of the manager's recovery events.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<S> listener(RecoveryListener listener) {
            listeners.add(notNull("listener", listener));
            return this;
        }

        /**
         * The objectives whose measured RTO and RPO each committed recovery records; none by default.
         *
         * @param objectives the objectives, or {@code null}
         * @return this builder
         */
        public Builder<S> objectives(RecoveryObjectives objectives) {
            this.objectives = objectives;
            return this;
        }

        /**
         * Validates, then recovers the live state from the newest snapshot and the journal.
         *
         * @return the manager
         * @throws IllegalArgumentException naming the field and value when one is missing or out of range
         */
        public RecoveryManager<S> build() {
            notNull("journal", journal);
            notNull("state", state);
            Limits.atMostMaxDuration("pointInTimeWindow", positive("pointInTimeWindow", pointInTimeWindow));
            if (maxDiffChain < 0 || maxDiffChain > 1000) {
                throw new IllegalArgumentException("maxDiffChain must be in [0, 1000], was " + maxDiffChain);
            }
            if (snapshotInterval != null) {
                Limits.atMostMaxDuration("snapshotInterval", positive("snapshotInterval", snapshotInterval));
            }
            Limits.atMostMaxDuration("scrubInterval", positive("scrubInterval", scrubInterval));
            SnapshotStore store = snapshots != null ? snapshots
                    : SnapshotStore.open(journal.directory().resolve("snapshots"), journal.config().fileChannelFactory());
            Clock c = clock != null ? clock : journal.config().clock();
            return new DefaultRecoveryManager<>(journal, state, store, c, pointInTimeWindow, maxDiffChain,
                    snapshotInterval, scrubInterval, scheduler, scrubOnSchedule, validators, listeners, objectives);
        }
    }
}
