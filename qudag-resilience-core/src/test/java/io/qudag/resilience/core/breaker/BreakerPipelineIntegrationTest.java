package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.HierarchyRejectedException;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The adaptive breaker and a hierarchy in the pipeline's breaker slot. */
class BreakerPipelineIntegrationTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void adaptiveBreakerTripsInsideThePipelineAndTheFallbackSeesTheRejection() {
        AdaptiveCircuitBreaker breaker = AdaptiveCircuitBreaker.builder("pipe").clock(clock).build();
        List<CallOutcome> fallbackSaw = new ArrayList<>();
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("p").breaker(breaker).clock(clock)
                .fallback((call, outcome, failure) -> {
                    fallbackSaw.add(outcome);
                    return "cached";
                }).build();
        for (int i = 0; i < 20; i++) {
            assertThat(pipeline.execute(() -> {
                throw new IllegalStateException("server broke");
            })).isEqualTo("cached");
        }
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(pipeline.execute(() -> "fresh")).isEqualTo("cached");
        assertThat(fallbackSaw).hasSize(21).endsWith(CallOutcome.REJECTED).startsWith(CallOutcome.SERVER_ERROR);
        clock.advance(breaker.snapshot().lastOpenDuration());
        assertThat(pipeline.execute(() -> "fresh")).isEqualTo("fresh");
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void hierarchyRoutesToolCallsByPathAndNamesTheRejectingLevel() {
        BreakerHierarchy h = BreakerHierarchy.builder().clock(clock)
                .pathResolver(PathResolver.standard(Map.of("eu-1", "eu-west"), null)).build();
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("h").breaker(h).clock(clock).build();
        ToolCall call = ToolCall.builder("web_search").endpointId("eu-1").serviceId("search").build();
        assertThat(pipeline.executeToolCall(call, c -> "ok " + c.toolName())).isEqualTo("ok web_search");
        h.node(h.pathFor(call).path().parent()).transitionToOpen(Duration.ofMinutes(1), "test");
        assertThatThrownBy(() -> pipeline.executeToolCall(call, c -> "never"))
                .isInstanceOfSatisfying(HierarchyRejectedException.class,
                        e -> assertThat(e.level()).isEqualTo(BreakerLevel.SERVICE));
        ToolCall other = ToolCall.builder("web_search").endpointId("eu-1").serviceId("maps").build();
        assertThat(pipeline.executeToolCall(other, c -> "ok")).isEqualTo("ok");
    }
}
