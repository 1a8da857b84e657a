package io.qudag.resilience.health.config;

import static java.util.Map.entry;

import io.qudag.resilience.core.config.ConfigBlock;
import io.qudag.resilience.core.config.ConfigException;
import io.qudag.resilience.core.config.ConfigNode;
import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.IndicatorDirection;
import io.qudag.resilience.health.MetricSpec;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.distributed.ConsensusConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The configuration-file blocks of the health module (spec §2.1 monitoring and scoring, §2.2 health
 * consensus), read by {@link io.qudag.resilience.core.config.ConfigFile}. Keys are the builders' options
 * in snake_case; a metric named like one of {@link MetricSpecs} starts from that default and changes only
 * the keys given.
 *
 * <pre>{@code
 * health_monitoring_system:
 *   score_window: "60s"
 *   fast_interval_factor: 0.5
 *   category_weights: { system: "30%", application: "40%", business: "20%", predictive: "10%" }
 *   metrics:
 *     response_time_p95: { thresholds: [800, 1500, 3000] }
 *     queue_depth: { category: application, collection_interval: "10s", thresholds: [100, 500, 1000], unit: "jobs" }
 * health_consensus:
 *   assessment_interval: "30s"
 *   timeout: "10s"
 *   minimum_nodes: 3
 *   decision_threshold: 0.66
 *   weights: { local: 0.4, peer: 0.3, external: 0.2, user_experience: 0.1 }
 * }</pre>
 */
public final class HealthConfigBlocks {

    /** {@code health_monitoring_system}: the {@link HealthMonitoringSettings} to apply to a system's builder. */
    public static final ConfigBlock<HealthMonitoringSettings> HEALTH_MONITORING_SYSTEM =
            ConfigBlock.of("health_monitoring_system", HealthConfigBlocks::monitoring);

    /** {@code health_consensus}: a {@link ConsensusConfig}. */
    public static final ConfigBlock<ConsensusConfig> HEALTH_CONSENSUS =
            ConfigBlock.of("health_consensus", HealthConfigBlocks::consensus);

    private HealthConfigBlocks() {
    }

    private static HealthMonitoringSettings monitoring(ConfigNode node) {
        List<MetricSpec> metrics = new ArrayList<>();
        Map<HealthCategory, Double> weights = new EnumMap<>(HealthCategory.class);
        Duration[] window = new Duration[1];
        Double[] factor = new Double[1];
        node.bind(Map.of(
                "score_window", v -> window[0] = v.asDuration(),
                "fast_interval_factor", v -> factor[0] = v.asDouble(),
                "category_weights", v -> v.children().forEach(c -> weights.put(category(c, c.key()), c.asShare())),
                "metrics", v -> v.children().forEach(m -> metrics.add(metric(m)))));
        return node.build(() -> new HealthMonitoringSettings(metrics, weights, Optional.ofNullable(window[0]),
                factor[0] == null ? OptionalDouble.empty() : OptionalDouble.of(factor[0])));
    }

    private static HealthCategory category(ConfigNode at, String name) {
        try {
            return HealthCategory.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at.path(), "was \"" + name + "\", must be one of [system, application, business, predictive]");
        }
    }

    private static MetricSpec metric(ConfigNode node) {
        String name = node.key();
        MetricSpec.Builder b = MetricSpecs.all().stream().filter(s -> s.name().equals(name)).findFirst()
                .map(MetricSpec::toBuilder).orElseGet(() -> MetricSpec.builder(name));
        node.bind(Map.ofEntries(
                entry("category", v -> b.category(category(v, v.asString()))),
                entry("direction", v -> b.direction(v.asEnum(IndicatorDirection.class))),
                entry("collection_interval", v -> b.collectionInterval(v.asDuration())),
                entry("thresholds", v -> {
                    List<ConfigNode> t = v.elements();
                    if (t.size() != 3) {
                        throw new ConfigException(v.path(), "was " + v.written()
                                + ", must be [warning, critical, emergency]");
                    }
                    b.thresholds(t.get(0).asDouble(), t.get(1).asDouble(), t.get(2).asDouble());
                }),
                entry("hysteresis", v -> b.hysteresis(v.asDouble())),
                entry("ideal", v -> b.ideal(v.asDouble())),
                entry("unit", v -> b.unit(v.asString()))));
        return node.build(b::build);
    }

    private static ConsensusConfig consensus(ConfigNode node) {
        ConsensusConfig.Builder b = ConsensusConfig.builder();
        ConsensusConfig d = ConsensusConfig.defaults();
        node.bind(Map.of(
                "assessment_interval", v -> b.assessmentInterval(v.asDuration()),
                "timeout", v -> b.timeout(v.asDuration()),
                "minimum_nodes", v -> b.minimumNodes(v.asInt()),
                "decision_threshold", v -> b.decisionThreshold(v.asShare()),
                "weights", v -> {
                    double[] ws = {d.localWeight(), d.peerWeight(), d.externalWeight(), d.userExperienceWeight()};
                    v.bind(Map.of(
                            "local", x -> ws[0] = x.asShare(),
                            "peer", x -> ws[1] = x.asShare(),
                            "external", x -> ws[2] = x.asShare(),
                            "user_experience", x -> ws[3] = x.asShare()));
                    b.weights(ws[0], ws[1], ws[2], ws[3]);
                }));
        return node.build(b::build);
    }
}
