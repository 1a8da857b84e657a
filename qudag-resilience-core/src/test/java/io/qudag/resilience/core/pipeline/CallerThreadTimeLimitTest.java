package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.RejectedCallException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caller-thread time limit: the call runs on the caller's thread, a watchdog interrupts it at the
 * deadline, and the pipeline turns its own interrupt into a {@link CallTimeoutException} and clears it.
 */
class CallerThreadTimeLimitTest {

    private final List<Thread> watchdogThreads = new CopyOnWriteArrayList<>();
    private final CallWatchdog watchdog = CallWatchdog.create(r -> {
        Thread t = new Thread(r, "test-watchdog-" + watchdogThreads.size());
        watchdogThreads.add(t);
        return t;
    });
    private final List<ResiliencePipeline<?>> pipelines = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePipelines() {
        pipelines.forEach(ResiliencePipeline::close);
        Thread.interrupted(); // never let one test's failure leak into the next
    }

    private ResiliencePipeline<String> pipeline(String name, Duration limit, RecordingBreaker breaker) {
        ResiliencePipelineBuilder<String> b = ResiliencePipeline.<String>builder(name)
                .timeLimitOnCallerThread(limit).callWatchdog(watchdog);
        if (breaker != null) {
            b.breaker(breaker);
        }
        ResiliencePipeline<String> p = b.build();
        pipelines.add(p);
        return p;
    }

    @Test
    void anInterruptibleCallTimesOutPromptlyOnTheCallersThreadAndNoInterruptIsLeftSet() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = pipeline("p", Duration.ofMillis(100), breaker);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        long began = System.nanoTime();
        assertThatThrownBy(() -> p.execute(() -> {
            ranOn.set(Thread.currentThread());
            try {
                Thread.sleep(30_000);
                return "late";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        })).isInstanceOf(CallTimeoutException.class).hasMessageContaining("'p'");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(tookMillis).as("cut at the deadline, not after the 30 s sleep").isLessThan(10_000);
        assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt was cleared").isFalse();
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:TIMEOUT");
        assertThat(p.config().timeLimitMode()).isEqualTo(TimeLimitMode.CALLER_THREAD);
    }

