package io.qudag.resilience.chaos.experiment;

import io.qudag.resilience.chaos.report.ExperimentReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs experiments one at a time (spec §5.1, {@code experiment_scheduling}): submitted and scheduled
 * experiments queue on one thread, and {@link #runExclusive} refuses while another runs, so two
 * experiments never overlap. {@link #close()} cancels what is queued and stops the thread.
 */
public final class ChaosScheduler implements AutoCloseable {

    private final ScheduledThreadPoolExecutor thread;
    private final AtomicReference<ChaosExperiment> running = new AtomicReference<>();

    /** Creates a scheduler with its own daemon thread {@code qudag-chaos-scheduler}. */
    public ChaosScheduler() {
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qudag-chaos-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.thread.setRemoveOnCancelPolicy(true);
    }

    /**
     * Queues {@code experiment} to run after those before it.
     *
     * @param experiment the experiment
     * @return its report, once it ran
     */
    public CompletableFuture<ExperimentReport> submit(ChaosExperiment experiment) {
        return schedule(experiment, Duration.ZERO);
    }

    /**
     * Runs {@code experiment} after {@code delay}, never beside another one.
     *
     * @param experiment the experiment
     * @param delay      how long to wait first, not negative
     * @return its report, once it ran
     * @throws IllegalArgumentException naming the value when {@code experiment} is null or {@code delay} is negative
     */
    public CompletableFuture<ExperimentReport> schedule(ChaosExperiment experiment, Duration delay) {
        if (experiment == null) {
            throw new IllegalArgumentException("experiment must not be null, was null");
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        CompletableFuture<ExperimentReport> result = new CompletableFuture<>();
        thread.schedule(() -> {
            try {
                result.complete(runExclusive(experiment));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * Runs {@code experiment} on the calling thread.
     *
     * @throws IllegalStateException when another experiment is running
     * @param experiment the experiment
     * @return its report
     */
    public ExperimentReport runExclusive(ChaosExperiment experiment) {
        if (!running.compareAndSet(null, experiment)) {
            throw new IllegalStateException("experiment '" + experiment.config().title()
                    + "' refused: experiment '" + running.get().config().title() + "' is running");
        }
        try {
            return experiment.run();
        } finally {
            running.set(null);
        }
    }

    /** {@return the experiment running now, if any} */
    public java.util.Optional<ChaosExperiment> running() {
        return java.util.Optional.ofNullable(running.get());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
