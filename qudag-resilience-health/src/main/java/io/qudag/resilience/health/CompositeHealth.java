package io.qudag.resilience.health;

import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.HealthScore;
import io.qudag.resilience.core.health.OrderedScores;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The composite health of one subject (spec §2.1 {@code health_score_calculation}): system 0.3,
 * application 0.4, business 0.2, predictive 0.1 by default, computed by core's {@code HealthModel}
 * over the metrics that have data, with its grade. Before any data the status is
 * {@link HealthStatus#UNKNOWN} and {@link #score()} is empty.
 *
 * @param subject    the subject
 * @param status     UNKNOWN or the grade of the score
 * @param score      the 0–100 composite, empty without data
 * @param dimensions the score of each dimension that has data
 * @param metrics    the score of each metric that has data
 * @param at         when it was evaluated
 */
public record CompositeHealth(String subject, HealthStatus status, OptionalDouble score,
                              Map<HealthCategory, Double> dimensions, Map<String, Double> metrics, Instant at) {

    /**
     * Checks the components and copies the maps.
     *
     * @param subject the subject
     * @param status UNKNOWN or the grade of the score
     * @param score the 0–100 composite, empty without data
     * @param dimensions the score of each dimension that has data
     * @param metrics the score of each metric that has data
     * @param at when it was evaluated
     */
    public CompositeHealth {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(at, "at");
        dimensions = dimensions.isEmpty() ? Map.of() : dimensions instanceof OrderedScores ? dimensions
                : Collections.unmodifiableMap(new EnumMap<>(dimensions));
        metrics = OrderedScores.copyOf(metrics); // core's immutable score maps are kept, others copied
    }

    /**
     * {@return the composite of core's score, UNKNOWN when it has no data}
     *
     * @param s core's score of the subject
     */
    public static CompositeHealth of(HealthScore s) {
        if (!s.hasData()) {
            return unknown(s.subject(), s.at());
        }
        return new CompositeHealth(s.subject(), HealthStatus.of(s.grade()), OptionalDouble.of(s.value()),
                s.categoryScores(), s.indicatorScores(), s.at());
    }

    /**
     * {@return the composite health before any data}
     *
     * @param subject the monitored subject
     * @param at when it was evaluated
     */
    public static CompositeHealth unknown(String subject, Instant at) {
        return new CompositeHealth(subject, HealthStatus.UNKNOWN, OptionalDouble.empty(), Map.of(), Map.of(), at);
    }
}
