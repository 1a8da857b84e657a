package io.qudag.resilience.core.pipeline.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qudag.resilience.core.CallOutcome;
import java.util.concurrent.TimeUnit;

/** The pipeline's meters, registered once so that recording allocates nothing. */
final class PipelineMeters {

    private final Counter[] calls;
    private final Timer duration;
    private final Counter retries;
    private final Counter fallbacks;

    private PipelineMeters(MeterRegistry registry, String pipeline) {
        CallOutcome[] outcomes = CallOutcome.values();
        calls = new Counter[outcomes.length];
        for (CallOutcome o : outcomes) {
            calls[o.ordinal()] = Counter.builder("qudag.resilience.pipeline.calls")
                    .tag("pipeline", pipeline).tag("outcome", o.name())
                    .description("Calls by how they ended, before any fallback")
                    .register(registry);
        }
        duration = Timer.builder("qudag.resilience.pipeline.duration").tag("pipeline", pipeline)
                .description("Time from entering the pipeline to the outcome, fallback excluded")
                .register(registry);
        retries = Counter.builder("qudag.resilience.pipeline.retries").tag("pipeline", pipeline)
                .description("Repeated attempts").register(registry);
        fallbacks = Counter.builder("qudag.resilience.pipeline.fallbacks").tag("pipeline", pipeline)
                .description("Failures answered by the fallback").register(registry);
    }

    static PipelineMeters create(MeterRegistry registry, String pipeline) {
        return registry == null ? null : new PipelineMeters(registry, pipeline);
    }

    void record(CallOutcome outcome, long nanos) {
        calls[outcome.ordinal()].increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried() {
        retries.increment();
    }

    void fellBack() {
        fallbacks.increment();
    }
}
