package io.qudag.resilience.core.plan;

import io.qudag.resilience.core.plan.spi.RecoveryProcedure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable content of a disaster-recovery plan (spec §4.3): its procedures, the phases' time
 * boxes, the approval timeout and whether every level must have a procedure.
 *
 * <p>Defaults: the spec's time boxes (15 min, 4 h, 24 h, 7 days, counted from the moment the
 * incident reached its level), a 15 min approval timeout, strict mode off. {@link Builder#build()}
 * rejects a procedure without name, level, phase, positive timeout or retry settings, two procedures
 * with one name, time boxes that do not grow in phase order, and (strict) a level without procedure.
 */
public final class DisasterRecoveryPlanConfig {

    private final List<RecoveryProcedure> procedures;
    private final Map<RecoveryPhase, Duration> timeBoxes;
    private final Duration approvalTimeout;
    private final boolean strict;

    private DisasterRecoveryPlanConfig(Builder b) {
        this.procedures = List.copyOf(b.procedures);
        this.timeBoxes = Collections.unmodifiableMap(new EnumMap<>(b.timeBoxes));
        this.approvalTimeout = b.approvalTimeout;
        this.strict = b.strict;
    }

    /** {@return a builder with no procedures, the spec's time boxes and a 15 min approval timeout} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the procedures in registration order (the order steps of one level and phase run in)} */
    public List<RecoveryProcedure> procedures() {
        return procedures;
    }

    /**
     * {@return the procedures answering {@code level}, in phase order, registration order within a phase}
     *
     * @param level the incident's level
     */
    public List<RecoveryProcedure> procedures(DisasterLevel level) {
        List<RecoveryProcedure> out = new ArrayList<>();
        for (RecoveryPhase phase : RecoveryPhase.values()) {
            out.addAll(procedures(level, phase));
        }
        return out;
    }

    /**
     * {@return the procedures of one level and phase, in registration order}
     *
     * @param level the incident's level
     * @param phase the recovery phase
     */
    public List<RecoveryProcedure> procedures(DisasterLevel level, RecoveryPhase phase) {
        return procedures.stream().filter(p -> p.level() == level && p.phase() == phase).toList();
    }

    /**
     * {@return when each phase should be over, counted from the moment the incident reached its level}
     *
     * @param phase the recovery phase
     */
    public Duration timeBox(RecoveryPhase phase) {
        return timeBoxes.get(phase);
    }

    /** {@return all time boxes (unmodifiable)} */
    public Map<RecoveryPhase, Duration> timeBoxes() {
        return timeBoxes;
    }

    /** {@return how long a manual step waits for approval before the incident escalates} */
    public Duration approvalTimeout() {
        return approvalTimeout;
    }

    /** {@return whether every level must have at least one procedure} */
    public boolean strict() {
        return strict;
    }

    /** Builds a {@link DisasterRecoveryPlanConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private final List<RecoveryProcedure> procedures = new ArrayList<>();
        private final Map<RecoveryPhase, Duration> timeBoxes = new EnumMap<>(RecoveryPhase.class);
        private Duration approvalTimeout = Duration.ofMinutes(15);
        private boolean strict;

        private Builder() {
            for (RecoveryPhase p : RecoveryPhase.values()) {
                timeBoxes.put(p, p.defaultTimeBox());
            }
        }

        /**
         * Registers a procedure under its own level and phase.
         *
         * @param procedure non-null; its name must be unique
         * @return this builder
         */
        public Builder procedure(RecoveryProcedure procedure) {
            procedures.add(procedure);
            return this;
        }

        /**
         * Registers procedures under their own levels and phases.
         *
         * @param all non-null, no null element; names must be unique
         * @return this builder
         */
        public Builder procedures(List<? extends RecoveryProcedure> all) {
            procedures.addAll(all);
            return this;
        }

        /**
         * When {@code phase} should be over, from the moment the incident reached its level.
         *
         * @param phase the recovery phase; non-null
         * @param timeBox a positive duration
         * @return this builder
         */
        public Builder timeBox(RecoveryPhase phase, Duration timeBox) {
            if (phase == null) {
                throw new IllegalArgumentException("phase must not be null, was null");
            }
            timeBoxes.put(phase, timeBox);
            return this;
        }

        /**
         * Default 15 min.
         *
         * @param timeout how long a manual step waits for approval before the incident escalates; positive
         * @return this builder
         */
        public Builder approvalTimeout(Duration timeout) { this.approvalTimeout = timeout; return this; }

        /**
         * Whether every level must have a procedure; default false.
         *
         * @param strict true: {@link #build()} fails for a level without a procedure
         * @return this builder
         */
        public Builder strict(boolean strict) { this.strict = strict; return this; }

        /**
         * Validates the procedures and settings and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public DisasterRecoveryPlanConfig build() {
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < procedures.size(); i++) {
                RecoveryProcedure p = procedures.get(i);
                if (p == null) {
                    throw new IllegalArgumentException("procedures[" + i + "] must not be null, was null");
                }
                String name = p.name();
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("procedures[" + i + "].name must not be blank, was "
                            + (name == null ? "null" : '"' + name + '"'));
                }
                Integer before = names.putIfAbsent(name, i);
                if (before != null) {
                    throw new IllegalArgumentException("procedures[" + i + "].name must be unique, was \"" + name
                            + "\" (also procedures[" + before + "])");
                }
                String field = "procedures[" + name + "].";
                if (p.level() == null) {
                    throw new IllegalArgumentException(field + "level must not be null, was null");
                }
                if (p.phase() == null) {
                    throw new IllegalArgumentException(field + "phase must not be null, was null");
                }
                Duration t = p.timeout();
                if (t == null || t.isZero() || t.isNegative()) {
                    throw new IllegalArgumentException(field + "timeout must be positive, was " + t);
                }
                if (p.retry() == null) {
                    throw new IllegalArgumentException(field + "retry must not be null, was null");
                }
            }
            RecoveryPhase previous = null;
            for (RecoveryPhase phase : RecoveryPhase.values()) {
                Duration box = timeBoxes.get(phase);
                if (box == null || box.isZero() || box.isNegative()) {
                    throw new IllegalArgumentException("timeBoxes[" + phase + "] must be positive, was " + box);
                }
                if (previous != null && box.compareTo(timeBoxes.get(previous)) <= 0) {
                    throw new IllegalArgumentException("timeBoxes must grow in phase order, was " + phase + "=" + box
                            + " <= " + previous + "=" + timeBoxes.get(previous));
                }
                previous = phase;
            }
            if (approvalTimeout == null || approvalTimeout.isZero() || approvalTimeout.isNegative()) {
                throw new IllegalArgumentException("approvalTimeout must be positive, was " + approvalTimeout);
            }
            if (strict) {
                for (DisasterLevel level : DisasterLevel.values()) {
                    if (procedures.stream().noneMatch(p -> p.level() == level)) {
                        throw new IllegalArgumentException("strict plan: level " + level.number() + " (" + level
                                + ") must have a procedure, was 0 of " + procedures.size() + " procedures");
                    }
                }
            }
            return new DisasterRecoveryPlanConfig(this);
        }
    }
}
