package io.qudag.resilience.health;

import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.IndicatorDirection;
import java.time.Duration;
import java.util.List;

/**
 * The metrics of spec §2.1 {@code monitoring_dimensions} with the spec's collection intervals and
 * thresholds. Utilisations are percentages (0–100), latencies milliseconds, the success rate a
 * fraction (0–1). Disk I/O is split into two metrics, iops and latency, each with the spec's
 * thresholds ("iops &gt; 1000 or latency &gt; 10ms" becomes two alerts that can fire on their own).
 * Use {@link MetricSpec#toBuilder()} to change one.
 */
public final class MetricSpecs {

    /** CPU utilisation, percent (SYSTEM). */
    public static final String CPU_UTILIZATION = "cpu_utilization";
    /** Memory utilisation, percent (SYSTEM). */
    public static final String MEMORY_UTILIZATION = "memory_utilization";
    /** Disk operations per second (SYSTEM). */
    public static final String DISK_IOPS = "disk_iops";
    /** Mean disk operation latency, milliseconds (SYSTEM). */
    public static final String DISK_LATENCY = "disk_latency";
    /** Share of calls that succeed, a fraction (APPLICATION). */
    public static final String REQUEST_SUCCESS_RATE = "request_success_rate";
    /** 95th percentile response time, milliseconds (APPLICATION). */
    public static final String RESPONSE_TIME_P95 = "response_time_p95";
    /** Connections or calls in flight (APPLICATION). */
    public static final String ACTIVE_CONNECTIONS = "active_connections";
    /** DAG operations per second (BUSINESS). */
    public static final String DAG_OPERATIONS_PER_SECOND = "dag_operations_per_second";
    /** User satisfaction score (BUSINESS). */
    public static final String USER_SATISFACTION_SCORE = "user_satisfaction_score";

    private MetricSpecs() {
    }

    /** {@return CPU utilisation in %: every 5 s, 70 / 85 / 95} */
    public static MetricSpec cpuUtilization() {
        return MetricSpec.builder(CPU_UTILIZATION).category(HealthCategory.SYSTEM)
                .collectionInterval(Duration.ofSeconds(5)).thresholds(70, 85, 95).unit("%").build();
    }

    /** {@return heap utilisation in %: every 5 s, 75 / 90 / 95} */
    public static MetricSpec memoryUtilization() {
        return MetricSpec.builder(MEMORY_UTILIZATION).category(HealthCategory.SYSTEM)
                .collectionInterval(Duration.ofSeconds(5)).thresholds(75, 90, 95).unit("%").build();
    }

    /** {@return disk operations per second: every 10 s, 1000 / 5000 / 10000} */
    public static MetricSpec diskIops() {
        return MetricSpec.builder(DISK_IOPS).category(HealthCategory.SYSTEM)
                .collectionInterval(Duration.ofSeconds(10)).thresholds(1000, 5000, 10000).unit("ops/s").build();
    }

    /** {@return mean disk operation latency in ms: every 10 s, 10 / 50 / 100} */
    public static MetricSpec diskLatency() {
        return MetricSpec.builder(DISK_LATENCY).category(HealthCategory.SYSTEM)
                .collectionInterval(Duration.ofSeconds(10)).thresholds(10, 50, 100).unit("ms").build();
    }

    /** {@return request success rate as a fraction: every 1 s, below 0.98 / 0.95 / 0.90} */
    public static MetricSpec requestSuccessRate() {
        return MetricSpec.builder(REQUEST_SUCCESS_RATE).category(HealthCategory.APPLICATION)
                .direction(IndicatorDirection.LOWER_IS_WORSE).ideal(1.0)
                .collectionInterval(Duration.ofSeconds(1)).thresholds(0.98, 0.95, 0.90).unit("ratio").build();
    }

    /** {@return p95 response time in ms: every 1 s, 500 / 1000 / 2000} */
    public static MetricSpec responseTimeP95() {
        return MetricSpec.builder(RESPONSE_TIME_P95).category(HealthCategory.APPLICATION)
                .collectionInterval(Duration.ofSeconds(1)).thresholds(500, 1000, 2000).unit("ms").build();
    }

    /** {@return active connections (calls in flight): every 5 s, 5000 / 8000 / 10000} */
    public static MetricSpec activeConnections() {
        return MetricSpec.builder(ACTIVE_CONNECTIONS).category(HealthCategory.APPLICATION)
                .collectionInterval(Duration.ofSeconds(5)).thresholds(5000, 8000, 10000).unit("connections").build();
    }

    /** {@return DAG operations per second: every 10 s, below 100 / 50 / 10; ideal 200} */
    public static MetricSpec dagOperationsPerSecond() {
        return MetricSpec.builder(DAG_OPERATIONS_PER_SECOND).category(HealthCategory.BUSINESS)
                .direction(IndicatorDirection.LOWER_IS_WORSE).ideal(200)
                .collectionInterval(Duration.ofSeconds(10)).thresholds(100, 50, 10).unit("ops/s").build();
    }

    /** {@return user satisfaction on a 1–5 scale: every 60 s, below 4.0 / 3.5 / 3.0; ideal 5} */
    public static MetricSpec userSatisfactionScore() {
        return MetricSpec.builder(USER_SATISFACTION_SCORE).category(HealthCategory.BUSINESS)
                .direction(IndicatorDirection.LOWER_IS_WORSE).ideal(5.0)
                .collectionInterval(Duration.ofSeconds(60)).thresholds(4.0, 3.5, 3.0).unit("score").build();
    }

    /** {@return all nine metrics above} */
    public static List<MetricSpec> all() {
        return List.of(cpuUtilization(), memoryUtilization(), diskIops(), diskLatency(), requestSuccessRate(),
                responseTimeP95(), activeConnections(), dagOperationsPerSecond(), userSatisfactionScore());
    }
}
