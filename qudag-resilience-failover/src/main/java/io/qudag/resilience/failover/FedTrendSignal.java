package io.qudag.resilience.failover;

import io.qudag.resilience.core.spi.HealthTrendSignal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link HealthTrendSignal} a user feeds from any forecaster (spec §1.2 predictive trigger, until or
 * besides the health module's own trend models). A prediction stays valid for {@code ttl} after it
 * was fed. Thread-safe.
 */
public final class FedTrendSignal implements HealthTrendSignal {

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Prediction> predictions = new ConcurrentHashMap<>();

    /**
     * @param clock the clock stamping predictions
     * @param ttl   how long a fed prediction counts (positive)
     */
    public FedTrendSignal(Clock clock, Duration ttl) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null, was null");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * Records that {@code subject} fails within {@code horizon} with {@code probability}.
     *
     * @param subject the endpoint or service
     * @param probability the failure probability, in [0, 1]
     * @param horizon the time the probability refers to; positive
     * @param reason a short explanation for logs and the audit trail
     */
    public void feed(String subject, double probability, Duration horizon, String reason) {
        predictions.put(subject, new Prediction(subject, probability, horizon, reason, clock.instant()));
    }

    /**
     * Forgets the prediction for {@code subject}, if any.
     *
     * @param subject the endpoint or service
     */
    public void clear(String subject) {
        predictions.remove(subject);
    }

    @Override
    public Optional<Prediction> predict(String subject) {
        Prediction p = predictions.get(subject);
        if (p == null || p.at().plus(ttl).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(p);
    }
}
