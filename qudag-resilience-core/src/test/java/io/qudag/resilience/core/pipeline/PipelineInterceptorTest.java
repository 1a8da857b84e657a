package io.qudag.resilience.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.spi.CallInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineInterceptorTest {

    private final List<String> trace = new CopyOnWriteArrayList<>();

    private CallInterceptor<String> tracing(String id) {
        return new CallInterceptor<>() {
            @Override
            public String beforeAttempt(ToolCall call) {
                trace.add("before " + id);
                return null;
            }

            @Override
            public String afterAttempt(ToolCall call, String result) {
                trace.add("after " + id);
                return result + id;
            }
        };
    }

    @Test
    void interceptorsRunAroundEachAttempt_firstAddedOutermost() {
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .interceptor(tracing("a")).interceptor(tracing("b")).build()) {
            assertThat(p.execute(() -> {
                trace.add("call");
                return "r";
            })).isEqualTo("rba");
        }
        assertThat(trace).containsExactly("before a", "before b", "call", "after b", "after a");
    }

    @Test
    void aThrowingInterceptorFailsTheAttempt_andRetryRepeatsIt() {
        AtomicInteger before = new AtomicInteger();
        CallInterceptor<String> failFirst = call -> {
            if (before.incrementAndGet() == 1) {
                throw new IllegalStateException("injected");
            }
            return null;
        };
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(failFirst)
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).build()).build()) {
            ToolCall call = ToolCall.of("read", Map.of(), ToolHints.READ_ONLY);
            assertThat(p.executeToolCall(call, c -> "ok")).isEqualTo("ok");
        }
        assertThat(before).hasValue(2);
    }

    @Test
    void aBeforeResultAnswersWithoutRunningTheCall_syncAndAsync() throws Exception {
        CallInterceptor<String> answer = call -> "answered";
        AtomicInteger ran = new AtomicInteger();
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(answer).build()) {
            assertThat(p.execute(() -> "x" + ran.incrementAndGet())).isEqualTo("answered");
            assertThat(p.executeAsync(() -> CompletableFuture.completedFuture("y" + ran.incrementAndGet()))
                    .toCompletableFuture().get()).isEqualTo("answered");
        }
        assertThat(ran).hasValue(0);
    }

    @Test
    void asyncInterceptorsWrapInOrder() throws Exception {
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p")
                .interceptor(tracing("a")).interceptor(tracing("b")).build()) {
            assertThat(p.executeAsync(() -> CompletableFuture.completedFuture("r")).toCompletableFuture().get())
                    .isEqualTo("rba");
        }
        assertThat(trace).containsExactly("before a", "before b", "after b", "after a");
    }

    @Test
    void aNullInterceptorFailsTheBuild() {
        assertThatThrownBy(() -> ResiliencePipeline.<String>builder("p").interceptor(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interceptors[0]");
    }
}
