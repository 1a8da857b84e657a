package io.qudag.resilience.mcp;

import io.qudag.resilience.core.internal.Limits;
import java.time.Duration;

/**
 * Latency-aware choice among the endpoints of one tier (spec §1.1 load distribution inside a tier,
 * §1.2 outlier handling), used by the client's default endpoint selector:
 * <ul>
 *   <li><b>Power of two choices over peak-EWMA</b> (Finagle's and Linkerd's balancer): two endpoints of
 *       the best available tier are drawn at random and the one with the lower cost
 *       {@code peakEwma × (inFlight + 1)} gets the call. The peak EWMA jumps to a latency above it at
 *       once and decays toward the observed latencies (and, while idle, toward zero) with the time
 *       constant {@link #decayTime()}.</li>
 *   <li><b>Latency outlier ejection</b> (Envoy's outlier detection, on latency): an endpoint whose
 *       latency EWMA (gain 1/8 per answer; not the peak, so that one slow answer ejects nothing) stays above {@link #outlierFactor()} × the median of its tier's other endpoints (and
 *       at least {@link #outlierMinExcess()} above it) for {@link #outlierSustain()} is left out of the
 *       picks for {@link #baseEjectionTime()} × its ejection count, capped at
 *       {@link #maxEjectionTime()}; at most {@link #maxEjectionShare()} of a tier is ejected at once
 *       (so a tier of one endpoint never is). It then returns with its estimate reset to its peers'
 *       median and a cost penalty that fades over {@link #rampTime()}; the first answers are the probe.</li>
 * </ul>
 * Tiers come from {@link McpEndpoint#tier()}; by default every endpoint is its own tier (the configured
 * order: primary first), so the choice only matters for endpoints given the same tier. Immutable;
 * validated in {@link Builder#build()}.
 */
public final class LatencyRoutingConfig {

    private static final LatencyRoutingConfig DEFAULTS = builder().build();

    private final boolean enabled;
    private final Duration decayTime;
    private final boolean outlierEjection;
    private final double outlierFactor;
    private final Duration outlierMinExcess;
    private final Duration outlierSustain;
    private final Duration baseEjectionTime;
    private final Duration maxEjectionTime;
    private final double maxEjectionShare;
    private final Duration rampTime;

    private LatencyRoutingConfig(Builder b) {
        this.enabled = b.enabled;
        this.decayTime = b.decayTime;
        this.outlierEjection = b.outlierEjection;
        this.outlierFactor = b.outlierFactor;
        this.outlierMinExcess = b.outlierMinExcess;
        this.outlierSustain = b.outlierSustain;
        this.baseEjectionTime = b.baseEjectionTime;
        this.maxEjectionTime = b.maxEjectionTime;
        this.maxEjectionShare = b.maxEjectionShare;
        this.rampTime = b.rampTime;
    }

    /**
     * {@return the defaults: on, decay 5 s, ejection on at 2× the median (+10 ms) for 2 s, 5 s base, 60 s cap, half a tier, 5 s ramp}
     */
    public static LatencyRoutingConfig defaults() {
        return DEFAULTS;
    }

    /** {@return latency-aware choice off: inside a tier the configured order (first up endpoint) wins} */
    public static LatencyRoutingConfig disabled() {
        return builder().enabled(false).build();
    }

    /** {@return a new builder, starting from the {@link #defaults()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether the picker chooses inside a tier (else the configured order)} */
    public boolean enabled() {
        return enabled;
    }

    /** {@return the time constant of the peak EWMA} */
    public Duration decayTime() {
        return decayTime;
    }

    /** {@return whether latency outliers are ejected} */
    public boolean outlierEjection() {
        return outlierEjection;
    }

    /** {@return how many times its peers' median latency an endpoint must be to count as an outlier} */
    public double outlierFactor() {
        return outlierFactor;
    }

    /** {@return how much slower than the median an outlier must also be (guards fast, noisy tiers)} */
    public Duration outlierMinExcess() {
        return outlierMinExcess;
    }

    /** {@return how long an endpoint must stay an outlier before it is ejected} */
    public Duration outlierSustain() {
        return outlierSustain;
    }

    /**
     * {@return the ejection time of a first ejection; the n-th lasts n times this, up to {@link #maxEjectionTime()}}
     */
    public Duration baseEjectionTime() {
        return baseEjectionTime;
    }

    /** {@return the cap on the ejection time of an endpoint ejected repeatedly} */
    public Duration maxEjectionTime() {
        return maxEjectionTime;
    }

    /**
     * {@return the upper bound on the share of a tier ejected at once, in [0, 1] (floored: 0.5 of 3 is 1)}
     */
    public double maxEjectionShare() {
        return maxEjectionShare;
    }

