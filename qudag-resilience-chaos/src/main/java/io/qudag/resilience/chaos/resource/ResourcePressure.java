package io.qudag.resilience.chaos.resource;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.FaultKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Resource exhaustion (spec §5.1 {@code resource_exhaustion}, {@code memory_leak_simulation}) as
 * {@link Fault}s, each with a hard cap checked when it is made, and everything released on heal:
 * <ul>
 *   <li>{@link #memory} — holds a number of bytes on the heap (at most half the maximum heap);</li>
 *   <li>{@link #saturate} — occupies threads of an executor with tasks that block until healed (at most
 *       1024 tasks);</li>
 *   <li>{@link #cpuBurn} — spins threads (at most the number of processors), each for at most a given
 *       time even if nobody heals it.</li>
 * </ul>
 */
public final class ResourcePressure {

    /** The hard cap of {@link #memory}: this share of {@link Runtime#maxMemory()}. */
    public static final double MAX_HEAP_SHARE = 0.5;
    /** The hard cap of {@link #saturate}. */
    public static final int MAX_SATURATING_TASKS = 1024;

    private ResourcePressure() {
    }

    /**
     * Holds {@code bytes} on the heap, in 1 MiB chunks, until healed.
     *
     * @param name        the fault's name
     * @param bytes       how much to hold
     * @param chaosSwitch the switch that must be armed
     * @return the fault
     */
    public static Fault memory(String name, long bytes, ChaosSwitch chaosSwitch) {
        long cap = (long) (Runtime.getRuntime().maxMemory() * MAX_HEAP_SHARE);
        if (bytes <= 0 || bytes > cap) {
            throw new IllegalArgumentException("bytes must be 1.." + cap + " (half the max heap), was " + bytes);
        }
        List<byte[]> held = new ArrayList<>();
        return Fault.of(name, FaultKind.RESOURCE_EXHAUSTION, "hold " + bytes + " bytes of heap", chaosSwitch, () -> {
            synchronized (held) {
                long left = bytes;
                while (left > 0) {
                    int chunk = (int) Math.min(left, 1 << 20);
                    byte[] b = new byte[chunk];
                    for (int i = 0; i < chunk; i += 4096) {
                        b[i] = 1; // touch every page
                    }
                    held.add(b);
                    left -= chunk;
                }
            }
        }, () -> {
            synchronized (held) {
                held.clear();
            }
        });
    }

    /**
     * Occupies {@code tasks} threads of {@code executor} until healed (the executor is not shut down).
     *
     * @param name        the fault's name
     * @param executor    the executor to occupy
     * @param tasks       how many threads to occupy, at most {@link #MAX_SATURATING_TASKS}
     * @param chaosSwitch the switch that must be armed
     * @return the fault
     */
    public static Fault saturate(String name, ExecutorService executor, int tasks, ChaosSwitch chaosSwitch) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null, was null");
        }
        if (tasks <= 0 || tasks > MAX_SATURATING_TASKS) {
            throw new IllegalArgumentException("tasks must be 1.." + MAX_SATURATING_TASKS + ", was " + tasks);
        }
        List<Future<?>> running = new ArrayList<>();
        CountDownLatch[] release = new CountDownLatch[1];
        return Fault.of(name, FaultKind.RESOURCE_EXHAUSTION, "occupy " + tasks + " threads of " + executor,
                chaosSwitch, () -> {
                    synchronized (running) {
                        release[0] = new CountDownLatch(1);
                        CountDownLatch latch = release[0];
                        for (int i = 0; i < tasks; i++) {
                            try {
                                running.add(executor.submit(() -> {
                                    latch.await();
                                    return null;
                                }));
                            } catch (RejectedExecutionException full) {
                                break; // already saturated
                            }
                        }
                    }
                }, () -> {
                    synchronized (running) {
                        release[0].countDown();
                        running.forEach(f -> f.cancel(true));
                        running.clear();
                    }
                });
    }

    /**
     * Spins {@code threads} daemon threads until healed, each for at most {@code maxMillis}.
     *
     * @param name        the fault's name
     * @param threads     how many threads spin
     * @param maxMillis   how long each spins at most
     * @param chaosSwitch the switch that must be armed
     * @return the fault
     */
    public static Fault cpuBurn(String name, int threads, long maxMillis, ChaosSwitch chaosSwitch) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (threads <= 0 || threads > cpus) {
            throw new IllegalArgumentException("threads must be 1.." + cpus + " (the processors), was " + threads);
        }
        if (maxMillis <= 0) {
            throw new IllegalArgumentException("maxMillis must be positive, was " + maxMillis);
        }
        List<Thread> burners = new ArrayList<>();
        AtomicBoolean[] stop = new AtomicBoolean[1];
        return Fault.of(name, FaultKind.RESOURCE_EXHAUSTION, "burn " + threads + " CPU(s) for at most " + maxMillis
                + " ms", chaosSwitch, () -> {
                    synchronized (burners) {
                        AtomicBoolean flag = new AtomicBoolean();
                        stop[0] = flag;
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
                        for (int i = 0; i < threads; i++) {
                            Thread t = new Thread(() -> {
                                long x = 0;
                                while (!flag.get() && System.nanoTime() < end) {
                                    x += x * 31 + 7;
                                }
                                if (x == 42) {
                                    System.out.print(""); // keeps the loop from being removed
                                }
                            }, "qudag-chaos-cpu-" + name + "-" + i);
                            t.setDaemon(true);
                            t.start();
                            burners.add(t);
                        }
                    }
                }, () -> {
                    synchronized (burners) {
                        stop[0].set(true);
                        for (Thread t : burners) {
                            t.join(5_000);
                        }
                        burners.clear();
                    }
                });
    }
}
