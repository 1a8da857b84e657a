package io.qudag.resilience.failover;

import static io.qudag.resilience.failover.internal.Checks.atLeast;
import static io.qudag.resilience.failover.internal.Checks.openClosed;
import static io.qudag.resilience.failover.internal.Checks.positive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Thresholds of the {@link FailoverDecisionEngine} (spec §1.2 {@code failover_triggers} and
 * {@code failover_execution}). Defaults are the spec's numbers: gradual failover on degradation over
 * 50% against the endpoint's own baseline, error rate over 10%, CPU 90% / memory 85% / disk I/O wait
 * 50%; decision budget 100 ms, execution budget 500 ms. Immutable.
 */
public final class FailoverEngineConfig {

    private static final FailoverEngineConfig DEFAULTS = builder().build();

    private final Duration evaluationInterval;
    private final int unreachableAfterTransportErrors;
    private final int minSamples;
    private final double degradationThreshold;
    private final double errorRateThreshold;
    private final double cpuThreshold;
    private final double memoryThreshold;
    private final double diskIoWaitThreshold;
    private final double shiftStep;
    private final Duration shiftInterval;
    private final double predictiveProbability;
    private final Duration predictiveHorizon;
    private final Duration maintenanceLead;
    private final double capacityThreshold;
    private final boolean autoRollback;
    private final Duration rollbackWindow;
    private final int rollbackMinSamples;
    private final Duration decisionBudget;
    private final Duration executionBudget;
    private final double baselineAlpha;
    private final List<MaintenanceWindow> maintenanceWindows;

    private FailoverEngineConfig(Builder b) {
        this.evaluationInterval = b.evaluationInterval;
        this.unreachableAfterTransportErrors = b.unreachableAfterTransportErrors;
        this.minSamples = b.minSamples;
        this.degradationThreshold = b.degradationThreshold;
        this.errorRateThreshold = b.errorRateThreshold;
        this.cpuThreshold = b.cpuThreshold;
        this.memoryThreshold = b.memoryThreshold;
        this.diskIoWaitThreshold = b.diskIoWaitThreshold;
        this.shiftStep = b.shiftStep;
        this.shiftInterval = b.shiftInterval;
        this.predictiveProbability = b.predictiveProbability;
        this.predictiveHorizon = b.predictiveHorizon;
        this.maintenanceLead = b.maintenanceLead;
        this.capacityThreshold = b.capacityThreshold;
        this.autoRollback = b.autoRollback;
        this.rollbackWindow = b.rollbackWindow;
        this.rollbackMinSamples = b.rollbackMinSamples;
        this.decisionBudget = b.decisionBudget;
        this.executionBudget = b.executionBudget;
        this.baselineAlpha = b.baselineAlpha;
        this.maintenanceWindows = List.copyOf(b.maintenanceWindows);
    }

    /** {@return the defaults (the shared instance)} */
    public static FailoverEngineConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return how often triggers are evaluated and the group's time-driven work runs (default 1 s)} */
    public Duration evaluationInterval() {
        return evaluationInterval;
    }

    /** {@return transport errors in a row that make an endpoint "server unreachable" (default 2)} */
    public int unreachableAfterTransportErrors() {
        return unreachableAfterTransportErrors;
    }

    /** {@return calls an indicator window needs before a gradual or capacity trigger may fire (default 20)} */
    public int minSamples() {
        return minSamples;
    }

    /** {@return p95 response time above baseline × (1 + this) is degradation (default 0.5 = 50%)} */
    public double degradationThreshold() {
        return degradationThreshold;
    }

    /** {@return the error rate above which gradual failover fires (default 0.10)} */
    public double errorRateThreshold() {
        return errorRateThreshold;
    }

    /** {@return cPU utilisation above which the secondary-indicator trigger fires; default 0.90 (spec)} */
    public double cpuThreshold() {
        return cpuThreshold;
    }

    /** {@return memory utilisation above which the secondary-indicator trigger fires; default 0.85 (spec)} */
    public double memoryThreshold() {
        return memoryThreshold;
    }

    /** {@return disk I/O wait above which the secondary-indicator trigger fires; default 0.50 (spec)} */
    public double diskIoWaitThreshold() {
        return diskIoWaitThreshold;
    }

    /** {@return traffic factor removed per progressive step (default 0.25: four steps to zero)} */
    public double shiftStep() {
        return shiftStep;
    }

