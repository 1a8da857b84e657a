package io.qudag.resilience.core.breaker.internal;

/**
 * Deterministic admission of a share of calls (HALF_OPEN and RECOVERY of spec §3.1): attempt
 * {@code n} (0-based) is admitted when {@code ceil((n+1)·share) > ceil(n·share)}, so after {@code k}
 * attempts exactly {@code ceil(k·share)} were admitted, the first attempt always among them. Shares
 * are held in parts per million to keep the arithmetic exact.
 */
public final class ShareAdmission {

    /** Parts per million. */
    public static final long PPM = 1_000_000L;

    private ShareAdmission() {
    }

    /** {@code share} in ppm, at least 1, at most {@link #PPM}. */
    public static long toPpm(double share) {
        long ppm = (long) Math.ceil(share * PPM - 1e-6);
        return Math.max(1, Math.min(PPM, ppm));
    }

    /** Whether attempt {@code n} (0-based) is admitted at {@code ppm}. */
    public static boolean admits(long n, long ppm) {
        return admittedAmong(n + 1, ppm) > admittedAmong(n, ppm);
    }

    /** How many of the first {@code attempts} attempts are admitted at {@code ppm}. */
    public static long admittedAmong(long attempts, long ppm) {
        return (attempts * ppm + PPM - 1) / PPM;
    }
}
