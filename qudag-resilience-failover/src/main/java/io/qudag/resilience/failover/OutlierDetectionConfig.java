package io.qudag.resilience.failover;

import static io.qudag.resilience.failover.internal.Checks.atLeast;
import static io.qudag.resilience.failover.internal.Checks.openClosed;
import static io.qudag.resilience.failover.internal.Checks.positive;

import java.time.Duration;

/**
 * Outlier ejection of endpoints (modelled on Envoy's outlier detection): an endpoint
 * that fails {@link #consecutiveFailures()} calls in a row, or whose success rate over an
 * {@link #interval()} lies more than {@link #successRateStdevFactor()} standard deviations below the
 * group's mean, is ejected for {@link #baseEjectionTime()} × its ejection count, capped at
 * {@link #maxEjectionTime()}. At most {@link #maxEjectionShare()} of the group's endpoints are
 * ejected at once (at least one is always allowed). Immutable.
 */
public final class OutlierDetectionConfig {

    private static final OutlierDetectionConfig DEFAULTS = builder().build();

    private final boolean consecutiveFailuresEnabled;
    private final int consecutiveFailures;
    private final boolean successRateEnabled;
    private final Duration interval;
    private final Duration baseEjectionTime;
    private final Duration maxEjectionTime;
    private final double maxEjectionShare;
    private final int successRateMinimumHosts;
    private final int successRateRequestVolume;
    private final double successRateStdevFactor;

    private OutlierDetectionConfig(Builder b) {
        this.consecutiveFailuresEnabled = b.consecutiveFailuresEnabled;
        this.consecutiveFailures = b.consecutiveFailures;
        this.successRateEnabled = b.successRateEnabled;
        this.interval = b.interval;
        this.baseEjectionTime = b.baseEjectionTime;
        this.maxEjectionTime = b.maxEjectionTime;
        this.maxEjectionShare = b.maxEjectionShare;
        this.successRateMinimumHosts = b.successRateMinimumHosts;
        this.successRateRequestVolume = b.successRateRequestVolume;
        this.successRateStdevFactor = b.successRateStdevFactor;
    }

    /** Defaults: 5 consecutive failures, 10 s interval, 30 s base, 300 s cap, 10% share, success rate over 5 hosts × 100 calls, 1.9 σ. */
    public static OutlierDetectionConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean consecutiveFailuresEnabled() {
        return consecutiveFailuresEnabled;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public boolean successRateEnabled() {
        return successRateEnabled;
    }

    /** {@return how often success rates are analysed and ejection counts decay} */
    public Duration interval() {
        return interval;
    }

    public Duration baseEjectionTime() {
        return baseEjectionTime;
    }

    public Duration maxEjectionTime() {
        return maxEjectionTime;
    }

    /** {@return upper bound on the share of endpoints ejected at once, (0, 1]; at least one is allowed} */
    public double maxEjectionShare() {
        return maxEjectionShare;
    }

    public int successRateMinimumHosts() {
        return successRateMinimumHosts;
    }

    public int successRateRequestVolume() {
        return successRateRequestVolume;
    }

    public double successRateStdevFactor() {
        return successRateStdevFactor;
    }

    /** Builds an {@link OutlierDetectionConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private boolean consecutiveFailuresEnabled = true;
        private int consecutiveFailures = 5;
        private boolean successRateEnabled = true;
        private Duration interval = Duration.ofSeconds(10);
        private Duration baseEjectionTime = Duration.ofSeconds(30);
        private Duration maxEjectionTime = Duration.ofSeconds(300);
        private double maxEjectionShare = 0.10;
        private int successRateMinimumHosts = 5;
        private int successRateRequestVolume = 100;
        private double successRateStdevFactor = 1.9;

        private Builder() {
        }

        public Builder consecutiveFailuresEnabled(boolean enabled) {
            this.consecutiveFailuresEnabled = enabled;
            return this;
        }

        public Builder consecutiveFailures(int n) {
            this.consecutiveFailures = n;
            return this;
        }

        public Builder successRateEnabled(boolean enabled) {
            this.successRateEnabled = enabled;
            return this;
        }

        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        public Builder baseEjectionTime(Duration d) {
            this.baseEjectionTime = d;
            return this;
        }

        public Builder maxEjectionTime(Duration d) {
            this.maxEjectionTime = d;
            return this;
        }

        public Builder maxEjectionShare(double share) {
            this.maxEjectionShare = share;
            return this;
        }

        public Builder successRateMinimumHosts(int n) {
            this.successRateMinimumHosts = n;
            return this;
        }

        public Builder successRateRequestVolume(int n) {
            this.successRateRequestVolume = n;
            return this;
        }

        public Builder successRateStdevFactor(double f) {
            this.successRateStdevFactor = f;
            return this;
        }

        public OutlierDetectionConfig build() {
            atLeast("outlierDetection.consecutiveFailures", consecutiveFailures, 1);
            positive("outlierDetection.interval", interval);
            positive("outlierDetection.baseEjectionTime", baseEjectionTime);
            positive("outlierDetection.maxEjectionTime", maxEjectionTime);
            if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
                throw new IllegalArgumentException("outlierDetection.maxEjectionTime must be >= baseEjectionTime ("
                        + baseEjectionTime + "), was " + maxEjectionTime);
            }
            openClosed("outlierDetection.maxEjectionShare", maxEjectionShare, 0.0, 1.0);
            atLeast("outlierDetection.successRateMinimumHosts", successRateMinimumHosts, 2);
            atLeast("outlierDetection.successRateRequestVolume", successRateRequestVolume, 1);
            if (!(successRateStdevFactor > 0) || Double.isInfinite(successRateStdevFactor)) {
                throw new IllegalArgumentException(
                        "outlierDetection.successRateStdevFactor must be > 0 and finite, was " + successRateStdevFactor);
            }
            return new OutlierDetectionConfig(this);
        }
    }
}
