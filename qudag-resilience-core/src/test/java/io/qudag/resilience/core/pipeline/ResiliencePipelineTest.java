package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.bulkhead.BulkheadRejectedException;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.fallback.StaticResponseFallback;
import io.qudag.resilience.core.spi.Breaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ResiliencePipelineTest {

    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder().maxAttempts(3)
            .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2)).build();
    private static final ToolCall READ = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);
    private static final ToolCall DELETE = ToolCall.of("delete_file", Map.of("path", "/a"), ToolHints.UNTRUSTED);
    private static final ToolCall IDEMPOTENT_WRITE = ToolCall.of("put", Map.of(), ToolHints.IDEMPOTENT);

    private static Function<ToolCall, String> failing(AtomicInteger invocations) {
        return call -> {
            invocations.incrementAndGet();
            throw new UncheckedIOException(new IOException("connection reset"));
        };
    }

    @Test
    void destructiveNonIdempotentToolRunsExactlyOnceUnderRetry() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").retry(FAST_RETRY).build();
        AtomicInteger invocations = new AtomicInteger();
        assertThatThrownBy(() -> p.executeToolCall(DELETE, failing(invocations)))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(invocations).hasValue(1);
    }

    @Test
    void readOnlyToolIsRetriedUpToTheConfiguredAttempts() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").retry(FAST_RETRY).build();
        AtomicInteger invocations = new AtomicInteger();
        assertThatThrownBy(() -> p.executeToolCall(READ, failing(invocations)))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(invocations).hasValue(3);

        AtomicInteger idempotent = new AtomicInteger();
        assertThatThrownBy(() -> p.executeToolCall(IDEMPOTENT_WRITE, failing(idempotent)));
        assertThat(idempotent).hasValue(3);
    }

    @Test
    void retryStopsAtFirstSuccessAndSkipsNonRetryableOutcomes() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").retry(FAST_RETRY).build();
        AtomicInteger n = new AtomicInteger();
        String result = p.executeToolCall(READ, call -> {
            if (n.incrementAndGet() < 2) {
                throw new UncheckedIOException(new IOException("reset"));
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(n).hasValue(2);

        AtomicInteger clientErrors = new AtomicInteger();
        assertThatThrownBy(() -> p.executeToolCall(READ, call -> {
            clientErrors.incrementAndGet();
            throw new IllegalArgumentException("unknown tool");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(clientErrors).as("CLIENT_ERROR is not retryable").hasValue(1);
    }

    @Test
    void breakerSeesOneOutcomePerCallAfterRetries() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .breaker(breaker).retry(FAST_RETRY).build();
        AtomicInteger invocations = new AtomicInteger();
        assertThatThrownBy(() -> p.executeToolCall(READ, failing(invocations)));
        assertThat(invocations).hasValue(3);
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:TRANSPORT_ERROR");
    }

    @Test
    void fallbackIsOutsideTheBreakerAndAnswersRejections() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        breaker.refuse = true;
        AtomicInteger invocations = new AtomicInteger();
        List<CallOutcome> seen = new CopyOnWriteArrayList<>();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .breaker(breaker)
                .fallback((call, outcome, failure) -> {
                    seen.add(outcome);
                    return "fallback";
                })
                .build();
        assertThat(p.executeToolCall(READ, call -> {
            invocations.incrementAndGet();
            return "real";
        })).isEqualTo("fallback");
        assertThat(invocations).hasValue(0);
        assertThat(seen).containsExactly(CallOutcome.REJECTED);
    }

    @Test
    void breakersAreAcquiredInOrderAndAFullBulkheadReleasesThemWithoutAnOutcome() {
        List<String> journal = new CopyOnWriteArrayList<>();
        RecordingBreaker outer = new RecordingBreaker("outer", journal);
        RecordingBreaker inner = new RecordingBreaker("inner", journal);
        Bulkhead bulkhead = Bulkhead.of("one", BulkheadConfig.custom().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ZERO).build());
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .breaker(outer).breaker(inner).bulkhead(bulkhead).build();

        assertThat(bulkhead.tryAcquirePermission()).isTrue(); // someone else holds the only permit
        assertThatThrownBy(() -> p.execute(() -> "x")).isInstanceOf(BulkheadRejectedException.class);
        assertThat(journal).containsExactly("outer:acquire", "inner:acquire", "outer:release", "inner:release");

        bulkhead.onComplete();
        journal.clear();
        assertThat(p.execute(() -> "x")).isEqualTo("x");
        assertThat(journal).containsExactly("outer:acquire", "inner:acquire", "outer:SUCCESS", "inner:SUCCESS");
    }

    @Test
    void aRefusingInnerBreakerReleasesTheOuterOne() {
        List<String> journal = new CopyOnWriteArrayList<>();
        RecordingBreaker outer = new RecordingBreaker("outer", journal);
        RecordingBreaker inner = new RecordingBreaker("inner", journal);
        inner.refuse = true;
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(outer).breaker(inner).build();
        assertThatThrownBy(() -> p.execute(() -> "x")).isInstanceOf(RejectedCallException.class)
                .extracting(e -> ((RejectedCallException) e).rejectedBy()).isEqualTo("inner");
        assertThat(journal).containsExactly("outer:acquire", "inner:refuse", "outer:release");
    }

    @Test
    void timeLimitEnclosesTheRetriesAndBreakerRecordsOneTimeout() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .breaker(breaker).timeLimit(Duration.ofMillis(150))
                .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(1)).build())
                .build();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> p.executeToolCall(READ, call -> {
            if (attempts.incrementAndGet() == 1) {
                throw new UncheckedIOException(new IOException("reset"));
            }
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        })).isInstanceOf(CallTimeoutException.class);
        assertThat(attempts).as("second attempt was cut by the one deadline").hasValue(2);
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:TIMEOUT");
    }

    @Test
    void checkedExceptionsReachTheCallerUnchanged() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").build();
        IOException boom = new IOException("boom");
        assertThatThrownBy(() -> p.executeCallable(() -> {
            throw boom;
        })).isSameAs(boom);
        assertThatThrownBy(() -> p.decorateCallable(() -> {
            throw boom;
        }).call()).isSameAs(boom);
    }

    @Test
    void resilience4jBreakerCountsServerErrorsButNotToolErrors() {
        CircuitBreaker cb = CircuitBreaker.of("r4j", CircuitBreakerConfig.custom()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50).build());
        // results that say "tool error" classify as TOOL_ERROR, which is not a server failure by default
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .breaker(Breakers.of(cb))
                .outcomeClassifier((result, error) -> error != null ? CallOutcome.SERVER_ERROR
                        : "isError".equals(result) ? CallOutcome.TOOL_ERROR : CallOutcome.SUCCESS)
                .build();
        for (int i = 0; i < 8; i++) {
            assertThat(p.execute(() -> "isError")).isEqualTo("isError");
        }
        assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> p.execute(() -> {
                throw new IllegalStateException("-32603");
            }));
        }
        assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> p.execute(() -> "x")).isInstanceOf(Breakers.CircuitOpenException.class)
                .hasMessageContaining("'r4j' is OPEN");
    }

    @Test
    void metersCountOutcomesRetriesAndFallbacks() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("search").meterRegistry(registry)
                .retry(FAST_RETRY).fallback(StaticResponseFallback.of("cached")).build();
        p.executeToolCall(READ, call -> "ok");
        assertThat(p.executeToolCall(READ, failing(new AtomicInteger()))).isEqualTo("cached");
        assertThat(registry.get("qudag.resilience.pipeline.calls").tag("pipeline", "search")
                .tag("outcome", "SUCCESS").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("qudag.resilience.pipeline.calls").tag("outcome", "TRANSPORT_ERROR")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("qudag.resilience.pipeline.retries").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("qudag.resilience.pipeline.fallbacks").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("qudag.resilience.pipeline.duration").timer().count()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ async

    @Test
    void asyncReadOnlyCallIsRetriedAndDestructiveOneIsNot() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").retry(FAST_RETRY).build();
        AtomicInteger reads = new AtomicInteger();
        CompletionStage<String> read = p.executeToolCallAsync(READ, call -> {
            int n = reads.incrementAndGet();
            return n < 3 ? CompletableFuture.failedFuture(new IOException("reset"))
                    : CompletableFuture.completedFuture("third time");
        });
        assertThat(read.toCompletableFuture().join()).isEqualTo("third time");
        assertThat(reads).hasValue(3);

        AtomicInteger deletes = new AtomicInteger();
        CompletableFuture<String> delete = p.executeToolCallAsync(DELETE, call -> {
            deletes.incrementAndGet();
            return CompletableFuture.<String>failedFuture(new IOException("reset"));
        }).toCompletableFuture();
        await().atMost(5, TimeUnit.SECONDS).until(delete::isDone);
        assertThat(delete).isCompletedExceptionally();
        assertThat(deletes).hasValue(1);
    }

    @Test
    void asyncTimeLimitCancelsTheStageAndFallbackAnswers() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .timeLimit(Duration.ofMillis(50)).fallback(StaticResponseFallback.of("degraded")).build();
        CompletableFuture<String> hanging = new CompletableFuture<>();
        CompletableFuture<String> result = p.executeToolCallAsync(READ, call -> hanging).toCompletableFuture();
        await().atMost(5, TimeUnit.SECONDS).until(result::isDone);
        assertThat(result.join()).isEqualTo("degraded");
        assertThat(hanging).isCancelled();
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:TIMEOUT");
    }

    @Test
    void asyncFailuresWithoutFallbackArriveUnwrapped() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").build();
        IOException boom = new IOException("boom");
        CompletableFuture<String> f = p.executeAsync(() -> CompletableFuture.failedFuture(boom)).toCompletableFuture();
        assertThatThrownBy(f::join).cause().isSameAs(boom);
        CompletableFuture<String> thrownSync = p.<String>executeAsync(() -> {
            throw new IllegalStateException("sync throw");
        }).toCompletableFuture();
        assertThatThrownBy(thrownSync::join).hasCauseInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void badConfigurationFailsInBuildNamingFieldAndValue() {
        assertThatThrownBy(() -> ResiliencePipeline.builder("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was \"\"");
        assertThatThrownBy(() -> ResiliencePipeline.builder("p").timeLimit(Duration.ofSeconds(-1)).build())
                .hasMessage("timeLimit must be positive, was PT-1S");
        assertThatThrownBy(() -> ResiliencePipeline.builder("p").breaker(new RecordingBreaker("x"))
                .breaker(new RecordingBreaker("x")).build())
                .hasMessage("breakers[1] repeats the name x");
        assertThatThrownBy(() -> ResiliencePipeline.builder("p").outcomeClassifier(null).build())
                .hasMessage("outcomeClassifier must not be null");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
                .hasMessage("maxAttempts must be >= 1, was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(Double.NaN).build())
                .hasMessage("jitter must be in [0, 1), was NaN");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build())
                .hasMessage("multiplier must be >= 1, was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO).build())
                .hasMessage("initialBackoff must be positive, was PT0S");
        assertThatThrownBy(() -> RetryPolicy.builder().maxBackoff(Duration.ofMillis(10)).build())
                .hasMessage("maxBackoff must be >= initialBackoff (PT0.1S), was PT0.01S");
    }

    @Test
    void breakersGetTheSystemNanoTimeEndReadingOfTheCallAndNoOtherKind() {
        RecordingBreaker seen = new RecordingBreaker("seen");
        ResiliencePipeline<String> system = ResiliencePipeline.<String>builder("system").breaker(seen).build();
        long before = System.nanoTime();
        system.execute(() -> "ok");
        long after = System.nanoTime();
        assertThat(seen.lastEndNanoTime).isBetween(before, after);
        assertThat(seen.lastEndNanoTime - seen.lastDurationNanos).as("start of the call").isBetween(before, after);

        AtomicLong ticks = new AtomicLong(5_000);
        ResiliencePipeline<String> custom = ResiliencePipeline.<String>builder("custom").breaker(seen)
                .nanoTime(() -> ticks.getAndAdd(7)).build();
        custom.execute(() -> "ok");
        assertThat(seen.lastEndNanoTime).isEqualTo(Breaker.NO_END_TIME);
        assertThat(seen.lastDurationNanos).isEqualTo(7);
    }

    @Test
    void durationsBeyondAHundredYearsFailInBuildNamingTheField() {
        assertThatThrownBy(() -> ResiliencePipeline.<String>builder("p").timeLimit(Duration.ofSeconds(Long.MAX_VALUE))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timeLimit must be at most");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofDays(40_000))
                .maxBackoff(Duration.ofDays(40_000)).build()).hasMessageStartingWith("maxBackoff must be at most");
        assertThatThrownBy(() -> IsolationBulkheadsConfig.builder().maxWait(IsolationClass.USER,
                Duration.ofSeconds(Long.MAX_VALUE)).build()).hasMessageStartingWith("maxWait.USER must be at most");
        assertThatThrownBy(() -> IsolationBulkheadsConfig.builder().maxConcurrentCalls(null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("isolationClass must not be null, was null");
    }
}
