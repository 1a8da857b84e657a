package io.qudag.resilience.failover;

import static io.qudag.resilience.failover.internal.Checks.notNull;
import static io.qudag.resilience.failover.internal.Checks.range;

import io.qudag.resilience.core.OutcomePolicy;

/**
 * How an {@link EndpointGroup} spreads load across tiers (Envoy's priority levels):
 * a tier's health share is {@code min(100%, overprovisioningFactor × available share)}; the first tier
 * takes as much load as its health share, the next tier the rest, and so on. When the tiers together
 * are below 100% and a tier's available share is below {@link #panicThreshold()}, that tier is in
 * panic mode and routes to all its (non-drained) endpoints regardless of health. Immutable.
 */
public final class EndpointGroupConfig {

    private static final EndpointGroupConfig DEFAULTS = builder().build();

    private final double overprovisioningFactor;
    private final double panicThreshold;
    private final OutlierDetectionConfig outlierDetection;
    private final RecoveryConfig recovery;
    private final OutcomePolicy outcomePolicy;

    private EndpointGroupConfig(Builder b) {
        this.overprovisioningFactor = b.overprovisioningFactor;
        this.panicThreshold = b.panicThreshold;
        this.outlierDetection = b.outlierDetection;
        this.recovery = b.recovery;
        this.outcomePolicy = b.outcomePolicy;
    }

    /** {@return the defaults: overprovisioning 1.4, panic threshold 0.5, default outlier detection and recovery} */
    public static EndpointGroupConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return how much a tier is over-provisioned: a tier at health h takes h × factor of the traffic before spilling; default 1.4}
     */
    public double overprovisioningFactor() {
        return overprovisioningFactor;
    }

    /**
     * {@return share of healthy endpoints below which the group routes to every endpoint, healthy or not; default 0.5}
     */
    public double panicThreshold() {
        return panicThreshold;
    }

    /** {@return when endpoints are ejected; default {@link OutlierDetectionConfig#defaults()}} */
    public OutlierDetectionConfig outlierDetection() {
        return outlierDetection;
    }

    /** {@return how ejected endpoints return; default {@link RecoveryConfig#defaults()}} */
    public RecoveryConfig recovery() {
        return recovery;
    }

    /** {@return which outcomes count as failures of the endpoint} */
    public OutcomePolicy outcomePolicy() {
        return outcomePolicy;
    }

    /** Builds an {@link EndpointGroupConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private double overprovisioningFactor = 1.4;
        private double panicThreshold = 0.5;
        private OutlierDetectionConfig outlierDetection = OutlierDetectionConfig.defaults();
        private RecoveryConfig recovery = RecoveryConfig.defaults();
        private OutcomePolicy outcomePolicy = OutcomePolicy.defaults();

        private Builder() {
        }

        /**
         * How much a tier is over-provisioned: a tier at health h takes h × factor of the traffic before spilling; default 1.4.
         *
         * @param factor in [1, 100]
         * @return this builder
         */
        public Builder overprovisioningFactor(double factor) {
            this.overprovisioningFactor = factor;
            return this;
        }

        /**
         * Available share (0..1) below which a tier panics; 0 disables panic mode.
         *
         * @param threshold in [0, 1]; 0 turns panic routing off
         * @return this builder
         */
        public Builder panicThreshold(double threshold) {
            this.panicThreshold = threshold;
            return this;
        }

        /**
         * When endpoints are ejected; default {@link OutlierDetectionConfig#defaults()}.
         *
         * @param config non-null
         * @return this builder
         */
        public Builder outlierDetection(OutlierDetectionConfig config) {
            this.outlierDetection = config;
            return this;
        }

        /**
         * How ejected endpoints return; default {@link RecoveryConfig#defaults()}.
         *
         * @param config non-null
         * @return this builder
         */
        public Builder recovery(RecoveryConfig config) {
            this.recovery = config;
            return this;
        }

        /**
         * Which call outcomes count as failures of an endpoint; default {@link OutcomePolicy#defaults()}.
         *
         * @param policy non-null
         * @return this builder
         */
        public Builder outcomePolicy(OutcomePolicy policy) {
            this.outcomePolicy = policy;
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public EndpointGroupConfig build() {
            range("overprovisioningFactor", overprovisioningFactor, 1.0, 100.0);
            range("panicThreshold", panicThreshold, 0.0, 1.0);
            notNull("outlierDetection", outlierDetection);
            notNull("recovery", recovery);
            notNull("outcomePolicy", outcomePolicy);
            return new EndpointGroupConfig(this);
        }
    }
}
