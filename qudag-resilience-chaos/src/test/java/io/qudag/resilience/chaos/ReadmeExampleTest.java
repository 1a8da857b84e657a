package io.qudag.resilience.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's snippet, compiled and run (with the guard set through the lookup). */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetRuns() {
        List<Duration> slept = new ArrayList<>();
        ChaosSwitch chaos = ChaosSwitch.create("staging", n -> "true");
        chaos.enable(); // armed only if QUDAG_CHAOS_ENABLED=true

        FaultInjector<String> slowSearch = FaultInjector.<String>builder("slow-search", chaos)
                .rate(0.2)                                   // 20% of matching calls
                .scope(ChaosContext.tools("search"))         // tools, endpoints, tenants
                .duration(Duration.ofMinutes(5))             // active window after start()
                .seed(42)                                    // same seed, same calls hit
                .sleeper(slept::add)
                .latency(LatencyProfile.range(Duration.ofMillis(100), Duration.ofMillis(400)));
        slowSearch.start();

        String answer = null;
        try (ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("search")
                .interceptor(slowSearch)                     // core SPI: CallInterceptor
                .timeLimit(Duration.ofSeconds(2))
                .build()) {
            for (int i = 0; i < 50; i++) {
                answer = pipeline.executeToolCall(
                        ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY), call -> "result");
            }
        }
        assertThat(answer).isEqualTo("result");
        assertThat(slept).isNotEmpty().hasSize((int) slowSearch.injected());
    }
}
