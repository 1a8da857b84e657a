package io.qudag.resilience.core.breaker;

import io.qudag.resilience.core.breaker.spi.FactorSignal;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Ready-made {@link FactorSignal}s for the adaptive threshold of spec §3.1 that need nothing but
 * core. Signals that need measurements (load, resources, network, history) come from the modules
 * that measure them.
 */
public final class FactorSignals {

    private FactorSignals() {
    }

    /**
     * {@return a {@link AdaptiveFactor#TIME_OF_DAY} signal: {@code peakTolerance} between {@code peakStart}
     * (inclusive) and {@code peakEnd} (exclusive) in {@code zone}, {@code offPeakTolerance} otherwise}
     * A window that wraps midnight (start after end) is allowed.
     *
     * @param clock tells the time
     * @param zone the time zone of the peak window
     * @param peakStart start of the peak window, inclusive
     * @param peakEnd end of the peak window, exclusive
     * @param peakTolerance the signal in the window, in [0, 1] (0 strict)
     * @param offPeakTolerance the signal outside it, in [0, 1]
     * @throws IllegalArgumentException naming the bad argument
     */
    public static FactorSignal timeOfDay(Clock clock, ZoneId zone, LocalTime peakStart, LocalTime peakEnd,
            double peakTolerance, double offPeakTolerance) {
        if (clock == null || zone == null || peakStart == null || peakEnd == null) {
            throw new IllegalArgumentException("clock, zone, peakStart and peakEnd must not be null, was "
                    + clock + ", " + zone + ", " + peakStart + ", " + peakEnd);
        }
        tolerance("peakTolerance", peakTolerance);
        tolerance("offPeakTolerance", offPeakTolerance);
        return () -> {
            LocalTime now = LocalTime.ofInstant(clock.instant(), zone);
            boolean peak = peakStart.isBefore(peakEnd)
                    ? !now.isBefore(peakStart) && now.isBefore(peakEnd)
                    : !now.isBefore(peakStart) || now.isBefore(peakEnd);
            return peak ? peakTolerance : offPeakTolerance;
        };
    }

    private static void tolerance(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1], was " + v);
        }
    }
}
