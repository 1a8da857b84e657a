package io.qudag.resilience.benchmarks.health;

import io.github.resilience4j.core.metrics.Metrics;
import io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics;
import io.qudag.resilience.core.health.SlidingTimeWindow;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of recording one sample into a sliding time window (spec §1.2 evaluation windows):
 * {@link SlidingTimeWindow#record(double)} with and without the p95 histogram, against Resilience4j's
 * {@link SlidingTimeWindowMetrics} (the synchronized time window behind its time-based breakers), in the
 * same run, single-threaded and with two threads.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar SlidingTimeWindowBenchmark -prof gc \
 *     -rff benchmarks/results/sliding-time-window.json -rf json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SlidingTimeWindowBenchmark {

    private SlidingTimeWindow withP95;
    private SlidingTimeWindow withoutP95;
    private SlidingTimeWindowMetrics resilience4j;

    @Setup(Level.Trial)
    public void setUp() {
        Clock clock = Clock.systemUTC();
        withP95 = SlidingTimeWindow.of(Duration.ofSeconds(30), 10, clock, true);
        withoutP95 = SlidingTimeWindow.of(Duration.ofSeconds(30), 10, clock, false);
        resilience4j = new SlidingTimeWindowMetrics(30, clock);
    }

    /** Per-thread latency values so that the histogram sees a realistic spread. */
    @State(Scope.Thread)
    public static class Values {
        private final double[] values = new double[1024];
        private int next;

        @Setup(Level.Trial)
        public void fill() {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < values.length; i++) {
                values[i] = 5 + random.nextDouble() * 495; // 5..500 ms
            }
        }

        double next() {
            next = (next + 1) & 1023;
            return values[next];
        }
    }

    @Benchmark
    @Threads(1)
    public void recordWithP95(Values v) {
        withP95.record(v.next());
    }

    @Benchmark
    @Threads(1)
    public void recordWithoutP95(Values v) {
        withoutP95.record(v.next());
    }

    @Benchmark
    @Threads(1)
    public Object resilience4jRecord(Values v) {
        return resilience4j.record((long) v.next(), TimeUnit.MILLISECONDS, Metrics.Outcome.SUCCESS);
    }

    @Benchmark
    @Threads(2)
    public void recordWithP95TwoThreads(Values v) {
        withP95.record(v.next());
    }

    @Benchmark
    @Threads(2)
    public void recordWithoutP95TwoThreads(Values v) {
        withoutP95.record(v.next());
    }

    @Benchmark
    @Threads(2)
    public Object resilience4jRecordTwoThreads(Values v) {
        return resilience4j.record((long) v.next(), TimeUnit.MILLISECONDS, Metrics.Outcome.SUCCESS);
    }
}
