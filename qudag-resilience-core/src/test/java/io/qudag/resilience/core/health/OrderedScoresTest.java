package io.qudag.resilience.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The score maps of a model's scores behave like the ordered, unmodifiable maps they replace. */
class OrderedScoresTest {

    private static HealthModel model() {
        return HealthModel.builder()
                .indicator(HealthIndicator.builder("latency").threshold(100).category(HealthCategory.APPLICATION).weight(0.5).build())
                .indicator(HealthIndicator.builder("errors").threshold(0.05).fraction(true).category(HealthCategory.APPLICATION).weight(0.5).build())
                .indicator(HealthIndicator.builder("cpu").threshold(0.8).fraction(true).category(HealthCategory.SYSTEM).build())
                .normalizeWeights(true).build();
    }

    @Test
    void scoreMapsEqualOrderedCopiesAndRejectChanges() {
        HealthScore s = model().score("ep", Map.of("latency", 50.0, "cpu", 0.4), Instant.EPOCH);
        Map<String, Double> scores = s.indicatorScores();
        assertThat(scores).isInstanceOf(OrderedScores.class);
        Map<String, Double> copy = new LinkedHashMap<>(scores);
        assertThat(scores).isEqualTo(copy).hasSameHashCodeAs(copy);
        assertThat(copy).isEqualTo(scores);
        assertThat(scores.toString()).isEqualTo(copy.toString());
        // the model's order: categories in enum order (SYSTEM before APPLICATION), then indicators
        assertThat(List.copyOf(scores.keySet())).containsExactly("cpu", "latency");
        assertThat(scores.get("errors")).isNull();
        assertThat(scores.containsKey("cpu")).isTrue();
        assertThat(s.indicatorValues()).containsEntry("latency", 50.0).containsEntry("cpu", 0.4).hasSize(2);
        Map<HealthCategory, Double> categories = s.categoryScores();
        assertThat(List.copyOf(categories.keySet())).containsExactly(HealthCategory.SYSTEM, HealthCategory.APPLICATION);
        assertThat(categories).isEqualTo(new EnumMap<>(categories));
        assertThatThrownBy(() -> scores.put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scores.remove("cpu")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scores.entrySet().iterator().next().setValue(0.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> {
            var it = scores.entrySet().iterator();
            it.next();
            it.remove();
        }).isInstanceOf(UnsupportedOperationException.class);
        assertThat(OrderedScores.copyOf(scores)).isSameAs(scores);
    }

    @Test
    void theMapAndTheArrayPathsScoreAlike() {
        HealthModel m = model();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("errors", 0.01);
        values.put("cpu", Double.NaN); // NaN is no data
        HealthScore byMap = m.score("ep", values, Instant.EPOCH);
        HealthScore byIndex = m.scoreByIndex("ep", new double[] {Double.NaN, 0.01, Double.NaN}, Instant.EPOCH);
        assertThat(byIndex).isEqualTo(byMap);
        assertThat(byMap.indicatorScores()).containsOnlyKeys("errors");
        Map<String, Double> foreign = new LinkedHashMap<>(Map.of("a", 1.0));
        Map<String, Double> copied = OrderedScores.copyOf(foreign);
        foreign.put("b", 2.0);
        assertThat(copied).containsOnlyKeys("a");
        assertThat(m.score("ep", Map.of(), Instant.EPOCH).hasData()).isFalse();
    }
}
