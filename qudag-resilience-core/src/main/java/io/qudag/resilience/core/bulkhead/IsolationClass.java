package io.qudag.resilience.core.bulkhead;

/**
 * The isolation classes of the bulkhead pattern (spec §1.3 "resource_isolation"). Each class has its
 * own bulkhead, so a saturated class never takes capacity from another. The pool sizes, priorities and
 * the spec's CPU and memory shares are the defaults; {@link IsolationBulkheadsConfig} overrides them.
 */
public enum IsolationClass {
    /** Operations the service cannot live without. */
    CRITICAL(50, IsolationPriority.HIGH, 0.40, 0.30),
    /** Ordinary user-facing operations. */
    USER(100, IsolationPriority.MEDIUM, 0.30, 0.40),
    /** Batch and maintenance work that may wait. */
    BACKGROUND(20, IsolationPriority.LOW, 0.20, 0.20),
    /** Operations that must run during an incident (failover, recovery, operator commands). */
    EMERGENCY(10, IsolationPriority.CRITICAL, 0.10, 0.10);

    private final int defaultPoolSize;
    private final IsolationPriority priority;
    private final double cpuShare;
    private final double memoryShare;

    IsolationClass(int defaultPoolSize, IsolationPriority priority, double cpuShare, double memoryShare) {
        this.defaultPoolSize = defaultPoolSize;
        this.priority = priority;
        this.cpuShare = cpuShare;
        this.memoryShare = memoryShare;
    }

    /** {@return the spec's thread pool size: the class's maximum number of concurrent calls} */
    public int defaultPoolSize() {
        return defaultPoolSize;
    }

    /** {@return the class's priority (spec: CRITICAL high, USER medium, BACKGROUND low, EMERGENCY critical)} */
    public IsolationPriority priority() {
        return priority;
    }

    /** {@return the spec's CPU allocation, as data (0..1); the JVM does not enforce it} */
    public double cpuShare() {
        return cpuShare;
    }

    /** {@return the spec's memory allocation, as data (0..1); the JVM does not enforce it} */
    public double memoryShare() {
        return memoryShare;
    }
}
