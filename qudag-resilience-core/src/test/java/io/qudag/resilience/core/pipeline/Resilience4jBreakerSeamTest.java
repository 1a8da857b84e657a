package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** A Resilience4j breaker goes straight into the pipeline's breaker slot, without an adapter call. */
class Resilience4jBreakerSeamTest {

    @Test
    void aResilience4jBreakerIsHandedInDirectlyAndOpensOnServerFailures() {
        CircuitBreaker r4j = CircuitBreaker.of("search", CircuitBreakerConfig.custom()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50).build());
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("search").breaker(r4j).build();
        ToolCall call = ToolCall.builder("search").hints(ToolHints.READ_ONLY).build();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> p.executeToolCall(call, c -> {
                throw new UncheckedIOException(new IOException("connection refused"));
            })).isInstanceOf(UncheckedIOException.class);
        }
        assertThat(r4j.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> ResiliencePipeline.<String>builder("x").breaker((CircuitBreaker) null))
                .hasMessage("circuitBreaker must not be null, was null");
    }
}
