package io.qudag.resilience.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.core.hierarchy.BreakerHierarchyConfig;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Core's configuration blocks load from JSON and YAML into working objects; bad keys and values name their path. */
class ConfigFileTest {

    private static final ConfigBlock<?>[] CORE = {
            CoreConfigBlocks.ADAPTIVE_CIRCUIT_BREAKER, CoreConfigBlocks.BULKHEAD_ISOLATION,
            CoreConfigBlocks.HIERARCHICAL_CIRCUIT_BREAKER};

    @ParameterizedTest
    @ValueSource(strings = {"core.yaml", "core.json"})
    void everyCoreBlockLoadsIntoAWorkingObject(String file) throws URISyntaxException {
        ConfigFile config = ConfigFile.load(resource(file), CORE);

        AdaptiveBreakerConfig breaker = config.get(CoreConfigBlocks.ADAPTIVE_CIRCUIT_BREAKER).orElseThrow();
        assertThat(breaker.baseFailureThreshold()).isEqualTo(0.08);
        assertThat(breaker.slidingWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(breaker.slowCallThreshold()).isEqualTo(Duration.ofMillis(750));
        assertThat(breaker.failureSeverity().min()).isEqualTo(1.5);
        assertThat(breaker.failureSeverity().max()).isEqualTo(3.0);
        assertThat(breaker.minimumNumberOfCalls()).isEqualTo(12);
        // The loaded config drives a real breaker.
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("from-file").config(breaker).build();
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);

        IsolationBulkheadsConfig bulkheads = config.get(CoreConfigBlocks.BULKHEAD_ISOLATION).orElseThrow();
        assertThat(bulkheads.maxConcurrentCalls(IsolationClass.CRITICAL)).isEqualTo(60);
        assertThat(bulkheads.maxWait(IsolationClass.CRITICAL)).isEqualTo(Duration.ofMillis(20));
        assertThat(bulkheads.maxConcurrentCalls(IsolationClass.USER)).isEqualTo(120);
        assertThat(bulkheads.threadPoolQueueCapacity()).isEqualTo(64);

        BreakerHierarchyConfig hierarchy = config.get(CoreConfigBlocks.HIERARCHICAL_CIRCUIT_BREAKER).orElseThrow();
        assertThat(hierarchy.cascadeWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(hierarchy.countingLevels()).isEqualTo(EnumSet.of(BreakerLevel.SERVICE, BreakerLevel.APPLICATION));
        assertThat(hierarchy.levelConfig(BreakerLevel.SERVICE).baseFailureThreshold()).isEqualTo(0.12);
        assertThat(hierarchy.levelConfig(BreakerLevel.GLOBAL).baseFailureThreshold())
                .isEqualTo(AdaptiveBreakerConfig.defaults().baseFailureThreshold());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadKeyOrValueFailsNamingItsPath(String yaml, String path, String message) {
        assertThatThrownBy(() -> ConfigFile.parse(yaml, ConfigFile.Format.YAML, CORE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo(path))
                .hasMessageStartingWith(path + ": ")
                .hasMessageContaining(message);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                bad("adaptive_circuit_breaker: {base_failure_threshold: \"120%\"}",
                        "adaptive_circuit_breaker.base_failure_threshold", "was \"120%\", must be in [0, 100%]"),
                bad("adaptive_circuit_breaker: {base_failure_threshold: \"five\"}",
                        "adaptive_circuit_breaker.base_failure_threshold", "was \"five\", must be a percentage"),
                bad("adaptive_circuit_breaker: {base_failure_threshold: 0}",
                        "adaptive_circuit_breaker.base_failure_threshold", "baseFailureThreshold"),
                bad("adaptive_circuit_breaker: {sliding_window: 600}",
                        "adaptive_circuit_breaker.sliding_window", "was 600, must be a duration"),
                bad("adaptive_circuit_breaker: {sliding_window: \"10 minutes\"}",
                        "adaptive_circuit_breaker.sliding_window", "was \"10 minutes\""),
                bad("adaptive_circuit_breaker: {slide_window: \"10m\"}",
                        "adaptive_circuit_breaker.slide_window", "unknown key, expected one of"),
                bad("adaptive_circuit_breaker: {window_buckets: 2.5}",
                        "adaptive_circuit_breaker.window_buckets", "was 2.5, must be a whole number"),
                bad("adaptive_circuit_breaker: {minimum_number_of_calls: \"ten\"}",
                        "adaptive_circuit_breaker.minimum_number_of_calls", "must be a whole number"),
                bad("adaptive_circuit_breaker: {failure_severity: \"3\"}",
                        "adaptive_circuit_breaker.failure_severity", "must be a range like \"1.5-3.0\""),
                bad("adaptive_circuit_breaker: {failure_severity: \"3.0-1.5\"}",
                        "adaptive_circuit_breaker.failure_severity", "3.0"),
                bad("adaptive_circuit_breaker: {factor_weights: {historical_performance: 0.9}}",
                        "adaptive_circuit_breaker.factor_weights", "sum"),
                bad("adaptive_circuit_breaker: {factor_weights: {moon_phase: 0.1}}",
                        "adaptive_circuit_breaker.factor_weights.moon_phase", "must be one of"),
                bad("adaptive_circuit_breaker: {factor_weights: {current_load: -0.25}}",
                        "adaptive_circuit_breaker.factor_weights", "-0.25"),
                bad("adaptive_circuit_breaker: \"on\"",
                        "adaptive_circuit_breaker", "must be an object of keys"),
                bad("bulkhead_isolation: {critical: {max_concurrent_calls: 0}}",
                        "bulkhead_isolation", "0"),
                bad("bulkhead_isolation: {vip: {max_concurrent_calls: 5}}",
                        "bulkhead_isolation.vip", "unknown key"),
                bad("bulkhead_isolation: {user: {max_wait: \"-1s\"}}",
                        "bulkhead_isolation.user.max_wait", "must be a duration"),
                bad("hierarchical_circuit_breaker: {counting_levels: [service, planet]}",
                        "hierarchical_circuit_breaker.counting_levels[1]", "must be one of"),
                bad("hierarchical_circuit_breaker: {cascade_region_threshold: 1}",
                        "hierarchical_circuit_breaker.cascade_region_threshold", "must be >= 2, was 1"),
                bad("hierarchical_circuit_breaker: {levels: {service: {half_open_share: \"150%\"}}}",
                        "hierarchical_circuit_breaker.levels.service.half_open_share", "must be in [0, 100%]"),
                bad("circuit_breaker: {}", "circuit_breaker", "unknown block"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"adaptive_circuit_breaker: {a: 1, a: 2}", "adaptive_circuit_breaker: [unclosed"})
    void malformedTextFailsWithWhereItIs(String yaml) {
        assertThatThrownBy(() -> ConfigFile.parse(yaml, ConfigFile.Format.YAML, CORE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML at line 1");
    }

    private static Arguments bad(String yaml, String path, String message) {
        return Arguments.of(yaml, path, message);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigFileTest.class.getResource("/config/" + name).toURI());
    }
}
