package io.qudag.resilience.health.source;

import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.spi.MetricSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Disk I/O of spec §2.1 ({@code disk_io_performance}) from Linux's {@code /proc/diskstats}: operations
 * per second and mean latency per operation (ms) over the interval between two readings, summed over
 * whole disks (loop, ram and optical devices and partitions are left out, so nothing is counted
 * twice). Where the file does not exist (macOS, Windows) both sources are
 * {@link MetricSource.State#UNSUPPORTED}: no fake 0.
 *
 * <p>The two metrics share one reader: {@link #iops()} reads the file and {@link #latency()} returns
 * the latency of the same interval. The first reading only sets the baseline (no sample).
 */
public final class DiskStatsSource {

    /** The Linux path. */
    public static final Path PROC_DISKSTATS = Path.of("/proc/diskstats");

    private static final Pattern SKIPPED = Pattern.compile(
            "(loop|ram|sr|fd|zram)\\d+|sd[a-z]+\\d+|vd[a-z]+\\d+|xvd[a-z]+\\d+|hd[a-z]+\\d+|nvme\\d+n\\d+p\\d+|mmcblk\\d+p\\d+");

    private final Path path;
    private final Clock clock;
    private final boolean supported;
    private long lastOps = -1;
    private long lastMillis;
    private long lastAtMillis;
    private double lastLatency = Double.NaN;

    private DiskStatsSource(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
        this.supported = Files.isReadable(path);
    }

    /**
     * {@return the source reading {@link #PROC_DISKSTATS}}
     *
     * @param clock measures the interval between two reads
     */
    public static DiskStatsSource linux(Clock clock) {
        return new DiskStatsSource(PROC_DISKSTATS, clock);
    }

    /**
     * {@return a source reading a file in the diskstats format at {@code path} (tests, containers)}
     *
     * @param path the file to read
     * @param clock measures the interval between two reads
     */
    public static DiskStatsSource of(Path path, Clock clock) {
        if (path == null || clock == null) {
            throw new IllegalArgumentException("path and clock must not be null, were " + path + ", " + clock);
        }
        return new DiskStatsSource(path, clock);
    }

    /** {@return whether the file exists and is readable} */
    public boolean supported() {
        return supported;
    }

    /** {@return a source of operations per second ({@link MetricSpecs#DISK_IOPS}); reading it advances the interval} */
    public MetricSource iops() {
        return new Source(MetricSpecs.DISK_IOPS, true);
    }

    /** {@return mean latency per operation in ms ({@link MetricSpecs#DISK_LATENCY}) of the last interval} */
    public MetricSource latency() {
        return new Source(MetricSpecs.DISK_LATENCY, false);
    }

    private synchronized OptionalDouble readIops() {
        long[] totals = totals();
        long now = clock.millis();
        OptionalDouble out = OptionalDouble.empty();
        if (lastOps >= 0 && now > lastAtMillis && totals[0] >= lastOps) {
            long ops = totals[0] - lastOps;
            long ms = totals[1] - lastMillis;
            out = OptionalDouble.of(ops * 1000.0 / (now - lastAtMillis));
            lastLatency = ops == 0 ? 0.0 : (double) ms / ops;
        }
        lastOps = totals[0];
        lastMillis = totals[1];
        lastAtMillis = now;
        return out;
    }

    private synchronized OptionalDouble readLatency() {
        return Double.isNaN(lastLatency) ? OptionalDouble.empty() : OptionalDouble.of(lastLatency);
    }

    /** {total completed reads+writes, total ms spent reading+writing}. */
    private long[] totals() {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
        long ops = 0;
        long ms = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 11 || SKIPPED.matcher(f[2]).matches() || f[2].startsWith("dm-")) {
                continue;
            }
            ops += Long.parseLong(f[3]) + Long.parseLong(f[7]);
            ms += Long.parseLong(f[6]) + Long.parseLong(f[10]);
        }
        return new long[] {ops, ms};
    }

    private final class Source implements MetricSource {
        private final String metric;
        private final boolean iops;

        Source(String metric, boolean iops) {
            this.metric = metric;
            this.iops = iops;
        }

        @Override
        public String metric() {
            return metric;
        }

        @Override
        public State state() {
            return supported ? State.AVAILABLE : State.UNSUPPORTED;
        }

        @Override
        public OptionalDouble sample() {
            if (!supported) {
                return OptionalDouble.empty();
            }
            return iops ? readIops() : readLatency();
        }

        @Override
        public String toString() {
            return "diskstats " + metric + " (" + path + ")";
        }
    }
}
