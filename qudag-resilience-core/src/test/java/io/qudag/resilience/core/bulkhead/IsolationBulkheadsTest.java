package io.qudag.resilience.core.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IsolationBulkheadsTest {

    @Test
    void defaultsAreTheSpecPoolSizes() {
        IsolationBulkheadsConfig c = IsolationBulkheadsConfig.defaults();
        assertThat(c.maxConcurrentCalls(IsolationClass.CRITICAL)).isEqualTo(50);
        assertThat(c.maxConcurrentCalls(IsolationClass.USER)).isEqualTo(100);
        assertThat(c.maxConcurrentCalls(IsolationClass.BACKGROUND)).isEqualTo(20);
        assertThat(c.maxConcurrentCalls(IsolationClass.EMERGENCY)).isEqualTo(10);
        assertThat(IsolationClass.EMERGENCY.priority()).isEqualTo(IsolationPriority.CRITICAL);
        assertThat(IsolationClass.BACKGROUND.priority()).isEqualTo(IsolationPriority.LOW);
    }

    @Test
    void aFullBackgroundClassLeavesCriticalAdmitting() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IsolationBulkheads bulkheads = IsolationBulkheads.of("svc", IsolationBulkheadsConfig.defaults(), registry);
        Bulkhead background = bulkheads.bulkhead(IsolationClass.BACKGROUND);
        for (int i = 0; i < 20; i++) {
            assertThat(background.tryAcquirePermission()).isTrue();
        }
        assertThat(background.tryAcquirePermission()).as("21st background call").isFalse();

        Bulkhead critical = bulkheads.bulkhead(IsolationClass.CRITICAL);
        for (int i = 0; i < 50; i++) {
            assertThat(critical.tryAcquirePermission()).as("critical call %d", i).isTrue();
        }
        assertThat(registry.get("qudag.resilience.bulkhead.available").tag("class", "CRITICAL").gauge().value())
                .isZero();
        assertThat(registry.get("qudag.resilience.bulkhead.rejected").tag("class", "BACKGROUND").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void pipelineRejectsWithTypedExceptionWhenItsClassIsFullWhileAnotherClassServes() {
        IsolationBulkheads bulkheads = IsolationBulkheads.of("svc", IsolationBulkheadsConfig.builder()
                .maxConcurrentCalls(IsolationClass.BACKGROUND, 1).build(), null);
        ResiliencePipeline<String> background = ResiliencePipeline.<String>builder("bg")
                .bulkhead(bulkheads.bulkhead(IsolationClass.BACKGROUND)).build();
        ResiliencePipeline<String> critical = ResiliencePipeline.<String>builder("crit")
                .bulkhead(bulkheads.bulkhead(IsolationClass.CRITICAL)).build();

        CompletableFuture<String> held = new CompletableFuture<>();
        var inFlight = background.executeAsync(() -> held);

        assertThatThrownBy(() -> background.execute(() -> "second"))
                .isInstanceOf(BulkheadRejectedException.class)
                .hasMessageContaining("svc-background");
        assertThat(critical.execute(() -> "served")).isEqualTo("served");

        held.complete("done");
        assertThat(inFlight.toCompletableFuture().join()).isEqualTo("done");
        assertThat(background.execute(() -> "after release")).isEqualTo("after release");
    }

    @Test
    void threadPoolVariantRunsOnTheClassOwnThreads() throws Exception {
        try (IsolationBulkheads bulkheads = IsolationBulkheads.ofDefaults("svc")) {
            String thread = bulkheads.threadPoolBulkhead(IsolationClass.EMERGENCY)
                    .submit(() -> Thread.currentThread().getName()).toCompletableFuture().get();
            assertThat(thread).contains("svc-emergency-pool");
        }
    }

    @Test
    void badConfigurationNamesFieldAndValue() {
        assertThatThrownBy(() -> IsolationBulkheadsConfig.builder().maxConcurrentCalls(IsolationClass.USER, 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentCalls.USER must be >= 1, was 0");
        assertThatThrownBy(() -> IsolationBulkheadsConfig.builder()
                .maxWait(IsolationClass.CRITICAL, Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWait.CRITICAL must be >= 0, was PT-0.001S");
        assertThatThrownBy(() -> IsolationBulkheadsConfig.builder().threadPoolQueueCapacity(0).build())
                .hasMessage("threadPoolQueueCapacity must be >= 1, was 0");
        assertThatThrownBy(() -> IsolationBulkheads.of(" ", IsolationBulkheadsConfig.defaults(), null))
                .hasMessage("name must not be blank, was  ");
    }
}
