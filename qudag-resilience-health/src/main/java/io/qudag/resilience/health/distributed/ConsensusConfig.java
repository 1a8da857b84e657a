package io.qudag.resilience.health.distributed;

import java.time.Duration;

/**
 * The parameters of the health consensus protocol (spec §2.2 {@code consensus_parameters},
 * {@code voting_criteria}). Immutable; build with {@link #builder()}. Defaults: assessment every 30 s,
 * timeout 10 s, at least 3 nodes, decision threshold 0.66 (the supermajority), weights local 0.4,
 * peer 0.3, external 0.2, user experience 0.1.
 *
 * @param assessmentInterval how often each subject is assessed
 * @param timeout            how long a round waits for votes
 * @param minimumNodes       fewest members (and fewest votes in a round) for a decision
 * @param decisionThreshold  share of all members an UNHEALTHY verdict needs, in (0.5, 1]
 * @param localWeight        weight of the self-reported score
 * @param peerWeight         weight of the peer assessment
 * @param externalWeight     weight of external monitoring
 * @param userExperienceWeight weight of real-user monitoring
 */
public record ConsensusConfig(Duration assessmentInterval, Duration timeout, int minimumNodes,
                              double decisionThreshold, double localWeight, double peerWeight,
                              double externalWeight, double userExperienceWeight) {

    /** {@return a builder holding the spec §2.2 defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the defaults of spec §2.2} */
    public static ConsensusConfig defaults() {
        return builder().build();
    }

    /** Builds a {@link ConsensusConfig}; {@link #build()} validates everything. */
    public static final class Builder {
        private Duration assessmentInterval = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(10);
        private int minimumNodes = 3;
        private double decisionThreshold = 0.66;
        private double local = 0.4;
        private double peer = 0.3;
        private double external = 0.2;
        private double userExperience = 0.1;

        private Builder() {
        }

        /**
         * How often each subject is assessed; default 30 s.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder assessmentInterval(Duration d) {
            this.assessmentInterval = d;
            return this;
        }

        /**
         * How long a round waits for votes; default 10 s.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /**
         * At least 3 (the spec's minimum).
         *
         * @param n fewest members (and votes in a round) for a decision; default 3
         * @return this builder
         */
        public Builder minimumNodes(int n) {
            this.minimumNodes = n;
            return this;
        }

        /**
         * Share of all members an UNHEALTHY verdict needs; default 0.66 (the supermajority).
         *
         * @param t in (0.5, 1]
         * @return this builder
         */
        public Builder decisionThreshold(double t) {
            this.decisionThreshold = t;
            return this;
        }

        /**
         * The four criterion weights; they must sum to 1.
         *
         * @param local weight of the self-reported score; default 0.4
         * @param peer weight of the peer assessment; default 0.3
         * @param external weight of external monitoring; default 0.2
         * @param userExperience weight of real-user monitoring; default 0.1
         * @return this builder
         */
        public Builder weights(double local, double peer, double external, double userExperience) {
            this.local = local;
            this.peer = peer;
            this.external = external;
            this.userExperience = userExperience;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         */
        public ConsensusConfig build() {
            positive("assessmentInterval", assessmentInterval);
            positive("timeout", timeout);
            if (timeout.compareTo(assessmentInterval) > 0) {
                throw new IllegalArgumentException("timeout must not exceed assessmentInterval (" + assessmentInterval
                        + "), was " + timeout);
            }
            if (minimumNodes < 3) {
                throw new IllegalArgumentException("minimumNodes must be >= 3, was " + minimumNodes);
            }
            if (!(decisionThreshold > 0.5 && decisionThreshold <= 1)) {
                throw new IllegalArgumentException("decisionThreshold must be in (0.5, 1], was " + decisionThreshold);
            }
            weight("localWeight", local);
            weight("peerWeight", peer);
            weight("externalWeight", external);
            weight("userExperienceWeight", userExperience);
            double sum = local + peer + external + userExperience;
            if (Math.abs(sum - 1) > 1e-6) {
                throw new IllegalArgumentException("weights must sum to 1, was " + sum + " (local " + local + ", peer "
                        + peer + ", external " + external + ", userExperience " + userExperience + ")");
            }
            return new ConsensusConfig(assessmentInterval, timeout, minimumNodes, decisionThreshold, local, peer,
                    external, userExperience);
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be > 0, was " + d);
            }
        }

        private static void weight(String field, double w) {
            if (!(w >= 0 && w <= 1)) {
                throw new IllegalArgumentException(field + " must be in [0, 1], was " + w);
            }
        }
    }
}