    @Test
    void aCallThatIgnoresInterruptsReturnsLateAndItsResultIsDiscardedAsATimeout() {
        ResiliencePipeline<String> p = pipeline("p", Duration.ofMillis(50), null);
        AtomicInteger returned = new AtomicInteger();
        long began = System.nanoTime();
        assertThatThrownBy(() -> p.execute(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait(); // a CPU loop: never looks at its interrupt
            }
            returned.incrementAndGet();
            return "late result";
        })).isInstanceOf(CallTimeoutException.class);
        assertThat(returned).as("the call ran to its end").hasValue(1);
        assertThat(System.nanoTime() - began).as("returned late: after the work, not at the deadline")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void theHandOverDefaultAnswersAtTheDeadlineEvenWhenTheWorkIgnoresInterruptsAndLeaksNoInterruptToThePool() {
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("h").executor(one)
                    .timeLimit(Duration.ofMillis(50)).build();
            pipelines.add(p);
            CountDownLatch release = new CountDownLatch(1);
            long began = System.nanoTime();
            assertThatThrownBy(() -> p.execute(() -> {
                while (release.getCount() > 0) {
                    Thread.onSpinWait(); // ignores its interrupt until the test lets it go
                }
                return "late";
            })).isInstanceOf(CallTimeoutException.class);
            assertThat(System.nanoTime() - began).as("at the deadline, while the work still runs")
                    .isLessThan(TimeUnit.SECONDS.toNanos(10));
            release.countDown();
            assertThat(p.execute(() -> Thread.currentThread().isInterrupted() ? "interrupted" : "clean"))
                    .as("the next call on the same pool thread").isEqualTo("clean");
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void aCallThatSwallowsTheInterruptStillEndsAsATimeout() {
        ResiliencePipeline<String> p = pipeline("p", Duration.ofMillis(50), null);
        assertThatThrownBy(() -> p.execute(() -> {
            try {
                new CountDownLatch(1).await();
                return "never";
            } catch (InterruptedException swallowed) {
                return "swallowed";
            }
        })).isInstanceOf(CallTimeoutException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void callsWithinTheLimitReturnTheirResultAndLeaveNoInterrupt() throws Exception {
        ResiliencePipeline<String> p = pipeline("p", Duration.ofSeconds(5), null);
        for (int i = 0; i < 1_000; i++) {
            assertThat(p.execute(() -> "ok")).isEqualTo("ok");
        }
        assertThatThrownBy(() -> p.executeCallable(() -> {
            throw new java.io.IOException("down");
        })).isInstanceOf(java.io.IOException.class).hasMessage("down");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anInterruptFromSomeoneElseIsLeftForTheCaller() {
        ResiliencePipeline<String> p = pipeline("p", Duration.ofSeconds(5), null);
        Thread.currentThread().interrupt();
        assertThat(p.execute(() -> "ok")).isEqualTo("ok");
        assertThat(Thread.interrupted()).as("not the pipeline's interrupt: not cleared").isTrue();
    }

    @Test
    void theCallersThreadLocalsAreVisibleToTheCall() {
        ThreadLocal<String> tenant = new ThreadLocal<>();
        tenant.set("acme");
        try {
            assertThat(pipeline("p", Duration.ofSeconds(5), null).execute(tenant::get)).isEqualTo("acme");
            ResiliencePipeline<String> handOver = ResiliencePipeline.<String>builder("h")
                    .timeLimit(Duration.ofSeconds(5)).build();
            pipelines.add(handOver);
            assertThat(handOver.execute(tenant::get)).as("the hand-over runs elsewhere").isNull();
        } finally {
            tenant.remove();
        }
    }

    @Test
    void anEarlierOuterDeadlineCutsTheNestedCallAndBothEndAsTimeouts() {
        ResiliencePipeline<String> outer = pipeline("outer", Duration.ofMillis(150), null);
        ResiliencePipeline<String> inner = pipeline("inner", Duration.ofSeconds(30), null);
        AtomicReference<Throwable> innerError = new AtomicReference<>();
        assertThatThrownBy(() -> outer.execute(() -> {
            try {
                return inner.execute(() -> {
                    try {
                        Thread.sleep(30_000);
                        return "late";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
            } catch (RuntimeException e) {
                innerError.set(e);
                throw e;
            }
        })).isInstanceOf(CallTimeoutException.class).hasMessageContaining("'outer'");
        assertThat(innerError.get()).isInstanceOf(CallTimeoutException.class).hasMessageContaining("'inner'");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anEarlierInnerDeadlineFiresForTheInnerCallAndTheOuterDeadlineStillHoldsAfterwards() {
        ResiliencePipeline<String> outer = pipeline("outer", Duration.ofMillis(400), null);
        ResiliencePipeline<String> inner = pipeline("inner", Duration.ofMillis(50), null);
        AtomicReference<Throwable> innerError = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfterInner = new AtomicReference<>();
        assertThatThrownBy(() -> outer.execute(() -> {
            try {
                inner.execute(() -> {
                    try {
                        Thread.sleep(30_000);
                        return "late";
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (CallTimeoutException e) {
                innerError.set(e);
            }
            interruptedAfterInner.set(Thread.currentThread().isInterrupted());
            try {
                Thread.sleep(30_000); // the outer deadline, re-armed, must still cut this
                return "late";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })).isInstanceOf(CallTimeoutException.class).hasMessageContaining("'outer'");
        assertThat(innerError.get()).hasMessageContaining("'inner'");
        assertThat(interruptedAfterInner.get()).as("the inner pipeline cleared its own interrupt").isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aClosedPipelineRefusesBeforeRunningTheCall() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = pipeline("p", Duration.ofSeconds(1), breaker);
        p.close();
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> p.execute(() -> {
            ran.incrementAndGet();
            return "ran";
        })).isInstanceOf(RejectedCallException.class).hasMessageContaining("closed");
        assertThat(ran).hasValue(0);
        assertThat(breaker.journal()).isEmpty();
    }

    @Test
    void theWatchdogIsOneSharedDaemonThreadThatEndsWithTheLastPipelineUsingIt() {
        ResiliencePipeline<String> a = pipeline("a", Duration.ofSeconds(1), null);
        ResiliencePipeline<String> b = pipeline("b", Duration.ofSeconds(1), null);
        assertThat(a.execute(() -> "a")).isEqualTo("a");
        assertThat(b.execute(() -> "b")).isEqualTo("b");
        assertThat(watchdog.users()).isEqualTo(2);
        assertThat(watchdog.isRunning()).isTrue();
        assertThat(watchdogThreads).as("one thread for both pipelines").hasSize(1);
        Thread thread = watchdogThreads.get(0);
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.isAlive()).isTrue();
        assertThat(a.config().callWatchdog()).containsSame(watchdog);
        a.close();
        assertThat(watchdog.users()).isEqualTo(1);
        assertThat(b.execute(() -> "b")).isEqualTo("b");
        assertThat(thread.isAlive()).as("still serving b").isTrue();
        b.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !thread.isAlive());
        assertThat(watchdog.isRunning()).isFalse();

        ResiliencePipeline<String> c = pipeline("c", Duration.ofMillis(50), null);
        assertThatThrownBy(() -> c.execute(() -> {
            try {
                Thread.sleep(30_000);
                return "late";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })).as("a later pipeline starts it again").isInstanceOf(CallTimeoutException.class);
        assertThat(watchdogThreads).hasSize(2);
    }

    @Test
    void theDefaultWatchdogIsTheSharedOne() {
        ResiliencePipeline<String> a = ResiliencePipeline.<String>builder("a")
                .timeLimitOnCallerThread(Duration.ofSeconds(1)).build();
        ResiliencePipeline<String> b = ResiliencePipeline.<String>builder("b")
                .timeLimitOnCallerThread(Duration.ofSeconds(1)).build();
        pipelines.add(a);
        pipelines.add(b);
        assertThat(a.config().callWatchdog()).containsSame(CallWatchdog.shared());
        assertThat(b.config().callWatchdog()).containsSame(CallWatchdog.shared());
        assertThat(a.execute(() -> "ok")).isEqualTo("ok");
        assertThat(CallWatchdog.shared().isRunning()).isTrue();
    }

    @Test
    void aWatchdogWithoutTheCallerThreadModeIsRejectedByName() {
        assertThatThrownBy(() -> ResiliencePipeline.<String>builder("p").timeLimit(Duration.ofSeconds(1))
                .callWatchdog(watchdog).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callWatchdog")
                .hasMessageContaining("HAND_OVER");
        assertThat(ResiliencePipeline.<String>builder("p").timeLimit(Duration.ofSeconds(1)).build().config()
                .callWatchdog()).isEmpty();
    }
}