    /** {@return time between progressive steps while the condition holds (default 5 s)} */
    public Duration shiftInterval() {
        return shiftInterval;
    }

    /** {@return a trend prediction at or above this probability fires predictive failover (default 0.7)} */
    public double predictiveProbability() {
        return predictiveProbability;
    }

    /** {@return the horizon within which a prediction counts (default 10 min)} */
    public Duration predictiveHorizon() {
        return predictiveHorizon;
    }

    /** {@return how long before a maintenance window traffic starts to move away (default 5 min)} */
    public Duration maintenanceLead() {
        return maintenanceLead;
    }

    /** {@return calls per second above this share of an endpoint's rated capacity fire redistribution (default 0.8)} */
    public double capacityThreshold() {
        return capacityThreshold;
    }

    /** {@return whether a failover is rolled back when its targets do worse; default true} */
    public boolean autoRollback() {
        return autoRollback;
    }

    /** {@return monitoring window after a decision in which it is rolled back if its targets do worse (default 60 s)} */
    public Duration rollbackWindow() {
        return rollbackWindow;
    }

    /** {@return calls the targets need in the window before an automatic rollback is judged (default 10)} */
    public int rollbackMinSamples() {
        return rollbackMinSamples;
    }

    /** {@return detection-to-decision budget (spec: 100 ms); exceeding it is logged as a warning} */
    public Duration decisionBudget() {
        return decisionBudget;
    }

    /** {@return decision-to-execution budget (spec: 500 ms); exceeding it is logged as a warning} */
    public Duration executionBudget() {
        return executionBudget;
    }

    /** {@return weight of a new p95 in the endpoint's response-time baseline (EWMA), (0, 1]} */
    public double baselineAlpha() {
        return baselineAlpha;
    }

    /** {@return the maintenance windows, in the order added (unmodifiable); default none} */
    public List<MaintenanceWindow> maintenanceWindows() {
        return maintenanceWindows;
    }

    /** Builds a {@link FailoverEngineConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private Duration evaluationInterval = Duration.ofSeconds(1);
        private int unreachableAfterTransportErrors = 2;
        private int minSamples = 20;
        private double degradationThreshold = 0.5;
        private double errorRateThreshold = 0.10;
        private double cpuThreshold = 0.90;
        private double memoryThreshold = 0.85;
        private double diskIoWaitThreshold = 0.50;
        private double shiftStep = 0.25;
        private Duration shiftInterval = Duration.ofSeconds(5);
        private double predictiveProbability = 0.7;
        private Duration predictiveHorizon = Duration.ofMinutes(10);
        private Duration maintenanceLead = Duration.ofMinutes(5);
        private double capacityThreshold = 0.8;
        private boolean autoRollback = true;
        private Duration rollbackWindow = Duration.ofSeconds(60);
        private int rollbackMinSamples = 10;
        private Duration decisionBudget = Duration.ofMillis(100);
        private Duration executionBudget = Duration.ofMillis(500);
        private double baselineAlpha = 0.05;
        private final List<MaintenanceWindow> maintenanceWindows = new ArrayList<>();

        private Builder() {
        }

        /**
         * How often the engine evaluates its triggers; default 1 s.
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder evaluationInterval(Duration d) {
            this.evaluationInterval = d;
            return this;
        }

        /**
         * Transport errors in a row after which an endpoint counts as unreachable (immediate failover); default 2.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder unreachableAfterTransportErrors(int n) {
            this.unreachableAfterTransportErrors = n;
            return this;
        }

        /**
         * Calls an indicator window needs before a gradual or capacity trigger may fire; default 20.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder minSamples(int n) {
            this.minSamples = n;
            return this;
        }

        /**
         * How far the p95 latency may rise above its baseline before gradual failover (0.5: above baseline × 1.5); default 0.5.
         *
         * @param v {@code >= 0}, finite
         * @return this builder
         */
        public Builder degradationThreshold(double v) {
            this.degradationThreshold = v;
            return this;
        }

