package io.qudag.resilience.core.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FallbacksTest {

    private static final ToolCall SEARCH_A = ToolCall.of("search", Map.of("q", "a"), ToolHints.READ_ONLY);
    private static final ToolCall SEARCH_B = ToolCall.of("search", Map.of("q", "b"), ToolHints.READ_ONLY);
    private static final IOException DOWN = new IOException("down");

    @Test
    void cachedResponseIsServedUntilTtlThenExpires() throws Throwable {
        MutableClock clock = MutableClock.atEpoch();
        CachedResponseFallback<String> cache = CachedResponseFallback.<String>builder().clock(clock).build();
        assertThat(cache.ttl()).isEqualTo(Duration.ofMinutes(5));

        cache.onSuccess(SEARCH_A, "result-a");
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(cache.apply(SEARCH_A, CallOutcome.TRANSPORT_ERROR, DOWN)).isEqualTo("result-a");

        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> cache.apply(SEARCH_A, CallOutcome.TRANSPORT_ERROR, DOWN)).isSameAs(DOWN);
        assertThat(cache.size()).as("expired entry dropped on lookup").isZero();
    }

    @Test
    void cacheIsKeyedByToolAndArgumentsNotEndpoint() throws Throwable {
        CachedResponseFallback<String> cache = CachedResponseFallback.ofDefaults();
        cache.onSuccess(SEARCH_A.withEndpoint("primary"), "result-a");
        assertThat(cache.apply(SEARCH_A.withEndpoint("replica"), CallOutcome.TIMEOUT, DOWN)).isEqualTo("result-a");
        assertThatThrownBy(() -> cache.apply(SEARCH_B, CallOutcome.TIMEOUT, DOWN)).isSameAs(DOWN);
    }

    @Test
    void cacheSizeIsBoundedLeastRecentlyUsedFirst() throws Throwable {
        CachedResponseFallback<String> cache = CachedResponseFallback.<String>builder().maxEntries(2).build();
        ToolCall c = ToolCall.of("search", Map.of("q", "c"), ToolHints.READ_ONLY);
        cache.onSuccess(SEARCH_A, "a");
        cache.onSuccess(SEARCH_B, "b");
        cache.apply(SEARCH_A, CallOutcome.TIMEOUT, DOWN); // touch a
        cache.onSuccess(c, "c");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.apply(SEARCH_A, CallOutcome.TIMEOUT, DOWN)).isEqualTo("a");
        assertThatThrownBy(() -> cache.apply(SEARCH_B, CallOutcome.TIMEOUT, DOWN)).isSameAs(DOWN);
    }

    @Test
    void cacheBuilderRejectsBadValues() {
        assertThatThrownBy(() -> CachedResponseFallback.builder().ttl(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> CachedResponseFallback.builder().ttl(Duration.ofNanos(500_000)).build())
                .hasMessage("ttl must be at least 1 ms, was PT0.0005S");
        assertThatThrownBy(() -> CachedResponseFallback.builder().ttl(Duration.ofDays(40_000)).build())
                .hasMessage("ttl must be at most PT876000H (100 years), was PT960000H");
        assertThatThrownBy(() -> CachedResponseFallback.builder().maxEntries(0).build())
                .hasMessage("maxEntries must be >= 1, was 0");
    }

    @Test
    void alternativeServicesAreTriedRoundRobin() throws Throwable {
        List<String> calls = new ArrayList<>();
        Function<ToolCall, String> alt1 = call -> {
            calls.add("alt1");
            return "from-alt1";
        };
        Function<ToolCall, String> alt2 = call -> {
            calls.add("alt2");
            return "from-alt2";
        };
        AlternativeServiceFallback<String> f = AlternativeServiceFallback.of(List.of(alt1, alt2));
        assertThat(f.apply(SEARCH_A, CallOutcome.SERVER_ERROR, DOWN)).isEqualTo("from-alt1");
        assertThat(f.apply(SEARCH_A, CallOutcome.SERVER_ERROR, DOWN)).isEqualTo("from-alt2");
        assertThat(f.apply(SEARCH_A, CallOutcome.SERVER_ERROR, DOWN)).isEqualTo("from-alt1");
        assertThat(calls).containsExactly("alt1", "alt2", "alt1");
    }

    @Test
    void alternativeServiceSkipsAFailingOneAndDeclinesWhenAllFail() throws Throwable {
        Function<ToolCall, String> broken = call -> {
            throw new IllegalStateException("alt down");
        };
        Function<ToolCall, String> good = call -> "ok";
        assertThat(AlternativeServiceFallback.of(List.of(broken, good)).apply(SEARCH_A, CallOutcome.TIMEOUT,
                new IOException("x"))).isEqualTo("ok");
        IOException original = new IOException("primary down");
        assertThatThrownBy(() -> AlternativeServiceFallback.of(List.of(broken, broken))
                .apply(SEARCH_A, CallOutcome.TIMEOUT, original))
                .isSameAs(original)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void alternativeServiceNeverRepeatsADestructiveCallThatMayHaveRun() {
        ToolCall delete = ToolCall.of("delete", Map.of("id", 7), ToolHints.UNTRUSTED);
        List<String> calls = new ArrayList<>();
        AlternativeServiceFallback<String> f = AlternativeServiceFallback.of(List.of(call -> {
            calls.add("alt");
            return "x";
        }));
        assertThatThrownBy(() -> f.apply(delete, CallOutcome.TIMEOUT, DOWN)).isSameAs(DOWN);
        assertThat(calls).isEmpty();
    }

    @Test
    void alternativeServiceMayTakeADestructiveCallThatWasRejectedBeforeRunning() throws Throwable {
        ToolCall delete = ToolCall.of("delete", Map.of("id", 7), ToolHints.UNTRUSTED);
        AlternativeServiceFallback<String> f = AlternativeServiceFallback.of(List.of(call -> "elsewhere"));
        assertThat(f.apply(delete, CallOutcome.REJECTED, DOWN)).isEqualTo("elsewhere");
    }

    @Test
    void staticAndDegradedAndChain() throws Throwable {
        Fallback<String> declines = (call, outcome, failure) -> {
            throw failure;
        };
        Fallback<String> degraded = DegradedResponseFallback.of(
                (call, outcome, failure) -> "degraded:" + call.toolName() + ":" + outcome);
        assertThat(Fallback.chain(declines, degraded, StaticResponseFallback.of("static"))
                .apply(SEARCH_A, CallOutcome.TIMEOUT, DOWN)).isEqualTo("degraded:search:TIMEOUT");
        assertThat(Fallback.chain(declines, StaticResponseFallback.of("static"))
                .apply(SEARCH_A, CallOutcome.TIMEOUT, DOWN)).isEqualTo("static");
        assertThatThrownBy(() -> StaticResponseFallback.of(null)).hasMessage("response must not be null");
        assertThatThrownBy(() -> AlternativeServiceFallback.of(List.of()))
                .hasMessage("alternatives must not be empty, was []");
    }

    @Test
    void plainCallsHaveNoKeySoTheyAreNeitherStoredNorAnswered() {
        CachedResponseFallback<String> cache = CachedResponseFallback.ofDefaults();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").fallback(cache).build();
        assertThat(p.execute(() -> "balance of alice: 100")).isEqualTo("balance of alice: 100");
        IllegalStateException bob = new IllegalStateException("bob's account service is down");
        assertThatThrownBy(() -> p.execute(() -> {
            throw bob;
        })).as("never another call's answer").isSameAs(bob);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryStoredInTheFutureOfASteppedBackClockCountsAsExpired() throws Throwable {
        MutableClock clock = MutableClock.atEpoch();
        clock.advance(Duration.ofHours(2));
        CachedResponseFallback<String> cache = CachedResponseFallback.<String>builder().clock(clock).build();
        cache.onSuccess(SEARCH_A, "old");
        clock.advance(Duration.ofHours(-1));
        clock.advance(Duration.ofMinutes(50)); // 10 min before it was stored
        assertThatThrownBy(() -> cache.apply(SEARCH_A, CallOutcome.TIMEOUT, DOWN)).isSameAs(DOWN);
    }

    @Test
    void whenARejectedCallFailsOnEveryAlternativeTheAlternativesErrorsAreNotLost() {
        IllegalStateException first = new IllegalStateException("alt 1 down");
        IllegalStateException second = new IllegalStateException("alt 2 down");
        AlternativeServiceFallback<String> f = AlternativeServiceFallback.of(List.of(c -> {
            throw first;
        }, c -> {
            throw second;
        }));
        RejectedCallException open = new RejectedCallException("breaker", "breaker is open");
        assertThatThrownBy(() -> f.apply(SEARCH_A, CallOutcome.REJECTED, open)).isSameAs(second)
                .satisfies(t -> assertThat(t.getSuppressed()).containsExactly(first, open));
    }
}
