package io.qudag.resilience.health.source;

import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.spi.MetricSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalDouble;
import java.util.function.DoubleSupplier;

/**
 * System-dimension sources of spec §2.1 read from the JVM's management beans: CPU utilisation of the
 * machine (%) and heap utilisation (%). The first CPU-load reading of
 * {@code com.sun.management.OperatingSystemMXBean} is 0.0 (it has no earlier tick to compare with):
 * it is discarded, so the first sample is the second reading. A JVM without that bean reports CPU as
 * {@link MetricSource.State#UNSUPPORTED}.
 */
public final class SystemMetricSources {

    private SystemMetricSources() {
    }

    /** {@return machine CPU utilisation in % from the platform's OperatingSystemMXBean} */
    public static MetricSource cpu() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return cpu(sun::getCpuLoad);
        }
        return unsupported(MetricSpecs.CPU_UTILIZATION);
    }

    /**
     * {@return CPU utilisation in % from {@code load}, a reader of a 0..1 load (negative when unknown)} The first
     * reading is discarded.
     *
     * @param load reads the 0..1 load; negative when unknown
     */
    public static MetricSource cpu(DoubleSupplier load) {
        return new MetricSource() {
            private boolean first = true;

            @Override
            public String metric() {
                return MetricSpecs.CPU_UTILIZATION;
            }

            @Override
            public synchronized OptionalDouble sample() {
                double v = load.getAsDouble();
                if (first) {
                    first = false;
                    return OptionalDouble.empty();
                }
                if (!(v >= 0) || v > 1) {
                    return OptionalDouble.empty();
                }
                return OptionalDouble.of(v * 100);
            }

            @Override
            public String toString() {
                return "cpu";
            }
        };
    }

    /** {@return heap utilisation in %: used / max (or committed when max is undefined)} */
    public static MetricSource heap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return new MetricSource() {
            @Override
            public String metric() {
                return MetricSpecs.MEMORY_UTILIZATION;
            }

            @Override
            public OptionalDouble sample() {
                MemoryUsage u = memory.getHeapMemoryUsage();
                long max = u.getMax() > 0 ? u.getMax() : u.getCommitted();
                return max > 0 ? OptionalDouble.of(100.0 * u.getUsed() / max) : OptionalDouble.empty();
            }

            @Override
            public String toString() {
                return "heap";
            }
        };
    }

    /**
     * {@return a source of {@code metric} whose state is UNSUPPORTED}
     *
     * @param metric the metric's name
     */
    public static MetricSource unsupported(String metric) {
        return new MetricSource() {
            @Override
            public String metric() {
                return metric;
            }

            @Override
            public State state() {
                return State.UNSUPPORTED;
            }

            @Override
            public OptionalDouble sample() {
                return OptionalDouble.empty();
            }

            @Override
            public String toString() {
                return "unsupported " + metric;
            }
        };
    }

    /**
     * {@return a user-supplied gauge for {@code metric} (the business dimension: DAG operations per second,
     * satisfaction score)} A NaN reading is no sample.
     *
     * @param metric the metric's name
     * @param gauge reads the value; NaN for no sample
     */
    public static MetricSource gauge(String metric, DoubleSupplier gauge) {
        return new MetricSource() {
            @Override
            public String metric() {
                return metric;
            }

            @Override
            public OptionalDouble sample() {
                double v = gauge.getAsDouble();
                return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
            }

            @Override
            public String toString() {
                return "gauge " + metric;
            }
        };
    }
}
