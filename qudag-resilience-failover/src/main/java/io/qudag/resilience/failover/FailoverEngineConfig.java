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

    public static FailoverEngineConfig defaults() {
        return DEFAULTS;
    }

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

    public double cpuThreshold() {
        return cpuThreshold;
    }

    public double memoryThreshold() {
        return memoryThreshold;
    }

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

        public Builder evaluationInterval(Duration d) {
            this.evaluationInterval = d;
            return this;
        }

        public Builder unreachableAfterTransportErrors(int n) {
            this.unreachableAfterTransportErrors = n;
            return this;
        }

        public Builder minSamples(int n) {
            this.minSamples = n;
            return this;
        }

        public Builder degradationThreshold(double v) {
            this.degradationThreshold = v;
            return this;
        }

        public Builder errorRateThreshold(double v) {
            this.errorRateThreshold = v;
            return this;
        }

        public Builder cpuThreshold(double v) {
            this.cpuThreshold = v;
            return this;
        }

        public Builder memoryThreshold(double v) {
            this.memoryThreshold = v;
            return this;
        }

        public Builder diskIoWaitThreshold(double v) {
            this.diskIoWaitThreshold = v;
            return this;
        }

        public Builder shiftStep(double v) {
            this.shiftStep = v;
            return this;
        }

        public Builder shiftInterval(Duration d) {
            this.shiftInterval = d;
            return this;
        }

        public Builder predictiveProbability(double v) {
            this.predictiveProbability = v;
            return this;
        }

        public Builder predictiveHorizon(Duration d) {
            this.predictiveHorizon = d;
            return this;
        }

        public Builder maintenanceLead(Duration d) {
            this.maintenanceLead = d;
            return this;
        }

        public Builder capacityThreshold(double v) {
            this.capacityThreshold = v;
            return this;
        }

        public Builder autoRollback(boolean enabled) {
            this.autoRollback = enabled;
            return this;
        }

        public Builder rollbackWindow(Duration d) {
            this.rollbackWindow = d;
            return this;
        }

        public Builder rollbackMinSamples(int n) {
            this.rollbackMinSamples = n;
            return this;
        }

        public Builder decisionBudget(Duration d) {
            this.decisionBudget = d;
            return this;
        }

        public Builder executionBudget(Duration d) {
            this.executionBudget = d;
            return this;
        }

        public Builder baselineAlpha(double v) {
            this.baselineAlpha = v;
            return this;
        }

        public Builder maintenanceWindow(MaintenanceWindow window) {
            this.maintenanceWindows.add(Objects.requireNonNull(window, "maintenanceWindow"));
            return this;
        }

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
