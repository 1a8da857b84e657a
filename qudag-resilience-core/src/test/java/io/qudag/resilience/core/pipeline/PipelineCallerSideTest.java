package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.fallback.Fallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What happens on the caller's side of a call (close, cancel, interrupt, broken hooks, bad
 * arguments): the call completes, permits come back, and a refusal or a give-up on this side is
 * REJECTED to the breakers, never a server failure.
 */
class PipelineCallerSideTest {

    private static final ToolCall READ = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);
    private static final ToolCall DELETE = ToolCall.of("delete_repo", Map.of("name", "x"), ToolHints.UNTRUSTED);

    private static Bulkhead onePermit() {
        return Bulkhead.of("one", BulkheadConfig.custom().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());
    }

    @Test
    void closeCompletesAnAsyncCallWaitingToRetryWithItsLastOutcomeAndFreesItsPermit() {
        Bulkhead one = onePermit();
        AtomicInteger attempts = new AtomicInteger();
        IOException down = new IOException("down");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").bulkhead(one)
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(300)).jitter(0).build())
                .build();
        CompletableFuture<String> f = p.executeToolCallAsync(READ, c -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(down);
        }).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        p.close();
        await().atMost(Duration.ofSeconds(5)).until(f::isDone);
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).cause().isSameAs(down);
        assertThat(attempts).as("no new attempt after close").hasValue(1);
        assertThat(one.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void aClosedPipelineRefusesATimeLimitedCallBeforeRunningIt() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        AtomicInteger ran = new AtomicInteger();
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .timeLimit(Duration.ofSeconds(1)).build();
        p.close();
        CompletableFuture<String> f = p.executeToolCallAsync(DELETE, c -> {
            ran.incrementAndGet();
            return CompletableFuture.completedFuture("deleted");
        }).toCompletableFuture();
        assertThatThrownBy(f::get).hasCauseInstanceOf(RejectedCallException.class);
        assertThatThrownBy(() -> p.executeToolCall(DELETE, c -> {
            ran.incrementAndGet();
            return "deleted";
        })).isInstanceOf(RejectedCallException.class).hasMessageContaining("closed");
        assertThat(ran).as("a destructive call told it never ran really never ran").hasValue(0);
        assertThat(breaker.journal()).as("nothing acquired, nothing counted").isEmpty();
    }

    @Test
    void cancellingTheReturnedFutureCancelsTheWorkFreesThePermitAndIsNoServerFailure() {
        Bulkhead one = onePermit();
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker).bulkhead(one).build();
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> f = p.executeToolCallAsync(READ, c -> never).toCompletableFuture();
        assertThat(one.getMetrics().getAvailableConcurrentCalls()).isZero();
        f.cancel(true);
        assertThat(never).isCancelled();
        assertThat(one.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:REJECTED");
    }

    @Test
    void anInterruptedCallerGetsAnUncheckedCancellationAndKeepsItsInterrupt() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .timeLimit(Duration.ofSeconds(5)).build()) {
            Thread.currentThread().interrupt();
            Supplier<String> slow = () -> {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "late";
            };
            assertThatThrownBy(() -> p.execute(slow)).isInstanceOf(CancellationException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
            assertThat(breaker.journal()).containsExactly("b:acquire", "b:REJECTED");
        }
    }

    @Test
    void aThrowingHookDoesNotReplaceASuccessfulResult() throws Exception {
        Fallback<String> brokenOnSuccess = new Fallback<>() {
            @Override
            public String apply(ToolCall call, CallOutcome outcome, Throwable failure) {
                return "fallback";
            }

            @Override
            public void onSuccess(ToolCall call, String result) {
                throw new IllegalStateException("onSuccess bug");
            }
        };
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").fallback(brokenOnSuccess).build();
        assertThat(p.executeToolCall(READ, c -> "fresh")).isEqualTo("fresh");
        assertThat(p.executeToolCallAsync(READ, c -> CompletableFuture.completedFuture("fresh async"))
                .toCompletableFuture().get()).isEqualTo("fresh async");

        ResiliencePipeline<String> q = ResiliencePipeline.<String>builder("q").breaker(new RecordingBreaker("b"))
                .outcomeClassifier((result, error) -> {
                    throw new IllegalStateException("classifier bug");
                }).build();
        assertThat(q.executeToolCall(READ, c -> "fresh")).isEqualTo("fresh");
        IOException down = new IOException("down");
        assertThatThrownBy(() -> q.executeToolCall(READ, c -> {
            throw new UncheckedIOException(down);
        })).cause().isSameAs(down);
    }

    @Test
    void nullCallsAreRefusedAtOnceNamingTheArgument() {
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").fallback((c, o, e) -> "fallback")
                .build();
        assertThatThrownBy(() -> p.execute(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call must not be null, was null");
        assertThatThrownBy(() -> p.executeAsync(null)).hasMessage("call must not be null, was null");
        assertThatThrownBy(() -> p.executeToolCall(READ, null)).hasMessage("invoker must not be null, was null");
        assertThatThrownBy(() -> p.executeToolCallAsync(READ, null)).hasMessage("invoker must not be null, was null");
        assertThat(List.of(p.execute(() -> "ok"))).containsExactly("ok");
    }
}
