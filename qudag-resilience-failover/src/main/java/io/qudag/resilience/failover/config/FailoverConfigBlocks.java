package io.qudag.resilience.failover.config;

import static java.util.Map.entry;

import io.qudag.resilience.core.config.ConfigBlock;
import io.qudag.resilience.core.config.ConfigException;
import io.qudag.resilience.core.config.ConfigNode;
import io.qudag.resilience.failover.EndpointGroupConfig;
import io.qudag.resilience.failover.FailoverEngineConfig;
import io.qudag.resilience.failover.MaintenanceWindow;
import io.qudag.resilience.failover.OutlierDetectionConfig;
import io.qudag.resilience.failover.RecoveryConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The configuration-file blocks of the failover module (spec §1.1 tiers, §1.2 decision engine and
 * recovery procedures), read by {@link io.qudag.resilience.core.config.ConfigFile}. Keys are the
 * builders' options in snake_case.
 *
 * <pre>{@code
 * failover_decision_engine:
 *   evaluation_interval: "5s"
 *   error_rate_threshold: "10%"
 *   maintenance_windows:
 *     - { endpoint_id: primary, start: "2026-12-24T22:00:00Z", end: "2026-12-24T23:00:00Z" }
 * endpoint_group:
 *   overprovisioning_factor: 1.4
 *   outlier_detection: { consecutive_failures: 5, base_ejection_time: "30s" }
 *   recovery: { health_check_interval: "10s", successes_to_return: 3, ramp_increment: "10%" }
 * }</pre>
 */
public final class FailoverConfigBlocks {

    /** {@code failover_decision_engine}: a {@link FailoverEngineConfig}. */
    public static final ConfigBlock<FailoverEngineConfig> FAILOVER_DECISION_ENGINE =
            ConfigBlock.of("failover_decision_engine", FailoverConfigBlocks::engine);

    /** {@code endpoint_group}: an {@link EndpointGroupConfig} with its outlier detection and recovery. */
    public static final ConfigBlock<EndpointGroupConfig> ENDPOINT_GROUP =
            ConfigBlock.of("endpoint_group", FailoverConfigBlocks::group);

    private FailoverConfigBlocks() {
    }

    private static FailoverEngineConfig engine(ConfigNode node) {
        FailoverEngineConfig.Builder b = FailoverEngineConfig.builder();
        node.bind(Map.ofEntries(
                entry("evaluation_interval", v -> b.evaluationInterval(v.asDuration())),
                entry("unreachable_after_transport_errors", v -> b.unreachableAfterTransportErrors(v.asInt())),
                entry("min_samples", v -> b.minSamples(v.asInt())),
                entry("degradation_threshold", v -> b.degradationThreshold(v.asShare())),
                entry("error_rate_threshold", v -> b.errorRateThreshold(v.asShare())),
                entry("cpu_threshold", v -> b.cpuThreshold(v.asShare())),
                entry("memory_threshold", v -> b.memoryThreshold(v.asShare())),
                entry("disk_io_wait_threshold", v -> b.diskIoWaitThreshold(v.asShare())),
                entry("shift_step", v -> b.shiftStep(v.asShare())),
                entry("shift_interval", v -> b.shiftInterval(v.asDuration())),
                entry("predictive_probability", v -> b.predictiveProbability(v.asShare())),
                entry("predictive_horizon", v -> b.predictiveHorizon(v.asDuration())),
                entry("maintenance_lead", v -> b.maintenanceLead(v.asDuration())),
                entry("capacity_threshold", v -> b.capacityThreshold(v.asShare())),
                entry("auto_rollback", v -> b.autoRollback(v.asBoolean())),
                entry("rollback_window", v -> b.rollbackWindow(v.asDuration())),
                entry("rollback_min_samples", v -> b.rollbackMinSamples(v.asInt())),
                entry("decision_budget", v -> b.decisionBudget(v.asDuration())),
                entry("execution_budget", v -> b.executionBudget(v.asDuration())),
                entry("baseline_alpha", v -> b.baselineAlpha(v.asShare())),
                entry("maintenance_windows", v -> v.elements().forEach(w -> b.maintenanceWindow(window(w))))));
        return node.build(b::build);
    }

    private static MaintenanceWindow window(ConfigNode node) {
        String[] id = new String[1];
        Instant[] start = new Instant[1];
        Instant[] end = new Instant[1];
        node.bind(Map.of(
                "endpoint_id", v -> id[0] = v.asString(),
                "start", v -> start[0] = instant(v),
                "end", v -> end[0] = instant(v)));
        return node.build(() -> new MaintenanceWindow(id[0], start[0], end[0]));
    }

    private static Instant instant(ConfigNode v) {
        try {
            return Instant.parse(v.asString());
        } catch (DateTimeParseException e) {
            throw new ConfigException(v.path(), "was " + v.written() + ", must be an instant like \"2026-12-24T22:00:00Z\"");
        }
    }

    private static EndpointGroupConfig group(ConfigNode node) {
        EndpointGroupConfig.Builder b = EndpointGroupConfig.builder();
        node.bind(Map.of(
                "overprovisioning_factor", v -> b.overprovisioningFactor(v.asDouble()),
                "panic_threshold", v -> b.panicThreshold(v.asShare()),
                "outlier_detection", v -> b.outlierDetection(outliers(v)),
                "recovery", v -> b.recovery(recovery(v))));
        return node.build(b::build);
    }

    private static OutlierDetectionConfig outliers(ConfigNode node) {
        OutlierDetectionConfig.Builder b = OutlierDetectionConfig.builder();
        node.bind(Map.ofEntries(
                entry("consecutive_failures_enabled", v -> b.consecutiveFailuresEnabled(v.asBoolean())),
                entry("consecutive_failures", v -> b.consecutiveFailures(v.asInt())),
                entry("success_rate_enabled", v -> b.successRateEnabled(v.asBoolean())),
                entry("interval", v -> b.interval(v.asDuration())),
                entry("base_ejection_time", v -> b.baseEjectionTime(v.asDuration())),
                entry("max_ejection_time", v -> b.maxEjectionTime(v.asDuration())),
                entry("max_ejection_share", v -> b.maxEjectionShare(v.asShare())),
                entry("success_rate_minimum_hosts", v -> b.successRateMinimumHosts(v.asInt())),
                entry("success_rate_request_volume", v -> b.successRateRequestVolume(v.asInt())),
                entry("success_rate_stdev_factor", v -> b.successRateStdevFactor(v.asDouble()))));
        return node.build(b::build);
    }

    private static RecoveryConfig recovery(ConfigNode node) {
        RecoveryConfig.Builder b = RecoveryConfig.builder();
        node.bind(Map.of(
                "health_check_interval", v -> b.healthCheckInterval(v.asDuration()),
                "successes_to_return", v -> b.successesToReturn(v.asInt()),
                "ramp_increment", v -> b.rampIncrement(v.asShare()),
                "monitoring_period", v -> b.monitoringPeriod(v.asDuration()),
                "relapse_consecutive_failures", v -> b.relapseConsecutiveFailures(v.asInt()),
                "relapse_error_rate", v -> b.relapseErrorRate(v.asShare()),
                "relapse_min_samples", v -> b.relapseMinSamples(v.asInt())));
        return node.build(b::build);
    }
}
