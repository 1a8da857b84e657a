package io.qudag.resilience.core.health;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One evaluation of a subject's health (spec §2.1 {@code health_score_calculation}): the composite
 * 0–100 score, its {@link HealthGrade}, and the parts it was made of. Indicators and categories
 * without data are absent from the maps. Without any data the value is NaN and the grade null
 * ({@link #hasData()} is false, {@link #valueIfAny()} empty). Scores made by {@link HealthModel} hold
 * {@link OrderedScores}, which this record keeps without copying. The maps are unmodifiable and keep the model's order.
 *
 * @param subject          what was evaluated (an endpoint id, a service name)
 * @param value            composite score in [0, 100], or NaN without data
 * @param grade            {@code HealthGrade.of(value)}, or null without data
 * @param indicatorScores  metric name to its 0–100 score
 * @param indicatorValues  metric name to the statistic value that was scored
 * @param categoryScores   category to its weighted 0–100 score
 * @param at               when the score was evaluated
 */
public record HealthScore(String subject, double value, HealthGrade grade, Map<String, Double> indicatorScores,
                          Map<String, Double> indicatorValues, Map<HealthCategory, Double> categoryScores,
                          Instant at) {

    /**
     * Checks subject and instant and copies the maps, so the score is immutable.
     *
     * @param subject what was evaluated (an endpoint id, a service name)
     * @param value composite score in [0, 100], or NaN without data
     * @param grade {@code HealthGrade.of(value)}, or null without data
     * @param indicatorScores metric name to its 0–100 score
     * @param indicatorValues metric name to the statistic value that was scored
     * @param categoryScores category to its weighted 0–100 score
     * @param at when the score was evaluated
     */
    public HealthScore {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(at, "at");
        indicatorScores = OrderedScores.copyOf(indicatorScores);
        indicatorValues = OrderedScores.copyOf(indicatorValues);
        categoryScores = categoryScores.isEmpty() ? Map.of() : categoryScores instanceof OrderedScores
                ? categoryScores : Collections.unmodifiableMap(new EnumMap<>(categoryScores));
    }

    /**
     * {@return a score without data: value NaN, grade null, empty maps}
     *
     * @param subject what was evaluated
     * @param at when the evaluation found no data
     */
    public static HealthScore noData(String subject, Instant at) {
        return new HealthScore(subject, Double.NaN, null, Map.of(), Map.of(), Map.of(), at);
    }

    /**
     * The composite score, empty without data: the NaN-free way to read {@link #value()} (which is NaN
     * without data, a record component kept for compatibility).
     *
     * @return the composite score, or empty without data
     */
    public OptionalDouble valueIfAny() {
        return hasData() ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /** {@return whether any indicator had data, i.e. {@link #value()} is a number} */
    public boolean hasData() {
        return !Double.isNaN(value);
    }

    /** For logs: "no data" stands where the value would be NaN. */
    @Override
    public String toString() {
        return "HealthScore[" + subject + " " + (hasData() ? value + " " + grade : "no data") + ", indicators="
                + indicatorScores + ", categories=" + categoryScores + ", at=" + at + "]";
    }
}
