package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The former {@code RetryConfig} still builds a pipeline that retries as {@link RetryPolicy} does. */
@SuppressWarnings("removal")
class RetryConfigCompatibilityTest {

    @Test
    void theDeprecatedNameStillConfiguresRetries() {
        RetryConfig old = RetryConfig.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(2)).build();
        assertThat(old.toPolicy().maxAttempts()).isEqualTo(3);
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("compat").retry(old).build();
        AtomicInteger attempts = new AtomicInteger();
        ToolCall read = ToolCall.builder("search").hints(ToolHints.READ_ONLY).build();
        String answer = p.executeToolCall(read, c -> {
            if (attempts.incrementAndGet() < 3) {
                throw new java.io.UncheckedIOException(new java.io.IOException("connection reset"));
            }
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void theDeprecatedBuilderValidatesLikeTheNewOne() {
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
    }
}
