package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The async time limit arms a timer only for a stage that is still running. */
class AsyncTimeLimitTest {

    private final AtomicInteger timers = new AtomicInteger();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            timers.incrementAndGet();
            return super.schedule(command, delay, unit);
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void anAnsweredStageNeedsNoTimerAndARunningOneStillTimesOut() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .timeLimit(Duration.ofMillis(50)).scheduler(scheduler).build();

        assertThat(p.executeAsync(() -> CompletableFuture.completedFuture("cached")).toCompletableFuture().join())
                .isEqualTo("cached");
        assertThat(timers).as("nothing to time").hasValue(0);

        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> f = p.executeAsync(() -> never).toCompletableFuture();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CallTimeoutException.class);
        assertThat(timers).hasValue(1);
        await().atMost(Duration.ofSeconds(10)).until(never::isCancelled); // cancelled by the timer, after the answer
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:SUCCESS", "b:acquire", "b:TIMEOUT");
    }
}
