package io.qudag.resilience.recovery;

import io.qudag.resilience.recovery.event.RecoveryListener;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * What a {@code RecoveryManager.recover} call should do (spec §4.2 recovery capabilities): the
 * {@link RecoveryTarget}; preview (compute without committing) or commit; selective (only the keys a
 * predicate accepts); parallel (by key partition, on an executor) with progress events. Immutable;
 * {@link #builder()} validates in {@code build()}.
 */
public final class RecoveryRequest {

    private final RecoveryTarget target;
    private final boolean preview;
    private final Predicate<String> keys;
    private final int partitions;
    private final ExecutorService executor;
    private final RecoveryListener progressListener;

    private RecoveryRequest(Builder b) {
        this.target = b.target;
        this.preview = b.preview;
        this.keys = b.keys;
        this.partitions = b.partitions;
        this.executor = b.executor;
        this.progressListener = b.progressListener;
    }

    /** {@return a builder of a committing recovery to the latest record} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a committing recovery to {@code target}}
     *
     * @param target the point to recover to
     */
    public static RecoveryRequest to(RecoveryTarget target) {
        return builder().target(target).build();
    }

    /**
     * {@return a preview of the state at {@code target}}
     *
     * @param target the point to recover to
     */
    public static RecoveryRequest preview(RecoveryTarget target) {
        return builder().target(target).preview(true).build();
    }

    /** {@return the point to recover to} */
    public RecoveryTarget target() {
        return target;
    }

    /** {@return whether the state is only computed, not made live} */
    public boolean isPreview() {
        return preview;
    }

    /** {@return the keys to recover, or {@code null} for all} */
    public Predicate<String> keys() {
        return keys;
    }

    /** {@return the key partitions replayed at once (1 replays sequentially)} */
    public int partitions() {
        return partitions;
    }

    /** {@return the executor of a parallel replay, or {@code null}} */
    public ExecutorService executor() {
        return executor;
    }

    /** {@return the listener that also receives this request's events (progress included), or {@code null}} */
    public RecoveryListener progressListener() {
        return progressListener;
    }

    /** Builds a {@link RecoveryRequest}. */
    public static final class Builder {
        private RecoveryTarget target = RecoveryTarget.latest();
        private boolean preview;
        private Predicate<String> keys;
        private int partitions = 1;
        private ExecutorService executor;
        private RecoveryListener progressListener;

        private Builder() {
        }

        /**
         * The point to recover to. Default {@link RecoveryTarget#latest()}.
         *
         * @param target the target
         * @return this builder
         */
        public Builder target(RecoveryTarget target) {
            this.target = target;
            return this;
        }

        /**
         * Compute the recovered state without making it the live state (spec §4.2 preview_mode).
         *
         * @param preview whether to only compute the state
         * @return this builder
         */
        public Builder preview(boolean preview) {
            this.preview = preview;
            return this;
        }

        /**
         * Recover only records (and snapshot content) whose key {@code keys} accepts (spec §4.2
         * selective recovery). On commit, the other keys keep their live values.
         *
         * @param keys the keys to recover, or {@code null} for all
         * @return this builder
         */
        public Builder keys(Predicate<String> keys) {
            this.keys = keys;
            return this;
        }

        /**
         * Replay in {@code partitions} key partitions at once on {@code executor} (spec §4.2 parallel recovery).
         *
         * @param partitions 1..1024
         * @param executor   runs the partitions; required when {@code partitions > 1}
         * @return this builder
         */
        public Builder parallel(int partitions, ExecutorService executor) {
            this.partitions = partitions;
            this.executor = executor;
            return this;
        }

        /**
         * A listener that also receives this request's events, progress included.
         *
         * @param listener the listener, or {@code null}
         * @return this builder
         */
        public Builder progressListener(RecoveryListener listener) {
            this.progressListener = listener;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the request
         * @throws IllegalArgumentException naming the field and value when one is missing or out of range
         */
        public RecoveryRequest build() {
            if (target == null) {
                throw new IllegalArgumentException("target must not be null, was null");
            }
            if (partitions < 1 || partitions > 1024) {
                throw new IllegalArgumentException("partitions must be in [1, 1024], was " + partitions);
            }
            if (partitions > 1 && executor == null) {
                throw new IllegalArgumentException("executor must be set when partitions > 1, was null (partitions "
                        + partitions + ")");
            }
            return new RecoveryRequest(this);
        }
    }
}
