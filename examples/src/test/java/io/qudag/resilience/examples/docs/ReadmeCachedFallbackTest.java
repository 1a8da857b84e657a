package io.qudag.resilience.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.fallback.CachedResponseFallback;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour the README's first snippet promises: a {@link CachedResponseFallback} answers a
 * failed tool call with the last good answer of the same call, and a plain call (no tool call, so no
 * cache key) is never answered from the cache.
 */
class ReadmeCachedFallbackTest {

    private final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private ResiliencePipeline<String> pipeline() {
        return ResiliencePipeline.<String>builder("search")
                .fallback(CachedResponseFallback.<String>builder().clock(clock).build())
                .build();
    }

    @Test
    void aFailedToolCallIsAnsweredWithTheLastGoodAnswerOfTheSameCall() {
        try (ResiliencePipeline<String> pipeline = pipeline()) {
            ToolCall search = ToolCall.builder("search").arguments(Map.of("q", "mcp")).hints(ToolHints.READ_ONLY).build();
            assertThat(pipeline.executeToolCall(search, c -> "results for " + c.arguments().get("q")))
                    .isEqualTo("results for mcp");

            String answer = pipeline.executeToolCall(search, c -> {
                throw new UncheckedIOException(new java.io.IOException("connection refused"));
            });

            assertThat(answer).isEqualTo("results for mcp");
            ToolCall other = ToolCall.builder("search").arguments(Map.of("q", "other")).build();
            assertThatThrownBy(() -> pipeline.executeToolCall(other, c -> {
                throw new UncheckedIOException(new java.io.IOException("connection refused"));
            })).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aPlainCallIsNeverAnsweredFromTheCache() {
        try (ResiliencePipeline<String> pipeline = pipeline()) {
            assertThat(pipeline.execute(() -> "results for mcp")).isEqualTo("results for mcp");

            assertThatThrownBy(() -> pipeline.execute(() -> {
                throw new UncheckedIOException(new java.io.IOException("connection refused"));
            })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("connection refused");
        }
    }

    @Test
    void theCachedAnswerExpiresAfterItsTimeToLive() {
        Instant[] now = {Instant.parse("2030-01-01T00:00:00Z")};
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        try (ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("search")
                .fallback(CachedResponseFallback.<String>builder().clock(moving).build())
                .build()) {
            ToolCall search = ToolCall.builder("search").arguments(Map.of("q", "mcp")).build();
            pipeline.executeToolCall(search, c -> "fresh");
            now[0] = now[0].plus(CachedResponseFallback.DEFAULT_TTL).plus(Duration.ofMillis(1));

            assertThatThrownBy(() -> pipeline.executeToolCall(search, c -> {
                throw new IllegalStateException("down");
            })).isInstanceOf(IllegalStateException.class).hasMessage("down");
        }
    }
}
