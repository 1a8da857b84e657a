package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.health.source.DiskStatsSource;
import io.qudag.resilience.health.source.MicrometerSources;
import io.qudag.resilience.health.source.SystemMetricSources;
import io.qudag.resilience.health.spi.MetricSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void firstCpuReadingIsDiscarded() {
        double[] loads = {0.0, 0.42, -1.0, 0.9};
        AtomicInteger i = new AtomicInteger();
        MetricSource cpu = SystemMetricSources.cpu(() -> loads[i.getAndIncrement()]);
        assertThat(cpu.sample()).isEmpty();
        assertThat(cpu.sample().getAsDouble()).isCloseTo(42.0, within(1e-9));
        assertThat(cpu.sample()).as("unknown load is no sample").isEmpty();
        assertThat(cpu.sample().getAsDouble()).isCloseTo(90.0, within(1e-9));
    }

    @Test
    void realJmxSourcesGiveUtilisationInPercent() {
        MetricSource heap = SystemMetricSources.heap();
        assertThat(heap.sample().getAsDouble()).isBetween(0.0, 100.0);
        MetricSource cpu = SystemMetricSources.cpu();
        assertThat(cpu.metric()).isEqualTo(MetricSpecs.CPU_UTILIZATION);
        assertThat(cpu.sample()).isEmpty(); // the first one is discarded
    }

    @Test
    void diskStatsGiveIopsAndLatencyOfTheIntervalSkippingPartitions(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("diskstats");
        Files.writeString(f, line("sda", 100, 50, 200, 100) + line("sda1", 100, 50, 200, 100)
                + line("loop0", 9, 9, 9, 9) + line("nvme0n1", 0, 0, 0, 0));
        DiskStatsSource disk = DiskStatsSource.of(f, clock);
        MetricSource iops = disk.iops();
        MetricSource latency = disk.latency();
        assertThat(iops.state()).isEqualTo(MetricSource.State.AVAILABLE);
        assertThat(iops.sample()).as("baseline").isEmpty();
        assertThat(latency.sample()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        // sda: +1000 reads costing 3000 ms, +1000 writes costing 1000 ms; nvme0n1: +500 reads costing 500 ms
        Files.writeString(f, line("sda", 1100, 3050, 1200, 1100) + line("sda1", 1100, 3050, 1200, 1100)
                + line("loop0", 99999, 99999, 99999, 99999) + line("nvme0n1", 500, 500, 0, 0));
        assertThat(iops.sample().getAsDouble()).isCloseTo(250.0, within(1e-9));
        assertThat(latency.sample().getAsDouble()).isCloseTo(4500.0 / 2500, within(1e-9));
    }

    private static String line(String dev, long reads, long readMs, long writes, long writeMs) {
        return String.format("   8       0 %s %d 0 0 %d %d 0 0 %d 0 0 0%n", dev, reads, readMs, writes, writeMs);
    }

    @Test
    void missingDiskStatsIsUnsupportedAndNeverSampled(@TempDir Path dir) {
        HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock).build();
        DiskStatsSource disk = DiskStatsSource.of(dir.resolve("absent"), clock);
        system.addSource("host", disk.iops());
        system.addSource("host", disk.latency());
        assertThat(disk.supported()).isFalse();
        assertThat(system.collect()).isZero();
        assertThat(system.sourceStates().get("host")).containsEntry(MetricSpecs.DISK_IOPS, MetricSource.State.UNSUPPORTED)
                .containsEntry(MetricSpecs.DISK_LATENCY, MetricSource.State.UNSUPPORTED);
        assertThat(system.history("host", MetricSpecs.DISK_IOPS)).isEmpty();
        assertThat(system.health("host").status()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void applicationMetricsComeFromTheLibrarysOwnMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Timer ok = Timer.builder(MicrometerSources.DEFAULT_CALLS).tag("endpoint", "a").tag("tool", "t")
                .tag("outcome", "SUCCESS").register(registry);
        Timer toolError = Timer.builder(MicrometerSources.DEFAULT_CALLS).tag("endpoint", "a").tag("tool", "t")
                .tag("outcome", "TOOL_ERROR").register(registry);
        Timer timeout = Timer.builder(MicrometerSources.DEFAULT_CALLS).tag("endpoint", "a").tag("tool", "t")
                .tag("outcome", "TIMEOUT").register(registry);
        Timer other = Timer.builder(MicrometerSources.DEFAULT_CALLS).tag("endpoint", "b").tag("tool", "t")
                .tag("outcome", "TIMEOUT").register(registry);
        Timer duration = Timer.builder(MicrometerSources.DEFAULT_DURATION).tag("pipeline", "p")
                .publishPercentiles(0.95).register(registry);
        AtomicInteger inflight = new AtomicInteger(7);
        Gauge.builder(MicrometerSources.DEFAULT_INFLIGHT, inflight, AtomicInteger::get).tag("endpoint", "a")
                .register(registry);

        MetricSource rate = MicrometerSources.successRate(registry, "a");
        MetricSource p95 = MicrometerSources.p95(registry, "p");
        MetricSource conns = MicrometerSources.activeConnections(registry, "a");
        assertThat(rate.sample()).as("no calls yet").isEmpty();
        for (int i = 0; i < 18; i++) {
            ok.record(10, TimeUnit.MILLISECONDS);
        }
        toolError.record(10, TimeUnit.MILLISECONDS); // the tool's business: not a server failure
        timeout.record(10, TimeUnit.MILLISECONDS);
        other.record(10, TimeUnit.MILLISECONDS);
        assertThat(rate.sample().getAsDouble()).isCloseTo(0.95, within(1e-9));
        for (int i = 0; i < 10; i++) {
            ok.record(10, TimeUnit.MILLISECONDS);
        }
        assertThat(rate.sample().getAsDouble()).as("only the new interval").isCloseTo(1.0, within(1e-9));
        assertThat(rate.sample()).isEmpty();

        for (int i = 1; i <= 100; i++) {
            duration.record(i, TimeUnit.MILLISECONDS);
        }
        assertThat(p95.sample().getAsDouble()).isBetween(90.0, 100.0);
        assertThat(conns.sample().getAsDouble()).isEqualTo(7.0);
    }

    @Test
    void anMcpEndpointsResponseTimeComesFromItsResponsivenessTimer_asTheIntervalMeanWithoutPercentiles() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Timer a = Timer.builder(MicrometerSources.DEFAULT_RESPONSE_TIME).tag("endpoint", "a").register(registry);
        Timer b = Timer.builder(MicrometerSources.DEFAULT_RESPONSE_TIME).tag("endpoint", "b").register(registry);
        MetricSource source = MicrometerSources.responseTimeP95(registry, "a");
        assertThat(source.metric()).isEqualTo(MetricSpecs.RESPONSE_TIME_P95);
        assertThat(source.sample()).as("no calls yet").isEmpty();
        a.record(100, TimeUnit.MILLISECONDS);
        a.record(300, TimeUnit.MILLISECONDS);
        b.record(5_000, TimeUnit.MILLISECONDS); // another endpoint
        assertThat(source.sample().getAsDouble()).isCloseTo(200.0, within(1e-6));
        a.record(40, TimeUnit.MILLISECONDS);
        assertThat(source.sample().getAsDouble()).as("only the new interval").isCloseTo(40.0, within(1e-6));
        assertThat(source.sample()).isEmpty();
    }

    @Test
    void businessGaugesAreCollectedAtTheirInterval() {
        double[] ops = {150};
        HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock)
                .source("dag", SystemMetricSources.gauge(MetricSpecs.DAG_OPERATIONS_PER_SECOND, () -> ops[0])).build();
        assertThat(system.collect()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(system.collect()).as("interval is 10 s").isZero();
        clock.advance(Duration.ofSeconds(5));
        ops[0] = 40;
        assertThat(system.collect()).isEqualTo(1);
        assertThat(system.alertLevel("dag", MetricSpecs.DAG_OPERATIONS_PER_SECOND)).isEqualTo(AlertLevel.CRITICAL);
        assertThat(system.history("dag", MetricSpecs.DAG_OPERATIONS_PER_SECOND).orElseThrow().sampleCount()).isEqualTo(2);
    }
}
