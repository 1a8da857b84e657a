package io.qudag.resilience.core.health;

import java.time.Duration;

/**
 * The health indicators of spec §1.2 as presets. Fractions are 0..1 everywhere (the spec's "5%" is
 * 0.05); response time is in milliseconds. Each method returns a new immutable indicator; adjust it with
 * {@link HealthIndicator#toBuilder()}.
 */
public final class HealthIndicators {

    private HealthIndicators() {
    }

    /** {@return primary: {@code response_time}, p95 over 30 s in ms, threshold 500 ms, weight 0.3, APPLICATION} */
    public static HealthIndicator responseTime() {
        return HealthIndicator.builder("response_time").threshold(500).weight(0.3)
                .evaluationWindow(Duration.ofSeconds(30)).statistic(IndicatorStatistic.P95)
                .category(HealthCategory.APPLICATION).direction(IndicatorDirection.HIGHER_IS_WORSE).build();
    }

    /** {@return primary: {@code error_rate}, mean of 0/1 samples over 60 s, threshold 0.05, weight 0.4, APPLICATION} */
    public static HealthIndicator errorRate() {
        return HealthIndicator.builder("error_rate").threshold(0.05).weight(0.4).fraction(true)
                .evaluationWindow(Duration.ofSeconds(60)).statistic(IndicatorStatistic.MEAN)
                .category(HealthCategory.APPLICATION).direction(IndicatorDirection.HIGHER_IS_WORSE).build();
    }

    /**
     * {@return primary: {@code connection_success_rate}, mean of 0/1 samples over 120 s, threshold 0.95 (lower is
     * worse, ideal 1.0), weight 0.3, APPLICATION}
     */
    public static HealthIndicator connectionSuccessRate() {
        return HealthIndicator.builder("connection_success_rate").threshold(0.95).ideal(1.0).weight(0.3)
                .fraction(true).evaluationWindow(Duration.ofSeconds(120)).statistic(IndicatorStatistic.MEAN)
                .category(HealthCategory.APPLICATION).direction(IndicatorDirection.LOWER_IS_WORSE).build();
    }

    /** {@return secondary: {@code cpu_utilization}, mean over 300 s, threshold 0.90, weight 0.2, SYSTEM} */
    public static HealthIndicator cpuUtilization() {
        return system("cpu_utilization", 0.90, 0.2);
    }

    /** {@return secondary: {@code memory_utilization}, mean over 300 s, threshold 0.85, weight 0.15, SYSTEM} */
    public static HealthIndicator memoryUtilization() {
        return system("memory_utilization", 0.85, 0.15);
    }

    /** {@return secondary: {@code disk_io_wait}, mean over 300 s, threshold 0.50, weight 0.1, SYSTEM} */
    public static HealthIndicator diskIoWait() {
        return system("disk_io_wait", 0.50, 0.1);
    }

    /** {@return the three primary indicators; APPLICATION is the only category, so its weight is 1} */
    public static HealthModel primary() {
        return HealthModel.builder().indicator(responseTime()).indicator(errorRate())
                .indicator(connectionSuccessRate()).categoryWeight(HealthCategory.APPLICATION, 1.0).build();
    }

    /**
     * {@return all six indicators with {@code normalizeWeights(true)}: the secondary weights (sum 0.45) become
     * 0.2/0.45, 0.15/0.45, 0.1/0.45 within SYSTEM, and the category weights SYSTEM 0.3 and APPLICATION
     * 0.4 become 0.3/0.7 and 0.4/0.7}
     */
    public static HealthModel primaryAndSecondary() {
        return HealthModel.builder().indicator(responseTime()).indicator(errorRate())
                .indicator(connectionSuccessRate()).indicator(cpuUtilization()).indicator(memoryUtilization())
                .indicator(diskIoWait()).normalizeWeights(true).build();
    }

    private static HealthIndicator system(String metric, double threshold, double weight) {
        return HealthIndicator.builder(metric).threshold(threshold).weight(weight).fraction(true)
                .evaluationWindow(Duration.ofSeconds(300)).statistic(IndicatorStatistic.MEAN)
                .category(HealthCategory.SYSTEM).direction(IndicatorDirection.HIGHER_IS_WORSE).build();
    }
}
