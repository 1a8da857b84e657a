package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.Outcomes;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The failing synchronous call: one classification feeds the breakers, the meters and the fallback. */
class PipelineFailurePathTest {

    private final AtomicInteger classified = new AtomicInteger();
    private final OutcomeClassifier counting = (result, error) -> {
        classified.incrementAndGet();
        return Outcomes.defaultClassifier().classify(result, error);
    };

    @Test
    void aFailingCallIsClassifiedOnceAndEveryLayerSeesThatVerdictAndTheUnwrappedError() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger fellBackOn = new AtomicInteger();
        UncheckedIOException down = new UncheckedIOException(new IOException("down"));
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .outcomeClassifier(counting).meterRegistry(registry)
                .fallback((call, outcome, error) -> {
                    fellBackOn.incrementAndGet();
                    assertThat(outcome).isEqualTo(CallOutcome.TRANSPORT_ERROR);
                    assertThat(error).isSameAs(down);
                    return "cached";
                }).build();

        assertThat(p.execute(() -> {
            throw new CompletionException(down);
        })).isEqualTo("cached");

        assertThat(classified).as("one classification per call").hasValue(1);
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:TRANSPORT_ERROR");
        assertThat(registry.get("qudag.resilience.pipeline.calls").tag("outcome", "TRANSPORT_ERROR").counter()
                .count()).isEqualTo(1.0);
        assertThat(fellBackOn).hasValue(1);
    }

    @Test
    void aSuccessWithBreakersAndMetersIsClassifiedOnceToo() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .outcomeClassifier(counting).meterRegistry(new SimpleMeterRegistry()).build();
        assertThat(p.execute(() -> "ok")).isEqualTo("ok");
        assertThat(classified).hasValue(1);
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:SUCCESS");
    }

    @Test
    void aClassifierThatThrowsStillLetsTheBreakerLearnAndTheErrorReachTheCaller() {
        RecordingBreaker breaker = new RecordingBreaker("b");
        ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").breaker(breaker)
                .outcomeClassifier((r, e) -> {
                    throw new IllegalStateException("broken classifier");
                }).build();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> p.execute(() -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(breaker.journal()).containsExactly("b:acquire", "b:SERVER_ERROR");
    }
}