        /**
         * Error rate above which gradual failover fires; default 0.10 (spec).
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder errorRateThreshold(double v) {
            this.errorRateThreshold = v;
            return this;
        }

        /**
         * CPU utilisation above which the secondary-indicator trigger fires; default 0.90 (spec).
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder cpuThreshold(double v) {
            this.cpuThreshold = v;
            return this;
        }

        /**
         * Memory utilisation above which the secondary-indicator trigger fires; default 0.85 (spec).
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder memoryThreshold(double v) {
            this.memoryThreshold = v;
            return this;
        }

        /**
         * Disk I/O wait above which the secondary-indicator trigger fires; default 0.50 (spec).
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder diskIoWaitThreshold(double v) {
            this.diskIoWaitThreshold = v;
            return this;
        }

        /**
         * Share of the traffic factor moved per progressive step; default 0.25.
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder shiftStep(double v) {
            this.shiftStep = v;
            return this;
        }

        /**
         * Time between progressive steps while the condition holds; default 5 s.
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder shiftInterval(Duration d) {
            this.shiftInterval = d;
            return this;
        }

        /**
         * Failure probability of a prediction that fires predictive failover; default 0.7.
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder predictiveProbability(double v) {
            this.predictiveProbability = v;
            return this;
        }

        /**
         * Horizon within which a prediction counts; default 10 min.
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder predictiveHorizon(Duration d) {
            this.predictiveHorizon = d;
            return this;
        }

        /**
         * How long before a maintenance window traffic moves away; default 5 min.
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder maintenanceLead(Duration d) {
            this.maintenanceLead = d;
            return this;
        }

        /**
         * Share of an endpoint's rated capacity above which calls are redistributed; default 0.8.
         *
         * @param v in (0, 10]
         * @return this builder
         */
        public Builder capacityThreshold(double v) {
            this.capacityThreshold = v;
            return this;
        }

        /**
         * Whether a failover is rolled back when its targets do worse; default true.
         *
         * @param enabled false keeps every failover
         * @return this builder
         */
        public Builder autoRollback(boolean enabled) {
            this.autoRollback = enabled;
            return this;
        }

        /**
         * How long after a failover the rollback check watches its targets; default 60 s.
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder rollbackWindow(Duration d) {
            this.rollbackWindow = d;
            return this;
        }

        /**
         * Calls the targets need in the window before a rollback is judged; default 10.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder rollbackMinSamples(int n) {
            this.rollbackMinSamples = n;
            return this;
        }

        /**
         * Time a decision may take before a WARN log; default 100 ms (spec).
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder decisionBudget(Duration d) {
            this.decisionBudget = d;
            return this;
        }

        /**
         * Time executing a decision may take before a WARN log; default 500 ms (spec).
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder executionBudget(Duration d) {
            this.executionBudget = d;
            return this;
        }

        /**
         * EWMA weight of a new p95 in the latency baseline; default 0.05.
         *
         * @param v in (0, 1]
         * @return this builder
         */
        public Builder baselineAlpha(double v) {
            this.baselineAlpha = v;
            return this;
        }

        /**
         * Adds a maintenance window; traffic leaves its endpoint {@code maintenanceLead} before it starts. Repeatable.
         *
         * @param window non-null; its endpoint must belong to the engine's group
         * @return this builder
         */
        public Builder maintenanceWindow(MaintenanceWindow window) {
            this.maintenanceWindows.add(Objects.requireNonNull(window, "maintenanceWindow"));
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public FailoverEngineConfig build() {
            positive("evaluationInterval", evaluationInterval);
            atLeast("unreachableAfterTransportErrors", unreachableAfterTransportErrors, 1);
            atLeast("minSamples", minSamples, 1);
            atLeast("degradationThreshold", degradationThreshold, 0.0);
            openClosed("errorRateThreshold", errorRateThreshold, 0.0, 1.0);
            openClosed("cpuThreshold", cpuThreshold, 0.0, 1.0);
            openClosed("memoryThreshold", memoryThreshold, 0.0, 1.0);
            openClosed("diskIoWaitThreshold", diskIoWaitThreshold, 0.0, 1.0);
            openClosed("shiftStep", shiftStep, 0.0, 1.0);
            positive("shiftInterval", shiftInterval);
            openClosed("predictiveProbability", predictiveProbability, 0.0, 1.0);
            positive("predictiveHorizon", predictiveHorizon);
            positive("maintenanceLead", maintenanceLead);
            openClosed("capacityThreshold", capacityThreshold, 0.0, 10.0);
            positive("rollbackWindow", rollbackWindow);
            atLeast("rollbackMinSamples", rollbackMinSamples, 1);
            positive("decisionBudget", decisionBudget);
            positive("executionBudget", executionBudget);
            openClosed("baselineAlpha", baselineAlpha, 0.0, 1.0);
            return new FailoverEngineConfig(this);
        }
    }
}