    /** {@return how long the cost penalty of an endpoint back from ejection takes to fade} */
    public Duration rampTime() {
        return rampTime;
    }

    @Override
    public String toString() {
        return "LatencyRoutingConfig{enabled=" + enabled + ", decayTime=" + decayTime + ", outlierEjection="
                + outlierEjection + ", outlierFactor=" + outlierFactor + ", outlierMinExcess=" + outlierMinExcess
                + ", outlierSustain=" + outlierSustain + ", baseEjectionTime=" + baseEjectionTime
                + ", maxEjectionTime=" + maxEjectionTime + ", maxEjectionShare=" + maxEjectionShare + ", rampTime="
                + rampTime + '}';
    }

    /** Builds a {@link LatencyRoutingConfig}; validates in {@link #build()}. */
    public static final class Builder {
        private boolean enabled = true;
        private Duration decayTime = Duration.ofSeconds(5);
        private boolean outlierEjection = true;
        private double outlierFactor = 2.0;
        private Duration outlierMinExcess = Duration.ofMillis(10);
        private Duration outlierSustain = Duration.ofSeconds(2);
        private Duration baseEjectionTime = Duration.ofSeconds(5);
        private Duration maxEjectionTime = Duration.ofSeconds(60);
        private double maxEjectionShare = 0.5;
        private Duration rampTime = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Latency-aware choice inside a tier (default true).
         *
         * @param enabled {@code false} to keep the configured order inside a tier
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Time constant of the peak EWMA (default 5 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder decayTime(Duration d) {
            this.decayTime = d;
            return this;
        }

        /**
         * Latency outlier ejection (default true).
         *
         * @param on {@code false} to never eject an endpoint for its latency
         * @return this builder
         */
        public Builder outlierEjection(boolean on) {
            this.outlierEjection = on;
            return this;
        }

        /**
         * Outlier threshold as a multiple of the peers' median latency (default 2.0).
         *
         * @param factor in (1, 1000]
         * @return this builder
         */
        public Builder outlierFactor(double factor) {
            this.outlierFactor = factor;
            return this;
        }

        /**
         * Minimum excess over the median for an outlier (default 10 ms).
         *
         * @param d zero or more
         * @return this builder
         */
        public Builder outlierMinExcess(Duration d) {
            this.outlierMinExcess = d;
            return this;
        }

        /**
         * How long an endpoint must stay an outlier before it is ejected (default 2 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder outlierSustain(Duration d) {
            this.outlierSustain = d;
            return this;
        }

        /**
         * Ejection time of a first ejection (default 5 s) and the cap of repeated ones (default 60 s).
         *
         * @param base the first ejection time, positive
         * @param max the cap, at least {@code base}
         * @return this builder
         */
        public Builder ejectionTime(Duration base, Duration max) {
            this.baseEjectionTime = base;
            this.maxEjectionTime = max;
            return this;
        }

        /**
         * Share of a tier that may be ejected at once (default 0.5).
         *
         * @param share in [0, 1]
         * @return this builder
         */
        public Builder maxEjectionShare(double share) {
            this.maxEjectionShare = share;
            return this;
        }

        /**
         * How long the penalty of an endpoint back from ejection takes to fade (default 5 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder rampTime(Duration d) {
            this.rampTime = d;
            return this;
        }

        /**
         * Validates the settings and builds the immutable config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the field and value of the first invalid setting
         */
        public LatencyRoutingConfig build() {
            positive("decayTime", decayTime);
            if (!(outlierFactor > 1) || outlierFactor > 1000) {
                throw new IllegalArgumentException("outlierFactor must be in (1, 1000], was " + outlierFactor);
            }
            if (outlierMinExcess == null || outlierMinExcess.isNegative()) {
                throw new IllegalArgumentException("outlierMinExcess must be >= 0, was " + outlierMinExcess);
            }
            Limits.atMostMaxDuration("outlierMinExcess", outlierMinExcess);
            positive("outlierSustain", outlierSustain);
            positive("baseEjectionTime", baseEjectionTime);
            positive("maxEjectionTime", maxEjectionTime);
            if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
                throw new IllegalArgumentException("maxEjectionTime must be >= baseEjectionTime (" + baseEjectionTime
                        + "), was " + maxEjectionTime);
            }
            if (!(maxEjectionShare >= 0) || maxEjectionShare > 1) {
                throw new IllegalArgumentException("maxEjectionShare must be in [0, 1], was " + maxEjectionShare);
            }
            positive("rampTime", rampTime);
            return new LatencyRoutingConfig(this);
        }

        private static void positive(String field, Duration d) {
            if (d == null) {
                throw new IllegalArgumentException(field + " must not be null, was null");
            }
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be > 0, was " + d);
            }
            Limits.atMostMaxDuration(field, d);
        }
    }
}
