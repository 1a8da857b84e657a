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

    /** {@return the defaults: 5 consecutive failures, 10 s interval, 30 s base, 300 s cap, 10% share, success rate over 5 hosts × 100 calls, 1.9 σ} */
    public static OutlierDetectionConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults (after Envoy's outlier detection)} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether an endpoint is ejected after consecutive failures; default true} */
    public boolean consecutiveFailuresEnabled() {
        return consecutiveFailuresEnabled;
    }

    /** {@return failures in a row that eject an endpoint; default 5} */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** {@return whether endpoints whose success rate lies far below the others' are ejected; default true} */
    public boolean successRateEnabled() {
        return successRateEnabled;
    }

    /** {@return how often success rates are analysed and ejection counts decay} */
    public Duration interval() {
        return interval;
    }

    /**
     * {@return ejection time of a first ejection; each further ejection of the endpoint adds as much; default 30 s}
     */
    public Duration baseEjectionTime() {
        return baseEjectionTime;
    }

    /** {@return cap of one ejection; default 300 s} */
    public Duration maxEjectionTime() {
        return maxEjectionTime;
    }

    /** {@return upper bound on the share of endpoints ejected at once, (0, 1]; at least one is allowed} */
    public double maxEjectionShare() {
        return maxEjectionShare;
    }

    /** {@return endpoints with enough calls the success-rate rule needs before it judges any; default 5} */
    public int successRateMinimumHosts() {
        return successRateMinimumHosts;
    }

    /** {@return calls an endpoint needs in one interval to be judged by the success-rate rule; default 100} */
    public int successRateRequestVolume() {
        return successRateRequestVolume;
    }

    /**
     * {@return an endpoint is ejected when its success rate is below mean − factor × standard deviation; default 1.9}
     */
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

        /**
         * Whether an endpoint is ejected after consecutive failures; default true.
         *
         * @param enabled false turns the consecutive-failure rule off
         * @return this builder
         */
        public Builder consecutiveFailuresEnabled(boolean enabled) {
            this.consecutiveFailuresEnabled = enabled;
            return this;
        }

        /**
         * Failures in a row that eject an endpoint; default 5.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder consecutiveFailures(int n) {
            this.consecutiveFailures = n;
            return this;
        }

        /**
         * Whether endpoints whose success rate lies far below the others' are ejected; default true.
         *
         * @param enabled false turns the success-rate rule off
         * @return this builder
         */
        public Builder successRateEnabled(boolean enabled) {
            this.successRateEnabled = enabled;
            return this;
        }

        /**
         * How often the success-rate rule runs; default 10 s.
         *
         * @param interval at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /**
         * Ejection time of a first ejection; each further ejection of the endpoint adds as much; default 30 s.
         *
         * @param d at least 1 ms, at most 100 years
         * @return this builder
         */
        public Builder baseEjectionTime(Duration d) {
            this.baseEjectionTime = d;
            return this;
        }

        /**
         * Cap of one ejection; default 300 s.
         *
         * @param d {@code >= baseEjectionTime}, at most 100 years
         * @return this builder
         */
        public Builder maxEjectionTime(Duration d) {
            this.maxEjectionTime = d;
            return this;
        }

        /**
         * Largest share of a group that may be ejected at once (at least one endpoint always may); default 0.10.
         *
         * @param share in (0, 1]
         * @return this builder
         */
        public Builder maxEjectionShare(double share) {
            this.maxEjectionShare = share;
            return this;
        }

        /**
         * Endpoints with enough calls the success-rate rule needs before it judges any; default 5.
         *
         * @param n {@code >= 2}
         * @return this builder
         */
        public Builder successRateMinimumHosts(int n) {
            this.successRateMinimumHosts = n;
            return this;
        }

        /**
         * Calls an endpoint needs in one interval to be judged by the success-rate rule; default 100.
         *
         * @param n {@code >= 1}
         * @return this builder
         */
        public Builder successRateRequestVolume(int n) {
            this.successRateRequestVolume = n;
            return this;
        }

        /**
         * An endpoint is ejected when its success rate is below mean − factor × standard deviation; default 1.9.
         *
         * @param f {@code > 0}, finite
         * @return this builder
         */
        public Builder successRateStdevFactor(double f) {
            this.successRateStdevFactor = f;
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
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
