package io.qudag.resilience.core.pipeline;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.spi.Breaker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A breaker for tests: writes what happens to a shared journal; can be told to refuse. */
final class RecordingBreaker implements Breaker {
    private final String name;
    private final List<String> journal;
    volatile boolean refuse;
    volatile long lastDurationNanos = -1;
    volatile long lastEndNanoTime = Long.MAX_VALUE;

    RecordingBreaker(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
    }

    RecordingBreaker(String name) {
        this(name, new CopyOnWriteArrayList<>());
    }

    List<String> journal() {
        return journal;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void acquirePermission(ToolCall call) {
        if (refuse) {
            journal.add(name + ":refuse");
            throw new RejectedCallException(name, name + " is open");
        }
        journal.add(name + ":acquire");
    }

    @Override
    public void releasePermission(ToolCall call) {
        journal.add(name + ":release");
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error) {
        onOutcome(call, outcome, durationNanos, Breaker.NO_END_TIME, error);
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, long endNanoTime, Throwable error) {
        lastDurationNanos = durationNanos;
        lastEndNanoTime = endNanoTime;
        journal.add(name + ":" + outcome);
    }
}
