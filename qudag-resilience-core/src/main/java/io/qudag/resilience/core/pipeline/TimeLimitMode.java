package io.qudag.resilience.core.pipeline;

/**
 * Where a synchronous call runs while a {@link ResiliencePipeline}'s time limit (spec §1.3, the per-class timeouts) watches
 * it. Asynchronous calls are not affected: their deadline is a task on the pipeline's scheduler.
 */
public enum TimeLimitMode {

    /**
     * The default: the call runs on the pipeline's executor and the caller waits at most the time
     * limit. The caller gets its {@link CallTimeoutException} at the deadline even when the work
     * ignores interrupts (the work is interrupted and keeps its bulkhead permit until it really ends).
     * Costs a thread hand-over per call (two thread wake-ups, microseconds).
     */
    HAND_OVER,

    /**
     * The call runs on the caller's thread; a shared {@link CallWatchdog} interrupts that thread at
     * the deadline, and the pipeline clears its own interrupt and throws {@link CallTimeoutException}.
     * Costs nanoseconds and no allocation, and the caller's {@code ThreadLocal}s are visible to the
     * call. The timeout is prompt only when the work reacts to interrupts: {@code Mono.block()}, sleeps,
     * {@code java.util.concurrent} waits, {@code InterruptibleChannel} I/O (the MCP SDK's synchronous
     * client waits like this). It is late for work that does not: CPU loops, waits to enter a
     * {@code synchronized} block, classic {@code java.net.Socket} reads; such a call returns when it
     * returns, and its result is then discarded as a timeout.
     */
    CALLER_THREAD
}
