package io.qudag.resilience.core.health;

import io.qudag.resilience.core.health.internal.Checks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A set of {@link HealthIndicator}s and the weights that combine them into one composite score
 * (spec §1.2 indicators, §2.1 {@code health_score_calculation}). Immutable; build with
 * {@link #builder()}.
 *
 * <h2>Composition</h2>
 * A category's score is the weighted mean of its indicators' scores; the composite is the weighted
 * mean of the category scores, using the {@linkplain #categoryWeight(HealthCategory) category weights}
 * (default {@link HealthCategory#defaultWeight()}). Indicators without a value are left out and the
 * remaining weights renormalised; so are categories without any indicator value (or whose present
 * indicators all weigh 0). See {@link #score(String, Map, Instant)}.
 *
 * <h2>Validation</h2>
 * In {@link Builder#build()}: at least one indicator, no duplicate metric names, every category weight
 * finite and {@code >= 0}, the indicator weights of each used category summing to 1 (±1e-6) and the
 * weights of the used categories summing to 1 (±1e-6). With {@link Builder#normalizeWeights(boolean)
 * normalizeWeights(true)} the weights are instead rescaled proportionally (each group divided by its
 * sum); this is how the spec's secondary indicators, whose weights sum to 0.45, are used.
 */
public final class HealthModel {

    /** Allowed deviation of a weight sum from 1. */
    public static final double WEIGHT_TOLERANCE = 1e-6;

    private final List<HealthIndicator> indicators;
    private final Map<String, HealthIndicator> byMetric;
    private final Map<HealthCategory, List<HealthIndicator>> byCategory;
    private final Map<HealthCategory, Double> categoryWeights;
    /** Position of each metric in {@link #indicators}. */
    private final Map<String, Integer> indexByMetric;
    /** The used categories in enum order, with their indicator positions and weights (for scoring). */
    private final HealthCategory[] categoryOrder;
    private final int[][] categoryMembers;
    private final double[] categoryWeightArray;

    private HealthModel(List<HealthIndicator> indicators, Map<HealthCategory, Double> categoryWeights) {
        this.indicators = List.copyOf(indicators);
        Map<String, HealthIndicator> metrics = new LinkedHashMap<>();
        Map<HealthCategory, List<HealthIndicator>> cats = new EnumMap<>(HealthCategory.class);
        for (HealthIndicator i : indicators) {
            metrics.put(i.metric(), i);
            cats.computeIfAbsent(i.category(), c -> new ArrayList<>()).add(i);
        }
        cats.replaceAll((c, l) -> List.copyOf(l));
        this.byMetric = Collections.unmodifiableMap(metrics);
        this.byCategory = Collections.unmodifiableMap(cats);
        this.categoryWeights = Collections.unmodifiableMap(new EnumMap<>(categoryWeights));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.indicators.size(); i++) {
            index.put(this.indicators.get(i).metric(), i);
        }
        this.indexByMetric = Collections.unmodifiableMap(index);
        this.categoryOrder = cats.keySet().toArray(new HealthCategory[0]);
        this.categoryMembers = new int[categoryOrder.length][];
        this.categoryWeightArray = new double[categoryOrder.length];
        for (int c = 0; c < categoryOrder.length; c++) {
            List<HealthIndicator> members = cats.get(categoryOrder[c]);
            categoryMembers[c] = new int[members.size()];
            for (int k = 0; k < members.size(); k++) {
                categoryMembers[c][k] = index.get(members.get(k).metric());
            }
            categoryWeightArray[c] = this.categoryWeights.get(categoryOrder[c]);
        }
    }

    /** {@return an empty builder with the spec's category weights} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the indicators in the order they were added (weights already normalised if asked for)} */
    public List<HealthIndicator> indicators() {
        return indicators;
    }

    /**
     * {@return the indicator of {@code metric}, if the model has one}
     *
     * @param metric the metric name
     */
    public Optional<HealthIndicator> indicator(String metric) {
        return Optional.ofNullable(byMetric.get(metric));
    }

    /**
     * {@return the indicators of one category (empty when unused)}
     *
     * @param category the category
     */
    public List<HealthIndicator> indicators(HealthCategory category) {
        return byCategory.getOrDefault(category, List.of());
    }

    /** {@return the categories that have at least one indicator} */
    public Set<HealthCategory> categories() {
        return byCategory.keySet();
    }

    /**
     * {@return the weight of {@code category} in the composite (after normalisation if asked for)} For a
     * category without indicators this is the configured or default weight; it plays no part in scoring.
     *
     * @param category the category
     */
    public double categoryWeight(HealthCategory category) {
        return categoryWeights.get(category);
    }

    /**
     * Scores statistic values: {@code values} maps metric names to the value of each indicator's
     * statistic (a missing or NaN value means "no data" and is left out). Pure function.
     *
     * @throws IllegalArgumentException when {@code values} names a metric the model does not have
     * @param subject what was measured, carried into the score
     * @param values statistic value per metric name
     * @param at the instant the score is for
     * @return the composite, per-category and per-indicator scores
     */
    public HealthScore score(String subject, Map<String, Double> values, Instant at) {
        double[] byIndex = new double[indicators.size()];
        java.util.Arrays.fill(byIndex, Double.NaN);
        for (Map.Entry<String, Double> e : values.entrySet()) {
            Integer i = indexByMetric.get(e.getKey());
            if (i == null) {
                throw new IllegalArgumentException("values: unknown metric '" + e.getKey() + "', model has "
                        + byMetric.keySet());
            }
            Double v = e.getValue();
            byIndex[i] = v == null ? Double.NaN : v;
        }
        return scoreByIndex(subject, byIndex, at);
    }

    /**
     * Like {@link #score(String, Map, Instant)} with the values in {@link #indicators()} order
     * ({@code values[i]} belongs to {@code indicators().get(i)}; NaN means no data). Used by
     * {@link HealthMonitor} to score without building a map of values.
     */
    HealthScore scoreByIndex(String subject, double[] values, Instant at) {
        int n = indicators.size();
        Object[] metrics = null;
        double[] scores = null;
        double[] scored = null;
        int count = 0;
        Object[] categories = null;
        double[] categoryScores = null;
        int categoryCount = 0;
        double total = 0;
        double totalWeight = 0;
        for (int c = 0; c < categoryOrder.length; c++) {
            double sum = 0;
            double weight = 0;
            for (int i : categoryMembers[c]) {
                double v = values[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                HealthIndicator indicator = indicators.get(i);
                double s = indicator.score(v);
                if (metrics == null) {
                    metrics = new Object[n];
                    scores = new double[n];
                    scored = new double[n];
                    categories = new Object[categoryOrder.length];
                    categoryScores = new double[categoryOrder.length];
                }
                metrics[count] = indicator.metric();
                scores[count] = s;
                scored[count] = v;
                count++;
                sum += indicator.weight() * s;
                weight += indicator.weight();
            }
            if (weight > 0) {
                double categoryScore = sum / weight;
                categories[categoryCount] = categoryOrder[c];
                categoryScores[categoryCount] = categoryScore;
                categoryCount++;
                double cw = categoryWeightArray[c];
                total += cw * categoryScore;
                totalWeight += cw;
            }
        }
        if (metrics == null) {
            return HealthScore.noData(subject, at);
        }
        Map<String, Double> indicatorScores = new OrderedScores<>(metrics, scores, count);
        Map<String, Double> indicatorValues = new OrderedScores<>(metrics, scored, count);
        Map<HealthCategory, Double> byCategory = new OrderedScores<>(categories, categoryScores, categoryCount);
        if (totalWeight <= 0) {
            return new HealthScore(subject, Double.NaN, null, indicatorScores, indicatorValues, byCategory, at);
        }
        double composite = Math.min(100.0, Math.max(0.0, total / totalWeight));
        return new HealthScore(subject, composite, HealthGrade.of(composite), indicatorScores, indicatorValues,
                byCategory, at);
    }

    @Override
    public String toString() {
        return "HealthModel[" + indicators + ", categoryWeights=" + categoryWeights + "]";
    }

    /** Builds a {@link HealthModel}; {@link #build()} validates everything. */
    public static final class Builder {
        private final List<HealthIndicator> indicators = new ArrayList<>();
        private final Map<HealthCategory, Double> categoryWeights = new EnumMap<>(HealthCategory.class);
        private final List<HealthCategory> nullCategoryKeys = new ArrayList<>();
        private boolean normalizeWeights;

        private Builder() {
        }

        /**
         * Adds one indicator; its metric name must be new to the model.
         *
         * @param indicator non-null
         * @return this builder
         */
        public Builder indicator(HealthIndicator indicator) {
            indicators.add(indicator);
            return this;
        }

        /**
         * Adds several indicators, in order.
         *
         * @param all non-null, no null element
         * @return this builder
         */
        public Builder indicators(Collection<HealthIndicator> all) {
            indicators.addAll(all);
            return this;
        }

        /**
         * Overrides the default weight of {@code category}.
         *
         * @param category non-null
         * @param weight {@code >= 0}; spec SYSTEM 0.3, APPLICATION 0.4, BUSINESS 0.2, PREDICTIVE 0.1
         * @return this builder
         */
        public Builder categoryWeight(HealthCategory category, double weight) {
            if (category == null) {
                nullCategoryKeys.add(null);
            } else {
                categoryWeights.put(category, weight);
            }
            return this;
        }

        /**
         * Rescale weights proportionally to sum to 1 instead of failing when they do not. Default false.
         *
         * @param normalizeWeights true to rescale
         * @return this builder
         */
        public Builder normalizeWeights(boolean normalizeWeights) {
            this.normalizeWeights = normalizeWeights;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         * @return the immutable model
         */
        public HealthModel build() {
            if (!nullCategoryKeys.isEmpty()) {
                throw new IllegalArgumentException("categoryWeight category must not be null, was null");
            }
            if (indicators.isEmpty()) {
                throw new IllegalArgumentException("indicators must not be empty, was []");
            }
            Set<String> seen = new HashSet<>();
            Map<HealthCategory, List<HealthIndicator>> byCategory = new EnumMap<>(HealthCategory.class);
            for (int i = 0; i < indicators.size(); i++) {
                HealthIndicator indicator = Checks.notNull("indicators[" + i + "]", indicators.get(i));
                if (!seen.add(indicator.metric())) {
                    throw new IllegalArgumentException("indicators[" + i + "].metric must be unique, was duplicate '"
                            + indicator.metric() + "'");
                }
                byCategory.computeIfAbsent(indicator.category(), c -> new ArrayList<>()).add(indicator);
            }
            Map<HealthCategory, Double> weights = new EnumMap<>(HealthCategory.class);
            for (HealthCategory c : HealthCategory.values()) {
                double w = categoryWeights.getOrDefault(c, c.defaultWeight());
                Checks.nonNegative("categoryWeights." + c, w);
                weights.put(c, w);
            }
            Map<HealthCategory, List<HealthIndicator>> finalByCategory = new EnumMap<>(HealthCategory.class);
            for (Map.Entry<HealthCategory, List<HealthIndicator>> e : byCategory.entrySet()) {
                List<HealthIndicator> list = e.getValue();
                double sum = 0;
                StringJoiner parts = new StringJoiner(", ", "{", "}");
                for (HealthIndicator i : list) {
                    sum += i.weight();
                    parts.add(i.metric() + "=" + i.weight());
                }
                String field = e.getKey() + " indicator weights";
                finalByCategory.put(e.getKey(), normalizeWeights ? rescale(list, sum, field + " " + parts)
                        : requireSumOne(list, sum, field + " " + parts));
            }
            double categorySum = 0;
            StringJoiner used = new StringJoiner(", ", "{", "}");
            for (HealthCategory c : byCategory.keySet()) {
                categorySum += weights.get(c);
                used.add(c + "=" + weights.get(c));
            }
            String field = "categoryWeights of the used categories " + used;
            if (normalizeWeights) {
                if (!(categorySum > 0)) {
                    throw new IllegalArgumentException(field + " must sum to > 0 to be normalised, was " + categorySum);
                }
                for (HealthCategory c : byCategory.keySet()) {
                    weights.put(c, weights.get(c) / categorySum);
                }
            } else if (Math.abs(categorySum - 1.0) > WEIGHT_TOLERANCE) {
                throw new IllegalArgumentException(field + " must sum to 1 (±1e-6), was " + categorySum
                        + " (set categoryWeight(..) or normalizeWeights(true))");
            }
            List<HealthIndicator> ordered = new ArrayList<>(indicators.size());
            Map<String, HealthIndicator> finalByMetric = new HashMap<>();
            finalByCategory.values().forEach(l -> l.forEach(i -> finalByMetric.put(i.metric(), i)));
            for (HealthIndicator i : indicators) {
                ordered.add(finalByMetric.get(i.metric()));
            }
            return new HealthModel(ordered, weights);
        }

        private static List<HealthIndicator> requireSumOne(List<HealthIndicator> list, double sum, String field) {
            if (Math.abs(sum - 1.0) > WEIGHT_TOLERANCE) {
                throw new IllegalArgumentException(field + " must sum to 1 (±1e-6), was " + sum
                        + " (or use normalizeWeights(true))");
            }
            return list;
        }

        private static List<HealthIndicator> rescale(List<HealthIndicator> list, double sum, String field) {
            if (!(sum > 0)) {
                throw new IllegalArgumentException(field + " must sum to > 0 to be normalised, was " + sum);
            }
            List<HealthIndicator> out = new ArrayList<>(list.size());
            for (HealthIndicator i : list) {
                out.add(i.withWeight(i.weight() / sum));
            }
            return out;
        }
    }
}
