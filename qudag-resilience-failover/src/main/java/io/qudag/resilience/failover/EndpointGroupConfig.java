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

    /** Defaults: overprovisioning 1.4, panic threshold 0.5, default outlier detection and recovery. */
    public static EndpointGroupConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double overprovisioningFactor() {
        return overprovisioningFactor;
    }

    public double panicThreshold() {
        return panicThreshold;
    }

    public OutlierDetectionConfig outlierDetection() {
        return outlierDetection;
    }

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

        public Builder overprovisioningFactor(double factor) {
            this.overprovisioningFactor = factor;
            return this;
        }

        /** Available share (0..1) below which a tier panics; 0 disables panic mode. */
        public Builder panicThreshold(double threshold) {
            this.panicThreshold = threshold;
            return this;
        }

        public Builder outlierDetection(OutlierDetectionConfig config) {
            this.outlierDetection = config;
            return this;
        }

        public Builder recovery(RecoveryConfig config) {
            this.recovery = config;
            return this;
        }

        public Builder outcomePolicy(OutcomePolicy policy) {
            this.outcomePolicy = policy;
            return this;
        }

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
