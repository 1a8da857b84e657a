package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.bulkhead.BulkheadRejectedException;
import io.qudag.resilience.core.fallback.CachedResponseFallback;
import io.qudag.resilience.core.spi.Breaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Permits, completion and threads on the pipeline's unhappy paths. */
class PipelineRobustnessTest {

    private static final ToolCall READ = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);

    @Test
    void aCallCutByTheTimeLimitKeepsItsBulkheadPermitUntilItsWorkEnds() {
        Bulkhead one = Bulkhead.of("one", BulkheadConfig.custom().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").bulkhead(one)
                .timeLimit(Duration.ofMillis(50)).build()) {
            CountDownLatch release = new CountDownLatch(1);
            assertThatThrownBy(() -> p.execute(() -> {
                awaitIgnoringInterrupts(release); // a tool that ignores interrupts
                return "late";
            })).isInstanceOf(CallTimeoutException.class);

            assertThatThrownBy(() -> p.execute(() -> "second")).as("the cut call still runs")
                    .isInstanceOf(BulkheadRejectedException.class);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> one.getMetrics().getAvailableConcurrentCalls() == 1);
            assertThat(p.execute(() -> "third")).isEqualTo("third");
        }
    }

    @Test
    void asyncRetriesStopAtTheDeadline() {
        AtomicInteger invocations = new AtomicInteger();
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .timeLimit(Duration.ofMillis(100))
                .retry(RetryPolicy.builder().maxAttempts(1_000).initialBackoff(Duration.ofMillis(5))
                        .multiplier(1.0).jitter(0).maxBackoff(Duration.ofMillis(5)).build())
                .build()) {
            CompletableFuture<String> f = p.executeToolCallAsync(READ, c -> {
                invocations.incrementAndGet();
                return CompletableFuture.failedFuture(new IOException("reset"));
            }).toCompletableFuture();
            await().atMost(Duration.ofSeconds(5)).until(f::isDone);
            assertThatThrownBy(f::join).hasCauseInstanceOf(CallTimeoutException.class);
            int atDeadline = invocations.get();
            assertThat(atDeadline).isGreaterThan(1);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                    .until(() -> invocations.get() <= atDeadline + 1);
        }
    }

    @Test
    void asyncRetryCompletesWithTheLastErrorWhenTheSchedulerRefusesToWait() {
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdownNow();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").scheduler(stopped)
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(1)).build())
                .build();
        IOException reset = new IOException("reset");
        CompletableFuture<String> f = p.executeToolCallAsync(READ, c -> CompletableFuture.<String>failedFuture(reset))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(f::isDone);
        assertThatThrownBy(f::join).cause().isSameAs(reset);
    }

    @Test
    void asyncCallCompletesEvenWhenABreakerThrowsWhileRecording() {
        Breaker broken = new Breaker() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void acquirePermission(ToolCall call) {
            }

            @Override
            public void releasePermission(ToolCall call) {
            }

            @Override
            public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error) {
                throw new IllegalStateException("bug in a breaker");
            }
        };
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(broken).build();
        CompletableFuture<String> f = p.executeToolCallAsync(READ, c -> CompletableFuture.completedFuture("ok"))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(f::isDone);
        assertThat(f.join()).isEqualTo("ok");
        assertThat(p.executeToolCall(READ, c -> "sync ok")).as("the sync path too").isEqualTo("sync ok");
        IOException down = new IOException("down");
        assertThatThrownBy(() -> p.executeToolCall(READ, c -> {
            throw new UncheckedIOException(down);
        })).as("the call's own error, not the breaker's").isInstanceOf(UncheckedIOException.class)
                .cause().isSameAs(down);
    }

    @Test
    void onlySuccessfulResultsFillTheCache() {
        CachedResponseFallback<String> cache = CachedResponseFallback.ofDefaults();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").fallback(cache)
                .outcomeClassifier((result, error) -> error != null ? CallOutcome.SERVER_ERROR
                        : String.valueOf(result).startsWith("error:") ? CallOutcome.TOOL_ERROR : CallOutcome.SUCCESS)
                .build();
        assertThat(p.executeToolCall(READ, c -> "error: quota exceeded")).isEqualTo("error: quota exceeded");
        assertThat(cache.size()).as("a tool error is not a last good answer").isZero();
        assertThatThrownBy(() -> p.executeToolCall(READ, c -> {
            throw new IllegalStateException("down");
        })).hasMessage("down");
        assertThat(p.executeToolCall(READ, c -> "fresh")).isEqualTo("fresh");
        assertThat(p.executeToolCall(READ, c -> {
            throw new IllegalStateException("down");
        })).isEqualTo("fresh");
    }

    @Test
    void resilience4jAdapterGivesRejectedCallsTheirPermissionBackWithoutCountingThem() {
        CircuitBreaker cb = CircuitBreaker.of("r4j", CircuitBreakerConfig.custom()
                .permittedNumberOfCallsInHalfOpenState(1).build());
        cb.transitionToOpenState();
        cb.transitionToHalfOpenState();
        Breaker breaker = Breakers.of(cb);
        breaker.acquirePermission(READ);
        breaker.onOutcome(READ, CallOutcome.REJECTED, 1_000, new RuntimeException("lost hedge"));
        assertThat(cb.getMetrics().getNumberOfSuccessfulCalls()).isZero();
        assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.acquirePermission(READ); // the only probe slot is free again
        breaker.onOutcome(READ, CallOutcome.SUCCESS, 1_000, null);
        assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void closeStopsThePipelinesOwnThreadsButNotGivenOnes() throws Exception {
        ScheduledExecutorService given = Executors.newSingleThreadScheduledExecutor();
        try {
            ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").timeLimit(Duration.ofSeconds(1))
                    .scheduler(given).build();
            assertThat(p.execute(() -> "before")).isEqualTo("before");
            p.close();
            assertThatThrownBy(() -> p.execute(() -> "after")).isInstanceOf(RejectedCallException.class)
                    .hasMessageContaining("closed");
            assertThat(given.isShutdown()).isFalse();
            assertThat(given.schedule(() -> "still running", 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS))
                    .isEqualTo("still running");
        } finally {
            given.shutdownNow();
        }
        ResiliencePipeline<String> plain = ResiliencePipeline.<String>builder("plain").build();
        plain.close();
        assertThat(plain.execute(() -> "no threads needed")).isEqualTo("no threads needed");
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
