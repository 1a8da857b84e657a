package io.qudag.resilience.failover;

import static io.qudag.resilience.failover.internal.Checks.atLeast;
import static io.qudag.resilience.failover.internal.Checks.openClosed;
import static io.qudag.resilience.failover.internal.Checks.positive;
import static io.qudag.resilience.failover.internal.Checks.range;

import java.time.Duration;

/**
 * Automatic recovery (spec §1.2, recovery_procedures.automatic_recovery): health check every
 * {@link #healthCheckInterval()} (10 s); an endpoint returns after {@link #successesToReturn()} (3)
 * consecutive successful checks; its share then ramps up in {@link #rampIncrement()} (10%) steps
 * spread over {@link #monitoringPeriod()} (300 s); a relapse during the ramp ({@link
 * #relapseConsecutiveFailures()} failures in a row, or an error rate above {@link #relapseErrorRate()}
 * over at least {@link #relapseMinSamples()} calls) rolls it back to UNAVAILABLE. Immutable.
 *
 * <p>Without a {@code HealthProbe}, an endpoint whose ejection time has passed starts the ramp
 * directly and its first 10% of real traffic is the check.
 */
public final class RecoveryConfig {

    private static final RecoveryConfig DEFAULTS = builder().build();

    private final Duration healthCheckInterval;
    private final int successesToReturn;
    private final double rampIncrement;
    private final Duration monitoringPeriod;
    private final int relapseConsecutiveFailures;
    private final double relapseErrorRate;
    private final int relapseMinSamples;

    private RecoveryConfig(Builder b) {
        this.healthCheckInterval = b.healthCheckInterval;
        this.successesToReturn = b.successesToReturn;
        this.rampIncrement = b.rampIncrement;
        this.monitoringPeriod = b.monitoringPeriod;
        this.relapseConsecutiveFailures = b.relapseConsecutiveFailures;
        this.relapseErrorRate = b.relapseErrorRate;
        this.relapseMinSamples = b.relapseMinSamples;
    }

    /** {@return the spec defaults (the shared instance)} */
    public static RecoveryConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the spec defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return how often an ejected endpoint is probed; default 10 s (spec)} */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    /** {@return probe successes in a row that start an endpoint's return; default 3 (spec)} */
    public int successesToReturn() {
        return successesToReturn;
    }

    /** {@return share of its traffic a returning endpoint gains per ramp step; default 0.10 (spec)} */
    public double rampIncrement() {
        return rampIncrement;
    }

    /** {@return length of the whole ramp back to full traffic; default 300 s (spec), one step every 30 s} */
    public Duration monitoringPeriod() {
        return monitoringPeriod;
    }

    /** {@return number of ramp steps: ceil(1 / rampIncrement)} */
    public int rampSteps() {
        return (int) Math.ceil(1.0 / rampIncrement - 1e-9);
    }

    /** {@return time between two ramp steps: monitoringPeriod / rampSteps} */
    public Duration rampStepInterval() {
        return monitoringPeriod.dividedBy(rampSteps());
    }

    /** {@return failures in a row during the ramp that eject the endpoint again; default 3} */
    public int relapseConsecutiveFailures() {
        return relapseConsecutiveFailures;
    }

    /** {@return error rate during the ramp that ejects the endpoint again; default 0.10} */
    public double relapseErrorRate() {
        return relapseErrorRate;
    }

    /** {@return calls the ramp must see before the relapse error rate is judged; default 10} */
    public int relapseMinSamples() {
        return relapseMinSamples;
    }

    /** Builds a {@link RecoveryConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private Duration healthCheckInterval = Duration.ofSeconds(10);
        private int successesToReturn = 3;
        private double rampIncrement = 0.10;
        private Duration monitoringPeriod = Duration.ofSeconds(300);
        private int relapseConsecutiveFailures = 3;
        private double relapseErrorRate = 0.10;
        private int relapseMinSamples = 10;

        private Builder() {
        }

        /**
         * How often an ejected endpoint is probed; default 10 s (spec).
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder healthCheckInterval(Duration d) {
            this.healthCheckInterval = d;
            return this;
        }

        /**
         * Probe successes in a row that start an endpoint's return; default 3 (spec).
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder successesToReturn(int n) {
            this.successesToReturn = n;
            return this;
        }

        /**
         * Share of its traffic a returning endpoint gains per ramp step; default 0.10 (spec).
         *
         * @param increment in (0, 1]
         * @return this builder
         */
        public Builder rampIncrement(double increment) {
            this.rampIncrement = increment;
            return this;
        }

        /**
         * Length of the whole ramp back to full traffic; default 300 s (spec), one step every 30 s.
         *
         * @param d at least 1 ms per ramp step
         * @return this builder
         */
        public Builder monitoringPeriod(Duration d) {
            this.monitoringPeriod = d;
            return this;
        }

        /**
         * Failures in a row during the ramp that eject the endpoint again; default 3.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder relapseConsecutiveFailures(int n) {
            this.relapseConsecutiveFailures = n;
            return this;
        }

        /**
         * Error rate during the ramp that ejects the endpoint again; default 0.10.
         *
         * @param rate in [0, 1]
         * @return this builder
         */
        public Builder relapseErrorRate(double rate) {
            this.relapseErrorRate = rate;
            return this;
        }

        /**
         * Calls the ramp must see before the relapse error rate is judged; default 10.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder relapseMinSamples(int n) {
            this.relapseMinSamples = n;
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public RecoveryConfig build() {
            positive("recovery.healthCheckInterval", healthCheckInterval);
            atLeast("recovery.successesToReturn", successesToReturn, 1);
            openClosed("recovery.rampIncrement", rampIncrement, 0.0, 1.0);
            positive("recovery.monitoringPeriod", monitoringPeriod);
            int steps = (int) Math.ceil(1.0 / rampIncrement - 1e-9);
            if (monitoringPeriod.dividedBy(steps).toMillis() < 1) {
                throw new IllegalArgumentException("recovery.monitoringPeriod must give each of the " + steps
                        + " ramp steps at least 1 ms, was " + monitoringPeriod);
            }
            atLeast("recovery.relapseConsecutiveFailures", relapseConsecutiveFailures, 1);
            range("recovery.relapseErrorRate", relapseErrorRate, 0.0, 1.0);
            atLeast("recovery.relapseMinSamples", relapseMinSamples, 1);
            return new RecoveryConfig(this);
        }
    }
}
