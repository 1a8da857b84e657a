package io.qudag.resilience.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A trend or prediction signal per subject (an endpoint id, a host): "this subject is likely to fail
 * soon". It feeds the predictive failover trigger of spec §1.2 ({@code trend_analysis_indicates_failure})
 * and is what the proactive health prediction of spec §2.1 produces.
 *
 * <p>The health module implements it from its trend models; a user can implement it today (or use the
 * failover module's fed signal) from any external forecaster. Implementations must be thread-safe,
 * non-blocking and cheap: the failover engine asks once per evaluation tick per endpoint.
 */
@FunctionalInterface
public interface HealthTrendSignal {

    /**
     * {@return the current prediction for {@code subject}, or empty when there is none (no model, not enough
     * data, nothing predicted)}
     *
     * @param subject the endpoint or service asked about
     */
    Optional<Prediction> predict(String subject);

    /** {@return a signal that never predicts anything} */
    static HealthTrendSignal none() {
        return subject -> Optional.empty();
    }

    /**
     * One prediction.
     *
     * @param subject            what it is about (an endpoint id)
     * @param failureProbability probability in [0, 1] that the subject fails within {@code horizon}
     * @param horizon            the time the probability refers to; also the estimated time to failure
     *                           when the model gives one (positive)
     * @param reason             a short explanation for logs and the audit trail (e.g. "p95 rising 8 ms/s")
     * @param at                 when the prediction was made
     */
    record Prediction(String subject, double failureProbability, Duration horizon, String reason, Instant at) {
        /**
         * Checks the prediction.
         *
         * @param subject            what it is about (an endpoint id); non-null
         * @param failureProbability probability in [0, 1] that the subject fails within {@code horizon}
         * @param horizon            the time the probability refers to; positive
         * @param reason             a short explanation for logs and the audit trail
         * @param at                 when the prediction was made; non-null
         */
        public Prediction {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(horizon, "horizon");
            Objects.requireNonNull(at, "at");
            if (!(failureProbability >= 0.0 && failureProbability <= 1.0)) {
                throw new IllegalArgumentException(
                        "failureProbability must be in [0, 1], was " + failureProbability);
            }
            if (horizon.isNegative() || horizon.isZero()) {
                throw new IllegalArgumentException("horizon must be positive, was " + horizon);
            }
            reason = reason == null ? "" : reason;
        }
    }
}
