package io.qudag.resilience.chaos.experiment;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.RecoveryObjective;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A chaos experiment after Chaos Toolkit (spec §5.1): a
 * steady-state hypothesis, a method of fault steps and pauses, rollbacks, a blast radius, abort rules and
 * a dry-run mode. {@link #run()} checks the hypothesis, injects each step's fault for its duration while
 * probing every {@code probeInterval}, waits for the steady state to come back, rolls everything back
 * and returns an {@link ExperimentReport} with the measured RTO.
 *
 * <p>Safety: nothing is injected unless the {@link ChaosSwitch} is armed; a step that would take the
 * blast radius (the summed share of the faults on at once, or the measured {@code blastRadiusGauge})
 * past its limit aborts the experiment; so does the hypothesis failing {@code abortAfterViolations}
 * probes in a row. On abort, failure or an exception every fault is healed, the rollbacks run and every
 * resource given to {@link Builder#resource} is closed. Run experiments through a {@link ChaosScheduler}
 * so that two never overlap.
 */
public interface ChaosExperiment {

    /**
     * {@return a builder of an experiment named {@code title}, guarded by {@code chaosSwitch}}
     *
     * @param title       the experiment's title, not blank
     * @param chaosSwitch the switch that must be on for any fault to be injected
     */
    static Builder builder(String title, ChaosSwitch chaosSwitch) {
        return new Builder(title, chaosSwitch);
    }

    /** {@return the experiment's validated definition} */
    ChaosExperimentConfig config();

    /**
     * Runs the experiment on the calling thread (plus one probe thread it owns) and reports.
     *
     * @return the report: status, probes, fault windows, measured RTO/RPO
     */
    ExperimentReport run();

    /** The immutable definition, validated by {@link Builder#build()}. */
    record ChaosExperimentConfig(
            String title,
            ChaosSwitch chaosSwitch,
            SteadyStateHypothesis hypothesis,
            List<Step> method,
            List<NamedAction> rollbacks,
            double blastRadius,
            Optional<DoubleSupplier> blastRadiusGauge,
            int abortAfterViolations,
            Duration probeInterval,
            Duration recoveryTimeout,
            boolean dryRun,
            RecoveryObjective objective,
            Optional<Supplier<Duration>> rpoMeasure,
            Optional<Supplier<io.qudag.resilience.chaos.report.DataLoss>> dataLossMeasure,
            List<FunctionalityCheck> functionality,
            List<AutoCloseable> resources,
            Clock clock) {
    }

    /** A rollback action with a name for the report. */
    record NamedAction(String name, Fault.Action action) {
    }

    /** Builds a {@link ChaosExperiment}; {@link #build()} fails naming the field and the value. */
    final class Builder {
        private final String title;
        private final ChaosSwitch chaosSwitch;
        private SteadyStateHypothesis hypothesis;
        private final List<Step> method = new java.util.ArrayList<>();
        private final List<NamedAction> rollbacks = new java.util.ArrayList<>();
        private double blastRadius = 1.0;
        private DoubleSupplier blastRadiusGauge;
        private int abortAfterViolations = 3;
        private Duration probeInterval = Duration.ofSeconds(1);
        private Duration recoveryTimeout = Duration.ofSeconds(30);
        private boolean dryRun;
        private RecoveryObjective objective = RecoveryObjective.CRITICAL;
        private Supplier<Duration> rpoMeasure;
        private Supplier<io.qudag.resilience.chaos.report.DataLoss> dataLossMeasure;
        private final List<FunctionalityCheck> functionality = new java.util.ArrayList<>();
        private final List<AutoCloseable> resources = new java.util.ArrayList<>();
        private Clock clock = Clock.systemUTC();

        Builder(String title, ChaosSwitch chaosSwitch) {
            this.title = title;
            this.chaosSwitch = chaosSwitch;
        }

        /**
         * The steady state that must hold before, during and after the faults. Required.
         *
         * @param hypothesis the hypothesis
         * @return this builder
         */
        public Builder hypothesis(SteadyStateHypothesis hypothesis) {
            this.hypothesis = hypothesis;
            return this;
        }

        /**
         * Adds a step: inject {@code fault}, hold it {@code duration}, heal; it affects {@code share} (0–1).
         *
         * @param fault    the fault
         * @param duration how long it is held
         * @param share    the share (0–1) of calls or endpoints it affects
         * @return this builder
         */
        public Builder fault(Fault fault, Duration duration, double share) {
            method.add(Step.fault(fault, duration, share));
            return this;
        }

        /**
         * Adds a step that injects nothing for {@code duration}.
         *
         * @param duration how long to wait
         * @return this builder
         */
        public Builder pause(Duration duration) {
            method.add(Step.pause(duration));
            return this;
        }

        /**
         * Adds a step.
         *
         * @param step the step
         * @return this builder
         */
        public Builder step(Step step) {
            method.add(step);
            return this;
        }

        /**
         * Runs after the method, on success, failure and abort alike (faults are healed first).
         *
         * @param name   the action's name in the report
         * @param action the action
         * @return this builder
         */
        public Builder rollback(String name, Fault.Action action) {
            rollbacks.add(new NamedAction(name, action));
            return this;
        }

        /**
         * The largest share (0–1] of calls or endpoints the faults on at once may affect; default 1.
         *
         * @param blastRadius the share, in (0, 1]
         * @return this builder
         */
        public Builder blastRadius(double blastRadius) {
            this.blastRadius = blastRadius;
            return this;
        }

        /**
         * A measured share affected now (e.g. failing calls, partitioned endpoints), checked every probe.
         *
         * @param gauge the measured share affected now
         * @return this builder
         */
        public Builder blastRadiusGauge(DoubleSupplier gauge) {
            this.blastRadiusGauge = gauge;
            return this;
        }

        /**
         * Abort when the hypothesis is violated this many probes in a row (default 3).
         *
         * @param probes consecutive violating probes
         * @return this builder
         */
        public Builder abortAfterViolations(int probes) {
            this.abortAfterViolations = probes;
            return this;
        }

        /**
         * How often the hypothesis is probed (default 1 s).
         *
         * @param probeInterval a positive duration
         * @return this builder
         */
        public Builder probeInterval(Duration probeInterval) {
            this.probeInterval = probeInterval;
            return this;
        }

        /**
         * How long to wait after the method for the steady state to return (default 30 s).
         *
         * @param recoveryTimeout a positive duration
         * @return this builder
         */
        public Builder recoveryTimeout(Duration recoveryTimeout) {
            this.recoveryTimeout = recoveryTimeout;
            return this;
        }

        /**
         * Report what would be injected, inject nothing.
         *
         * @param dryRun whether to inject nothing
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * The RTO/RPO class the measurements are judged against (default CRITICAL).
         *
         * @param objective the objective
         * @return this builder
         */
        public Builder objective(RecoveryObjective objective) {
            this.objective = objective;
            return this;
        }

        /**
         * Measures the acknowledged data lost (RPO) after the method.
         *
         * @param rpoMeasure measures the window of lost acknowledged data
         * @return this builder
         */
        public Builder rpo(Supplier<Duration> rpoMeasure) {
            this.rpoMeasure = rpoMeasure;
            return this;
        }

        /**
         * Counts the acknowledged records lost after the method; the loss's window is the measured RPO and the
         * report shows the counts beside it. Use this or {@link #rpo(Supplier)}, not both.
         *
         * @param dataLossMeasure counts the acknowledged records lost
         * @return this builder
         */
        public Builder dataLoss(Supplier<io.qudag.resilience.chaos.report.DataLoss> dataLossMeasure) {
            this.dataLossMeasure = dataLossMeasure;
            return this;
        }

        /**
         * Adds a check of how much of a feature class still works during the faults (spec §4.3 functionality levels).
         *
         * @param check the check
         * @return this builder
         */
        public Builder functionality(FunctionalityCheck check) {
            functionality.add(check);
            return this;
        }

        /**
         * Something the experiment owns (a proxy, a child process, a pool): closed when it ends.
         *
         * @param resource the resource
         * @return this builder
         */
        public Builder resource(AutoCloseable resource) {
            resources.add(resource);
            return this;
        }

        /**
         * The clock of the report's timestamps and measurements (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the experiment
         * @throws IllegalArgumentException naming the field and value when one is missing or out of range
         */
        public ChaosExperiment build() {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("title must not be blank, was " + (title == null ? "null" : '"' + title + '"'));
            }
            if (chaosSwitch == null) {
                throw new IllegalArgumentException("chaosSwitch must not be null, was null");
            }
            if (hypothesis == null) {
                throw new IllegalArgumentException("hypothesis must not be empty, was null");
            }
            if (method.isEmpty()) {
                throw new IllegalArgumentException("method must have at least one step, was empty");
            }
            for (int i = 0; i < method.size(); i++) {
                if (method.get(i) == null) {
                    throw new IllegalArgumentException("method[" + i + "] must not be null");
                }
            }
            if (!(blastRadius > 0 && blastRadius <= 1)) {
                throw new IllegalArgumentException("blastRadius must be above 0 and at most 1, was " + blastRadius);
            }
            if (abortAfterViolations < 1) {
                throw new IllegalArgumentException("abortAfterViolations must be at least 1, was " + abortAfterViolations);
            }
            positive("probeInterval", probeInterval);
            positive("recoveryTimeout", recoveryTimeout);
            if (objective == null) {
                throw new IllegalArgumentException("objective must not be null, was null");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            if (rpoMeasure != null && dataLossMeasure != null) {
                throw new IllegalArgumentException("rpo and dataLoss measure the same thing: set one, was both");
            }
            return new io.qudag.resilience.chaos.experiment.internal.ExperimentRunner(new ChaosExperimentConfig(title,
                    chaosSwitch, hypothesis, List.copyOf(method), List.copyOf(rollbacks), blastRadius,
                    Optional.ofNullable(blastRadiusGauge), abortAfterViolations, probeInterval, recoveryTimeout, dryRun,
                    objective, Optional.ofNullable(rpoMeasure), Optional.ofNullable(dataLossMeasure), List.copyOf(functionality), List.copyOf(resources),
                    clock));
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
        }
    }
}
