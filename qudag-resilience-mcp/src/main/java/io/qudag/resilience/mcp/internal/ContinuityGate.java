package io.qudag.resilience.mcp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.plan.ContinuityPolicy;
import io.qudag.resilience.core.plan.ToolCriticality;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.server.ContinuityTools;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of business continuity (spec §4.3): a tool the {@link ContinuityPolicy}'s mode does not
 * serve is answered with the same "temporarily unavailable" tool error a decorated server gives, without
 * being sent; and with a limit on concurrent calls, calls beyond it wait in a queue that sends critical
 * tools first (then important, standard, optional; first come first served within a criticality). A
 * waiting call's wait counts against its deadline.
 *
 * <p>Below the limit a call takes a permit with one CAS and is sent at once; the queue and its lock are
 * used only while the limit is reached.
 */
final class ContinuityGate {

    private static final Logger log = LoggerFactory.getLogger(ContinuityGate.class);

    private final ContinuityPolicy policy;
    private final int maxConcurrent;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PriorityQueue<Waiter> queue = new PriorityQueue<>();
    private long sequence;
    private final ConcurrentHashMap<String, Counter> refusals = new ConcurrentHashMap<>();

    /**
     * @param policy        the continuity policy, or null (no refusals; the queue is first come first served)
     * @param maxConcurrent the most calls in flight at once, 0 for no limit (and no queue)
     */
    ContinuityGate(ContinuityPolicy policy, int maxConcurrent, ScheduledExecutorService scheduler,
            LongSupplier nanoTime, MeterRegistry registry) {
        this.policy = policy;
        this.maxConcurrent = maxConcurrent;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.registry = registry;
        if (registry != null && maxConcurrent > 0) {
            Gauge.builder("qudag.resilience.mcp.queued", this, ContinuityGate::queued)
                    .description("tool calls waiting for a permit, sent critical first").register(registry);
        }
    }

    /** Whether this gate has anything to do for the given configuration. */
    static boolean needed(ContinuityPolicy policy, int maxConcurrent) {
        return policy != null || maxConcurrent > 0;
    }

    /**
     * Sends {@code send} with the time left of {@code deadline} now, later (critical first) or never (not
     * served in the current mode).
     */
    CompletableFuture<McpSchema.CallToolResult> submit(String tool, Duration deadline,
            Function<Duration, CompletableFuture<McpSchema.CallToolResult>> send) {
        if (policy != null && !policy.isServed(tool)) {
            return CompletableFuture.completedFuture(refuse(tool));
        }
        if (maxConcurrent == 0) {
            return send.apply(deadline);
        }
        if (tryAcquire()) {
            return sendHolding(deadline, send);
        }
        Waiter w = new Waiter(tool, criticality(tool), nanoTime.getAsLong() + deadline.toNanos(), deadline, send);
        try {
            w.timeout = scheduler.schedule(() -> expire(w), deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            w.future.completeExceptionally(new McpDeadlineExceededException("(queued)", tool, deadline));
            return w.future;
        }
        synchronized (queue) {
            w.sequence = sequence++;
            queue.add(w);
        }
        drain(); // a permit may have come back between the failed acquire and the enqueue
        return w.future;
    }

    private ToolCriticality criticality(String tool) {
        return policy == null ? ToolCriticality.STANDARD : policy.criticality(tool);
    }

    private boolean tryAcquire() {
        for (;;) {
            int n = inFlight.get();
            if (n >= maxConcurrent) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private CompletableFuture<McpSchema.CallToolResult> sendHolding(Duration left,
            Function<Duration, CompletableFuture<McpSchema.CallToolResult>> send) {
        CompletableFuture<McpSchema.CallToolResult> f;
        try {
            f = send.apply(left);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, e) -> {
            inFlight.decrementAndGet();
            drain();
        });
        return f;
    }

    /** Sends waiting calls, most critical first, while permits are free. */
    private void drain() {
        for (;;) {
            Waiter next;
            synchronized (queue) {
                next = queue.peek();
                if (next == null) {
                    return;
                }
                if (next.future.isDone()) { // timed out or cancelled while waiting
                    queue.poll();
                    continue;
                }
                if (!tryAcquire()) {
                    return;
                }
                queue.poll();
            }
            if (next.timeout != null) {
                next.timeout.cancel(false);
            }
            long leftNanos = next.deadlineNanos - nanoTime.getAsLong();
            if (leftNanos <= 0) {
                inFlight.decrementAndGet();
                next.future.completeExceptionally(new McpDeadlineExceededException("(queued)", next.tool, next.deadline));
                continue;
            }
            CompletableFuture<McpSchema.CallToolResult> sent = sendHolding(Duration.ofNanos(leftNanos), next.send);
            next.future.whenComplete((r, e) -> {
                if (next.future.isCancelled()) {
                    sent.cancel(true);
                }
            });
            sent.whenComplete((r, e) -> {
                if (e == null) {
                    next.future.complete(r);
                } else {
                    next.future.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                            && e.getCause() != null ? e.getCause() : e);
                }
            });
        }
    }

    private void expire(Waiter w) {
        if (w.future.completeExceptionally(new McpDeadlineExceededException("(queued)", w.tool, w.deadline))) {
            log.debug("tool {} waited its whole deadline {} for a permit", w.tool, w.deadline);
            synchronized (queue) {
                queue.remove(w);
            }
        }
    }

    private McpSchema.CallToolResult refuse(String tool) {
        log.debug("tool {} not sent: not served in {} mode", tool, policy.mode());
        if (registry != null) {
            refusals.computeIfAbsent(tool, t -> Counter.builder("qudag.resilience.mcp.continuity.refusals")
                    .tag("tool", t).description("tool calls answered by the client: not served in the current mode")
                    .register(registry)).increment();
        }
        return ContinuityTools.unavailableResult(policy, tool);
    }

    /** Calls waiting for a permit. */
    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Calls holding a permit. */
    int inFlight() {
        return inFlight.get();
    }

    private static final class Waiter implements Comparable<Waiter> {
        final String tool;
        final ToolCriticality criticality;
        final long deadlineNanos;
        final Duration deadline;
        final Function<Duration, CompletableFuture<McpSchema.CallToolResult>> send;
        final CompletableFuture<McpSchema.CallToolResult> future = new CompletableFuture<>();
        long sequence;
        volatile java.util.concurrent.ScheduledFuture<?> timeout;

        Waiter(String tool, ToolCriticality criticality, long deadlineNanos, Duration deadline,
                Function<Duration, CompletableFuture<McpSchema.CallToolResult>> send) {
            this.tool = tool;
            this.criticality = criticality;
            this.deadlineNanos = deadlineNanos;
            this.deadline = deadline;
            this.send = send;
        }

        @Override
        public int compareTo(Waiter o) {
            int c = criticality.compareTo(o.criticality);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
