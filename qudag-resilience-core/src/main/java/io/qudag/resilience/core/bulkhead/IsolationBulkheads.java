package io.qudag.resilience.core.bulkhead;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Resilience4j bulkhead per {@link IsolationClass} (spec §1.3 "bulkhead_isolation"). Each class
 * has its own permits, so a saturated class never takes capacity from another: when BACKGROUND is
 * full, CRITICAL still admits.
 *
 * <p>{@link #bulkhead(IsolationClass)} is the semaphore variant used by {@code ResiliencePipeline};
 * {@link #threadPoolBulkhead(IsolationClass)} is the thread-pool variant (created on first use) for
 * callers that want the work to run on the class's own threads. Close this object to stop those
 * threads.
 *
 * <p>Meters (when a registry is given): {@code qudag.resilience.bulkhead.available{class}} and
 * {@code qudag.resilience.bulkhead.rejected{class}}.
 */
public final class IsolationBulkheads implements AutoCloseable {

    private final String name;
    private final IsolationBulkheadsConfig config;
    private final Map<IsolationClass, Bulkhead> bulkheads = new EnumMap<>(IsolationClass.class);
    private final Map<IsolationClass, ThreadPoolBulkhead> threadPools = new EnumMap<>(IsolationClass.class);

    private IsolationBulkheads(String name, IsolationBulkheadsConfig config, MeterRegistry registry) {
        this.name = name;
        this.config = config;
        for (IsolationClass c : IsolationClass.values()) {
            Bulkhead bulkhead = Bulkhead.of(name + "-" + c.name().toLowerCase(java.util.Locale.ROOT),
                    BulkheadConfig.custom()
                            .maxConcurrentCalls(config.maxConcurrentCalls(c))
                            .maxWaitDuration(config.maxWait(c))
                            .build());
            bulkheads.put(c, bulkhead);
            if (registry != null) {
                Gauge.builder("qudag.resilience.bulkhead.available", bulkhead,
                                b -> b.getMetrics().getAvailableConcurrentCalls())
                        .tag("bulkhead", name).tag("class", c.name())
                        .description("Permits still free in this isolation class")
                        .register(registry);
                Counter rejected = Counter.builder("qudag.resilience.bulkhead.rejected")
                        .tag("bulkhead", name).tag("class", c.name())
                        .description("Calls refused because the isolation class was full")
                        .register(registry);
                bulkhead.getEventPublisher().onCallRejected(e -> rejected.increment());
            }
        }
    }

    /**
     * {@return bulkheads with the spec's defaults and no meters}
     *
     * @param name used in bulkhead names and metric tags; not blank
     */
    public static IsolationBulkheads ofDefaults(String name) {
        return of(name, IsolationBulkheadsConfig.defaults(), null);
    }

    /**
     * {@return one bulkhead per isolation class, sized by {@code config}}
     *
     * @param name     used in bulkhead names and metric tags
     * @param config   per-class limits
     * @param registry where to register meters, or {@code null} for none
     */
    public static IsolationBulkheads of(String name, IsolationBulkheadsConfig config, MeterRegistry registry) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + name);
        }
        return new IsolationBulkheads(name, Objects.requireNonNull(config, "config"), registry);
    }

    /** {@return the name used in bulkhead names and metric tags} */
    public String name() {
        return name;
    }

    /** {@return the per-class limits} */
    public IsolationBulkheadsConfig config() {
        return config;
    }

    /**
     * {@return the semaphore bulkhead of this class (for {@code ResiliencePipelineBuilder#bulkhead})}
     *
     * @param isolationClass the class
     */
    public Bulkhead bulkhead(IsolationClass isolationClass) {
        return bulkheads.get(isolationClass);
    }

    /**
     * {@return the thread-pool bulkhead of this class, created on first use with the class's pool size}
     *
     * @param isolationClass the class
     */
    public synchronized ThreadPoolBulkhead threadPoolBulkhead(IsolationClass isolationClass) {
        return threadPools.computeIfAbsent(isolationClass, c -> {
            int size = config.maxConcurrentCalls(c);
            return ThreadPoolBulkhead.of(name + "-" + c.name().toLowerCase(java.util.Locale.ROOT) + "-pool",
                    ThreadPoolBulkheadConfig.custom()
                            .coreThreadPoolSize(size)
                            .maxThreadPoolSize(size)
                            .queueCapacity(config.threadPoolQueueCapacity())
                            .build());
        });
    }

    /** Stops the threads of every thread-pool bulkhead created so far. */
    @Override
    public synchronized void close() {
        for (ThreadPoolBulkhead pool : threadPools.values()) {
            try {
                pool.close();
            } catch (Exception e) {
                // ThreadPoolBulkhead.close only shuts down its executor; nothing to recover.
            }
        }
        threadPools.clear();
    }
}
