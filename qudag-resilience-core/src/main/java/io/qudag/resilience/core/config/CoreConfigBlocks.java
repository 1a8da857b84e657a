package io.qudag.resilience.core.config;

import static java.util.Map.entry;

import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveFactor;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.core.hierarchy.BreakerHierarchyConfig;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The configuration-file blocks of core (spec §1.3 bulkheads, §3.1 adaptive breaker, §3.2 breaker
 * hierarchy). Keys are the builders' options in snake_case; {@code docs/configuration.md} lists each
 * with its default.
 *
 * <pre>{@code
 * adaptive_circuit_breaker:
 *   base_failure_threshold: "5%"
 *   sliding_window: "10m"
 *   failure_severity: "1.5-3.0"
 *   factor_weights: { historical_performance: 0.3, current_load: 0.25, time_of_day: 0.15,
 *                     resource_availability: 0.2, network_conditions: 0.1 }
 * bulkhead_isolation:
 *   critical: { max_concurrent_calls: 50, max_wait: "0s" }
 * hierarchical_circuit_breaker:
 *   cascade_window: "60s"
 *   levels: { service: { base_failure_threshold: "10%" } }
 * }</pre>
 */
public final class CoreConfigBlocks {

    /** {@code adaptive_circuit_breaker}: an {@link AdaptiveBreakerConfig}. */
    public static final ConfigBlock<AdaptiveBreakerConfig> ADAPTIVE_CIRCUIT_BREAKER =
            ConfigBlock.of("adaptive_circuit_breaker", CoreConfigBlocks::adaptiveBreaker);

    /** {@code bulkhead_isolation}: an {@link IsolationBulkheadsConfig}, one object per isolation class. */
    public static final ConfigBlock<IsolationBulkheadsConfig> BULKHEAD_ISOLATION =
            ConfigBlock.of("bulkhead_isolation", CoreConfigBlocks::bulkheads);

    /** {@code hierarchical_circuit_breaker}: a {@link BreakerHierarchyConfig}, with per-level breaker blocks. */
    public static final ConfigBlock<BreakerHierarchyConfig> HIERARCHICAL_CIRCUIT_BREAKER =
            ConfigBlock.of("hierarchical_circuit_breaker", CoreConfigBlocks::hierarchy);

    private CoreConfigBlocks() {
    }

    /**
     * Binds an adaptive-breaker object (also used for the hierarchy's per-level blocks).
     *
     * @param node the block's node
     * @return the configuration
     * @throws ConfigException naming the path of a bad key or value
     */
    public static AdaptiveBreakerConfig adaptiveBreaker(ConfigNode node) {
        AdaptiveBreakerConfig.Builder b = AdaptiveBreakerConfig.builder();
        node.bind(Map.ofEntries(
                entry("base_failure_threshold", v -> b.baseFailureThreshold(v.asShare())),
                entry("min_failure_threshold", v -> b.minFailureThreshold(v.asShare())),
                entry("max_failure_threshold", v -> b.maxFailureThreshold(v.asShare())),
                entry("threshold_multiplier_min", v -> b.thresholdMultiplierMin(v.asDouble())),
                entry("threshold_multiplier_max", v -> b.thresholdMultiplierMax(v.asDouble())),
                entry("factor_weights", v -> {
                    Map<AdaptiveFactor, Double> weights = new HashMap<>();
                    for (ConfigNode w : v.children()) {
                        weights.put(ConfigNode.of(w.path(), w.key()).asEnum(AdaptiveFactor.class), w.asDouble());
                    }
                    v.apply(() -> b.factorWeights(weights));
                }),
                entry("adaptation_interval", v -> b.adaptationInterval(v.asDuration())),
                entry("sliding_window", v -> b.slidingWindow(v.asDuration())),
                entry("window_buckets", v -> b.windowBuckets(v.asInt())),
                entry("minimum_number_of_calls", v -> b.minimumNumberOfCalls(v.asInt())),
                entry("slow_call_threshold", v -> b.slowCallThreshold(v.asDuration())),
                entry("slow_call_rate_threshold", v -> b.slowCallRateThreshold(v.asShare())),
                entry("base_open_duration", v -> b.baseOpenDuration(v.asDuration())),
                entry("max_open_duration", v -> b.maxOpenDuration(v.asDuration())),
                entry("backoff_multiplier", v -> b.backoffMultiplier(v.asDouble())),
                entry("failure_severity", range(v -> { double[] r = v.asRange(); b.failureSeverity(r[0], r[1]); })),
                entry("recovery_history", range(v -> { double[] r = v.asRange(); b.recoveryHistory(r[0], r[1]); })),
                entry("system_load", range(v -> { double[] r = v.asRange(); b.systemLoad(r[0], r[1]); })),
                entry("time_since_last_failure", range(v -> { double[] r = v.asRange(); b.timeSinceLastFailure(r[0], r[1]); })),
                entry("quiet_period", v -> b.quietPeriod(v.asDuration())),
                entry("half_open_share", v -> b.halfOpenShare(v.asShare())),
                entry("half_open_success_threshold", v -> b.halfOpenSuccessThreshold(v.asInt())),
                entry("half_open_max_concurrent_calls", v -> b.halfOpenMaxConcurrentCalls(v.asInt())),
                entry("half_open_monitoring_period", v -> b.halfOpenMonitoringPeriod(v.asDuration())),
                entry("recovery_period", v -> b.recoveryPeriod(v.asDuration())),
                entry("recovery_increment", v -> b.recoveryIncrement(v.asShare())),
                entry("recovery_minimum_calls", v -> b.recoveryMinimumCalls(v.asInt()))));
        return node.build(b::build);
    }

