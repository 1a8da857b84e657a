package io.qudag.resilience.core.plan;

import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.core.health.HealthScore;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.spi.RecoveryProcedure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Builds {@link RecoveryProcedure}s (spec §4.3) from lambdas, and the built-in procedures that need
 * only core: {@link #isolate isolate} (open the matching breakers of a {@link BreakerHierarchy}),
 * {@link #validateHealth validate health} (every monitor back at or above a grade) and
 * {@link #validateFunctionality validate functionality} (the spec §5.2 shares per criticality).
 * Other modules contribute theirs (activate a failover tier, restore from a snapshot) the same way.
 */
public final class RecoveryProcedures {

    private RecoveryProcedures() {
    }

    /** The action of a procedure; must be idempotent. */
    @FunctionalInterface
    public interface Action {
        /**
         * Performs the step; safe to run again after a failure or a timeout.
         *
         * @param context the incident and the signals that are failing
         * @throws Exception when the step failed (the procedure is retried or fails)
         */
        void run(RecoveryContext context) throws Exception;
    }

    /** The validation of a procedure. */
    @FunctionalInterface
    public interface Check {
        /**
         * Checks that the step had its effect.
         *
         * @param context the incident and the signals that are failing
         * @return true when the step is validated
         * @throws Exception when the check itself failed (counts as not validated)
         */
        boolean test(RecoveryContext context) throws Exception;
    }

    /**
     * {@return a procedure named {@code name}; level, phase, action and timeout are required}
     *
     * @param name the procedure's name, unique in a plan; not blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * {@return a procedure builder for isolation (spec §4.3 "critical system isolation"): opens, for {@code openFor}, every breaker the
     * selector names that does not already reject calls; validation checks that they all reject}
     * Defaults to phase {@link RecoveryPhase#IMMEDIATE_RESPONSE}. Idempotent: an open breaker is left
     * as it is.
     *
     * @param name the procedure's name, unique in a plan; not blank
     * @param hierarchy the breakers to open
     * @param selector picks the breakers from the incident
     * @param openFor how long each breaker is held open; positive
     * @throws IllegalArgumentException for a null hierarchy or selector, or a non-positive {@code openFor}
     */
    public static Builder isolate(String name, BreakerHierarchy hierarchy,
            Function<RecoveryContext, Collection<BreakerPath>> selector, Duration openFor) {
        require("hierarchy", hierarchy);
        require("selector", selector);
        if (openFor == null || openFor.isZero() || openFor.isNegative()) {
            throw new IllegalArgumentException("openFor must be positive, was " + openFor);
        }
        return builder(name).phase(RecoveryPhase.IMMEDIATE_RESPONSE).action(ctx -> {
            for (BreakerPath path : selector.apply(ctx)) {
                AdaptiveCircuitBreaker b = hierarchy.node(path);
                BreakerState state = b.state();
                if (!state.rejectsAll() && state.canTransitionTo(BreakerState.OPEN)) {
                    try {
                        b.transitionToOpen(openFor, "isolated by recovery plan " + ctx.plan() + ", incident " + ctx.incidentId());
                    } catch (IllegalStateException raced) {
                        // moved meanwhile; the validation below decides
                    }
                }
            }
        }).validation(ctx -> {
            for (BreakerPath path : selector.apply(ctx)) {
                if (!hierarchy.node(path).state().rejectsAll()) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * {@return a selector for {@link #isolate}: always these paths}
     *
     * @param paths the breakers to isolate
     */
    public static Function<RecoveryContext, Collection<BreakerPath>> paths(BreakerPath... paths) {
        List<BreakerPath> list = List.of(paths);
        return ctx -> list;
    }

    /** {@return a selector for {@link #isolate}: the paths of the breakers whose signals are failing} */
    public static Function<RecoveryContext, Collection<BreakerPath>> failingBreakers() {
        return ctx -> {
            Set<BreakerPath> out = new LinkedHashSet<>();
            for (IncidentSignal s : ctx.failing()) {
                if (s.kind() == IncidentSignal.Kind.BREAKER) {
                    out.add(s.path());
                }
            }
            return out;
        };
    }

    /**
     * {@return a procedure builder for recovery validation by health (spec §4.3 "Recovery Validation"): scores every monitor; passes when
     * each has data and a grade at or above {@code minimum}} Defaults to phase
     * {@link RecoveryPhase#MEDIUM_TERM}; give it a retry policy so that it can wait for recovery.
     *
     * @param name the procedure's name, unique in a plan; not blank
     * @param minimum the lowest grade that passes
     * @param monitors the monitors to score
     */
    public static Builder validateHealth(String name, HealthGrade minimum, HealthMonitor... monitors) {
        require("minimum", minimum);
        if (monitors.length == 0) {
            throw new IllegalArgumentException("monitors must not be empty, was 0 monitors");
        }
        List<HealthMonitor> list = List.of(monitors);
        return builder(name).phase(RecoveryPhase.MEDIUM_TERM).action(ctx -> { }).validation(ctx -> {
            for (HealthMonitor m : list) {
                HealthScore score = m.score();
                if (!score.hasData() || score.grade().ordinal() > minimum.ordinal()) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * {@return a procedure builder for recovery validation by functionality (spec §5.2): passes when the success share of every
     * criticality given is at least its {@link ToolCriticality#functionalityTarget()} (core 100 %,
     * important 95 %, standard 90 %, optional 80 %)} Defaults to phase {@link RecoveryPhase#MEDIUM_TERM}.
     *
     * @param name the procedure's name, unique in a plan; not blank
     * @param successShares per criticality, the current success share in [0, 1]
     */
    public static Builder validateFunctionality(String name, Map<ToolCriticality, DoubleSupplier> successShares) {
        require("successShares", successShares);
        if (successShares.isEmpty()) {
            throw new IllegalArgumentException("successShares must not be empty, was {}");
        }
        Map<ToolCriticality, DoubleSupplier> shares = new EnumMap<>(successShares);
        return builder(name).phase(RecoveryPhase.MEDIUM_TERM).action(ctx -> { }).validation(ctx -> {
            for (Map.Entry<ToolCriticality, DoubleSupplier> e : shares.entrySet()) {
                double share = e.getValue().getAsDouble();
                if (Double.isNaN(share) || share < e.getKey().functionalityTarget()) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null, was null");
        }
    }

    /** Builds an immutable {@link RecoveryProcedure}; validates in {@link #build()}. */
    public static final class Builder {
        private final String name;
        private DisasterLevel level;
        private RecoveryPhase phase;
        private Action action;
        private Check validation = ctx -> true;
        private Duration timeout;
        private RetryPolicy retry = RecoveryProcedure.SINGLE_ATTEMPT;
        private boolean manual;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The lowest disaster level the procedure runs at; required.
         *
         * @param level the level; non-null
         * @return this builder
         */
        public Builder level(DisasterLevel level) { this.level = level; return this; }
        /**
         * The recovery phase the procedure belongs to; required (preset by the factories).
         *
         * @param phase the phase; non-null
         * @return this builder
         */
        public Builder phase(RecoveryPhase phase) { this.phase = phase; return this; }
        /**
         * What the procedure does; required (preset by the factories).
         *
         * @param action an idempotent step; non-null
         * @return this builder
         */
        public Builder action(Action action) { this.action = action; return this; }
        /**
         * Default: always passes.
         *
         * @param validation checks the action's effect; non-null
         * @return this builder
         */
        public Builder validation(Check validation) { this.validation = validation; return this; }
        /**
         * Required.
         *
         * @param timeout time one attempt may take; positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }
        /**
         * Default {@link RecoveryProcedure#SINGLE_ATTEMPT}.
         *
         * @param retry attempts and backoff of the action; non-null
         * @return this builder
         */
        public Builder retry(RetryPolicy retry) { this.retry = retry; return this; }
        /**
         * Whether it waits for approval; default false.
         *
         * @param manual true: the step waits for an operator's approval
         * @return this builder
         */
        public Builder manual(boolean manual) { this.manual = manual; return this; }

        /**
         * Validates the settings and builds.
         *
         * @return the immutable procedure
         * @throws IllegalArgumentException naming every missing or invalid field
         */
        public RecoveryProcedure build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("procedure name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            String field = "procedures[" + name + "].";
            List<String> missing = new ArrayList<>();
            if (level == null) {
                missing.add("level");
            }
            if (phase == null) {
                missing.add("phase");
            }
            if (action == null) {
                missing.add("action");
            }
            if (validation == null) {
                missing.add("validation");
            }
            if (retry == null) {
                missing.add("retry");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(field + missing.get(0) + " must not be null, was null");
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException(field + "timeout must be positive, was " + timeout);
            }
            return new Built(name, level, phase, action, validation, timeout, retry, manual);
        }
    }

    private record Built(String name, DisasterLevel level, RecoveryPhase phase, Action action, Check check, Duration timeout,
            RetryPolicy retry, boolean manual) implements RecoveryProcedure {

        @Override
        public void execute(RecoveryContext context) throws Exception {
            action.run(context);
        }

        @Override
        public boolean validate(RecoveryContext context) throws Exception {
            return check.test(context);
        }

        @Override
        public String toString() {
            return "RecoveryProcedure{" + name + ", level " + level.number() + ", " + phase + ", timeout " + timeout
                    + (manual ? ", manual" : "") + "}";
        }
    }
}
