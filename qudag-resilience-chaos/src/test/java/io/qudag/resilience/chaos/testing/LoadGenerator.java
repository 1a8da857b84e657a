package io.qudag.resilience.chaos.testing;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.ResilientMcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Callers of a read-only tool through the resilient client, recording every call, so that probes can
 * read the error rate and p95 latency of the last second (calls still in flight count with their age).
 */
public final class LoadGenerator implements AutoCloseable {

    private record Call(long endNanos, boolean ok, long latencyNanos) {
    }

    private final ResilientMcpClient client;
    private final int threads;
    private final ConcurrentLinkedDeque<Call> calls = new ConcurrentLinkedDeque<>();
    private final Map<Thread, Long> inFlight = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final List<Thread> running = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    public LoadGenerator(ResilientMcpClient client, int threads) {
        this.client = client;
        this.threads = threads;
    }

    public synchronized void start() {
        stop.set(false);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, "chaos-load-" + i);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
    }

    private void loop() {
        Thread me = Thread.currentThread();
        while (!stop.get()) {
            long t0 = System.nanoTime();
            inFlight.put(me, t0);
            boolean ok;
            try {
                McpSchema.CallToolResult r = client.callTool("read", Map.of());
                ok = !Boolean.TRUE.equals(r.isError());
                if (ok && !r.content().isEmpty() && r.content().get(0) instanceof McpSchema.TextContent text) {
                    servedBy.computeIfAbsent(text.text().replace("served by ", ""), k -> new LongAdder()).increment();
                }
            } catch (RuntimeException e) {
                ok = false;
            }
            inFlight.remove(me);
            long now = System.nanoTime();
            if (!ok) {
                failures.increment();
            }
            calls.add(new Call(now, ok, now - t0));
        }
    }

    /** Errors / calls ended in the last {@code window}; with none ended, 1 if a call is stuck longer. */
    public double errorRate(Duration window) {
        long now = System.nanoTime();
        long from = now - window.toNanos();
        prune(now);
        int n = 0;
        int bad = 0;
        for (Call c : calls) {
            if (c.endNanos >= from) {
                n++;
                bad += c.ok ? 0 : 1;
            }
        }
        if (n == 0) {
            return inFlight.values().stream().anyMatch(t -> now - t > window.toNanos()) ? 1.0 : 0.0;
        }
        return (double) bad / n;
    }

    /** The p95 latency of calls ended in the last {@code window} and the ages of calls in flight. */
    public Duration p95(Duration window) {
        long now = System.nanoTime();
        long from = now - window.toNanos();
        List<Long> l = new ArrayList<>();
        for (Call c : calls) {
            if (c.endNanos >= from) {
                l.add(c.latencyNanos);
            }
        }
        for (long t : inFlight.values()) {
            l.add(now - t);
        }
        if (l.isEmpty()) {
            return Duration.ZERO;
        }
        Collections.sort(l);
        return Duration.ofNanos(l.get((int) Math.min(l.size() - 1, Math.ceil(l.size() * 0.95) - 1)));
    }

    private void prune(long now) {
        long keep = now - TimeUnit.SECONDS.toNanos(10);
        for (Iterator<Call> it = calls.iterator(); it.hasNext(); ) {
            if (it.next().endNanos < keep) {
                it.remove();
            } else {
                break;
            }
        }
    }

    public long servedBy(String server) {
        LongAdder a = servedBy.get(server);
        return a == null ? 0 : a.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public synchronized void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : running) {
            t.join(15_000);
        }
        running.clear();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
