package io.qudag.resilience.failover.internal;

import java.time.Clock;
import org.HdrHistogram.Histogram;

/**
 * Interim indicator windows (until the core health package lands): per-second buckets over the
 * longest window, guarded by a monitor. To be replaced by core.health.HealthMonitor.
 */
final class InterimEndpointMetrics implements EndpointMetrics {

    private static final int SECONDS = 300;
    private final Clock clock;
    private final long[] epoch = new long[SECONDS];
    private final long[] count = new long[SECONDS];
    private final long[] fails = new long[SECONDS];
    private final long[] connFails = new long[SECONDS];
    private final Histogram[] hist = new Histogram[SECONDS];
    private final double[][] resSum = new double[3][SECONDS];
    private final long[][] resCount = new long[3][SECONDS];

    InterimEndpointMetrics(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < SECONDS; i++) {
            hist[i] = new Histogram(3_600_000_000L, 2);
            epoch[i] = -1;
        }
    }

    private int slot(long sec) {
        int i = (int) (sec % SECONDS);
        if (epoch[i] != sec) {
            epoch[i] = sec;
            count[i] = 0;
            fails[i] = 0;
            connFails[i] = 0;
            hist[i].reset();
            for (int k = 0; k < 3; k++) {
                resSum[k][i] = 0;
                resCount[k][i] = 0;
            }
        }
        return i;
    }

    @Override
    public synchronized void recordCall(long durationNanos, boolean failure, boolean connectionFailure) {
        int i = slot(clock.millis() / 1000);
        count[i]++;
        if (failure) {
            fails[i]++;
        }
        if (connectionFailure) {
            connFails[i]++;
        }
        hist[i].recordValue(Math.max(0, Math.min(durationNanos / 1000, 3_600_000_000L)));
    }

    @Override
    public synchronized void recordResource(String metric, double value) {
        int k = switch (metric) {
            case CPU -> 0;
            case MEMORY -> 1;
            case DISK_IO_WAIT -> 2;
            default -> throw new IllegalArgumentException("metric must be one of " + CPU + ", " + MEMORY + ", "
                    + DISK_IO_WAIT + ", was " + metric);
        };
        int i = slot(clock.millis() / 1000);
        resSum[k][i] += value;
        resCount[k][i]++;
    }

    @Override
    public synchronized Reading read() {
        long now = clock.millis() / 1000;
        Histogram h = new Histogram(3_600_000_000L, 2);
        long rc = 0;
        long ec = 0;
        long ef = 0;
        long cc = 0;
        long cf = 0;
        double[] rs = new double[3];
        long[] rn = new long[3];
        for (int i = 0; i < SECONDS; i++) {
            long age = now - epoch[i];
            if (epoch[i] < 0 || age < 0 || age >= SECONDS) {
                continue;
            }
            if (age < 30) {
                rc += count[i];
                h.add(hist[i]);
            }
            if (age < 60) {
                ec += count[i];
                ef += fails[i];
            }
            if (age < 120) {
                cc += count[i];
                cf += connFails[i];
            }
            for (int k = 0; k < 3; k++) {
                rs[k] += resSum[k][i];
                rn[k] += resCount[k][i];
            }
        }
        double p95 = rc == 0 ? Double.NaN : h.getValueAtPercentile(95) / 1000.0;
        double er = ec == 0 ? Double.NaN : (double) ef / ec;
        double cs = cc == 0 ? Double.NaN : 1.0 - (double) cf / cc;
        return new Reading(rc, p95, rc / 30.0, ec, er, cc, cs, rn[0] == 0 ? Double.NaN : rs[0] / rn[0],
                rn[1] == 0 ? Double.NaN : rs[1] / rn[1], rn[2] == 0 ? Double.NaN : rs[2] / rn[2], Double.NaN);
    }
}
