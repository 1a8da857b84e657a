package io.qudag.resilience.benchmarks.health;

import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.history.MetricHistory;
import io.qudag.resilience.health.predict.IsolationForest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Costs of the health module (spec §2.1):
 * <ul>
 *   <li>{@code ingestSample}: one {@code HealthMonitoringSystem.record} (validation, 24 h history,
 *       core's sliding window, Holt forecaster, robust z-score, alert state); goal at least 1 M
 *       samples/s per thread (under 1,000 ns) and 0 B/op;</li>
 *   <li>{@code compositeScores1000Subjects}: {@code evaluate()} of 1,000 subjects with three metrics
 *       each (composite score, actions, early warnings); goal under 5 ms. No sample arrives between two
 *       calls, so subjects whose inputs did not change are served from their last result;</li>
 *   <li>{@code compositeScores1000SubjectsAllChanged}: the same {@code evaluate()} when every subject took a
 *       new sample of each metric since the last call (the clock 1 s later; the 3,000 {@code record} calls
 *       run in a per-invocation set-up, outside the measured time): every subject is evaluated in full;
 *       the realistic case for the 5 ms goal;</li>
 *   <li>{@code isolationForestScore}: scoring one point in a 100-tree forest; goal under 5 µs;</li>
 *   <li>{@code newSeriesHistory}: allocating one 24 h {@code MetricHistory}; with {@code -prof gc},
 *       {@code gc.alloc.rate.norm} is the memory of one series.</li>
 * </ul>
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests -Dmcp.npm.skip=true
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar HealthBenchmark -prof gc -f 1 -wi 3 -w 1 -i 3 -r 1 \
 *     -rff benchmarks/results/health.json -rf json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HealthBenchmark {

    private HealthMonitoringSystem ingest;
    private HealthMonitoringSystem thousand;
    private IsolationForest forest;
    private final double[] values = new double[1024];
    private final double[][] points = new double[1024][];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = 200 + 10 * r.nextGaussian();
            points[i] = new double[] {values[i], 10 * r.nextGaussian()};
        }
        ingest = HealthMonitoringSystem.builder().clock(Clock.systemUTC()).build();
        for (double v : values) {
            ingest.record("ep", MetricSpecs.RESPONSE_TIME_P95, v);
        }
        // 30 samples per series, 1 s apart (a stepped clock), so every forecaster is warmed up
        SteppedClock stepped = new SteppedClock();
        thousand = HealthMonitoringSystem.builder().clock(stepped).scoreWindow(Duration.ofHours(1)).build();
        for (int k = 0; k < 30; k++) {
            stepped.millis += 1000;
            for (int s = 0; s < 1000; s++) {
                String subject = "ep-" + s;
                thousand.record(subject, MetricSpecs.RESPONSE_TIME_P95, values[(s + k) & 1023]);
                thousand.record(subject, MetricSpecs.REQUEST_SUCCESS_RATE, 0.99);
                thousand.record(subject, MetricSpecs.CPU_UTILIZATION, 40);
            }
        }
        forest = IsolationForest.fit(points, 100, 256, 42);
    }

    /** A clock the set-up moves by hand. */
    static final class SteppedClock extends Clock {
        long millis = 1_767_225_600_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Benchmark
    public boolean ingestSample() {
        return ingest.record("ep", MetricSpecs.RESPONSE_TIME_P95, values[next++ & 1023]);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<?> compositeScores1000Subjects() {
        return thousand.evaluate();
    }

    /** A second 1,000-subject system whose subjects all take a new sample of each metric before every evaluation. */
    @State(Scope.Benchmark)
    public static class AllChanged {
        private final double[] values = new double[1024];
        private final String[] subjects = new String[1000];
        private SteppedClock stepped;
        private HealthMonitoringSystem system;
        private int k;

        @Setup(Level.Trial)
        public void setUp() {
            Random r = new Random(1);
            for (int i = 0; i < values.length; i++) {
                values[i] = 200 + 10 * r.nextGaussian();
            }
            for (int s = 0; s < subjects.length; s++) {
                subjects[s] = "ep-" + s;
            }
            stepped = new SteppedClock();
            system = HealthMonitoringSystem.builder().clock(stepped).scoreWindow(Duration.ofHours(1)).build();
            for (k = 0; k < 30; k++) {
                sampleAll();
            }
        }

        /** One new sample of each metric for every subject, 1 s after the previous ones. */
        @Setup(Level.Invocation)
        public void sampleAll() {
            stepped.millis += 1000;
            k++;
            for (int s = 0; s < subjects.length; s++) {
                system.record(subjects[s], MetricSpecs.RESPONSE_TIME_P95, values[(s + k) & 1023]);
                system.record(subjects[s], MetricSpecs.REQUEST_SUCCESS_RATE, 0.99);
                system.record(subjects[s], MetricSpecs.CPU_UTILIZATION, 40);
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<?> compositeScores1000SubjectsAllChanged(AllChanged state) {
        return state.system.evaluate();
    }

    @Benchmark
    public double isolationForestScore() {
        return forest.score(points[next++ & 1023]);
    }

    @Benchmark
    public MetricHistory newSeriesHistory() {
        return new MetricHistory();
    }
}
