package io.qudag.resilience.mcp.internal;

/**
 * The adaptive liveness timeout of one endpoint, from its observed ping round trips, as TCP computes
 * its retransmission timeout (RFC 6298 §2): the first sample R sets {@code srtt = R},
 * {@code rttvar = R/2}; each later one sets {@code rttvar = 3/4·rttvar + 1/4·|srtt − R|} and then
 * {@code srtt = 7/8·srtt + 1/8·R}. The timeout is {@code srtt + 4·rttvar}, clamped to
 * [{@code floor}, {@code ceiling}]; before the first sample it is 1 s (RFC 6298 §2.1), clamped. Samples of pings that
 * went unanswered past the timeout are not fed (Karn's rule), so a freeze does not stretch the timeout
 * of the next one.
 *
 * <p>Pings are sent one at a time, so samples arrive one after another; the lock only orders them with
 * readers of the health snapshot (a few times a second, never on the call path).
 */
public final class RttEstimator {

    private final long floorNanos;
    private final long ceilingNanos;
    private double srtt = -1;
    private double rttvar;
    private volatile long timeoutNanos;
    private volatile long maxSampleNanos;

    public RttEstimator(long floorNanos, long ceilingNanos) {
        if (floorNanos <= 0 || ceilingNanos < floorNanos) {
            throw new IllegalArgumentException("floorNanos must be > 0 and <= ceilingNanos (" + ceilingNanos
                    + "), was " + floorNanos);
        }
        this.floorNanos = floorNanos;
        this.ceilingNanos = ceilingNanos;
        this.timeoutNanos = clamp(INITIAL_NANOS);
    }

    /** RFC 6298 §2.1: the timeout before the first sample, 1 s (clamped). */
    static final long INITIAL_NANOS = 1_000_000_000L;

    private long clamp(double nanos) {
        return (long) Math.max(floorNanos, Math.min(ceilingNanos, nanos));
    }

    /**
     * The peer went silent past the timeout (RFC 6298 §5.5): the timeout doubles (up to the ceiling) until
     * the next valid sample recomputes it, so a link slower than the timeout is suspected once, not on
     * every ping.
     */
    public synchronized void backoff() {
        timeoutNanos = clamp(2.0 * timeoutNanos);
    }

    /** Feeds one round-trip time; negative samples are ignored. */
    public synchronized void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        double r = rttNanos;
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
            srtt = 0.875 * srtt + 0.125 * r;
        }
        if (rttNanos > maxSampleNanos) {
            maxSampleNanos = rttNanos;
        }
        timeoutNanos = clamp(srtt + 4 * rttvar);
    }

    /** The current liveness timeout in nanoseconds, within [floor, ceiling]. */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /** The smoothed round-trip time in nanoseconds, or -1 before the first sample. */
    public synchronized double srttNanos() {
        return srtt;
    }

    /** The largest round trip fed so far (the detector's margin is the timeout minus this). */
    public long maxSampleNanos() {
        return maxSampleNanos;
    }
}