    private static Consumer<ConfigNode> range(Consumer<ConfigNode> setter) {
        return v -> v.apply(() -> setter.accept(v));
    }

    private static IsolationBulkheadsConfig bulkheads(ConfigNode node) {
        IsolationBulkheadsConfig.Builder b = IsolationBulkheadsConfig.builder();
        Map<String, Consumer<ConfigNode>> keys = new HashMap<>();
        keys.put("thread_pool_queue_capacity", v -> b.threadPoolQueueCapacity(v.asInt()));
        for (IsolationClass c : IsolationClass.values()) {
            keys.put(c.name().toLowerCase(java.util.Locale.ROOT), v -> v.bind(Map.of(
                    "max_concurrent_calls", n -> b.maxConcurrentCalls(c, n.asInt()),
                    "max_wait", n -> b.maxWait(c, n.asDuration()))));
        }
        node.bind(keys);
        return node.build(b::build);
    }

    private static BreakerHierarchyConfig hierarchy(ConfigNode node) {
        BreakerHierarchyConfig.Builder b = BreakerHierarchyConfig.builder();
        node.bind(Map.ofEntries(
                entry("regional_service_threshold", v -> b.regionalServiceThreshold(v.asInt())),
                entry("regional_escalation_open_duration", v -> b.regionalEscalationOpenDuration(v.asDuration())),
                entry("regional_sustained_open", v -> b.regionalSustainedOpen(v.asDuration())),
                entry("global_open_duration", v -> b.globalOpenDuration(v.asDuration())),
                entry("cascade_window", v -> b.cascadeWindow(v.asDuration())),
                entry("cascade_region_threshold", v -> b.cascadeRegionThreshold(v.asInt())),
                entry("cascade_breaker_threshold", v -> b.cascadeBreakerThreshold(v.asInt())),
                entry("emergency_open_duration", v -> b.emergencyOpenDuration(v.asDuration())),
                entry("recovery_stage_interval", v -> b.recoveryStageInterval(v.asDuration())),
                entry("max_children_per_node", v -> b.maxChildrenPerNode(v.asInt())),
                entry("counting_levels", v -> {
                    Set<BreakerLevel> levels = EnumSet.noneOf(BreakerLevel.class);
                    v.elements().forEach(e -> levels.add(e.asEnum(BreakerLevel.class)));
                    b.countingLevels(levels);
                }),
                entry("levels", v -> {
                    for (ConfigNode level : v.children()) {
                        BreakerLevel l = ConfigNode.of(level.path(), level.key()).asEnum(BreakerLevel.class);
                        b.levelConfig(l, adaptiveBreaker(level));
                    }
                })));
        return node.build(b::build);
    }
}
