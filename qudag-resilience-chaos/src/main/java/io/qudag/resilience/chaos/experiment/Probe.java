package io.qudag.resilience.chaos.experiment;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Supplier;

/**
 * One measurement of the steady-state hypothesis (spec §5.1, monitoring and observation) with its
 * tolerance: a health score (0–100), an error rate (0–1), a p95 latency (milliseconds), or anything
 * custom. A probe that throws reads as NaN, which no tolerance accepts.
 */
public final class Probe {

    /** What a probe measures; decides the unit shown in reports. */
    public enum Kind {
        /** A health score, 0–100. */
        HEALTH_SCORE,
        /** An error rate, 0–1. */
        ERROR_RATE,
        /** A p95 latency, in milliseconds. */
        P95_LATENCY,
        /** Anything else, in its own unit. */
        CUSTOM
    }

    private final String name;
    private final Kind kind;
    private final DoubleSupplier measure;
    private final Tolerance tolerance;
    private final String unit;

    private Probe(String name, Kind kind, DoubleSupplier measure, Tolerance tolerance, String unit) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("probe name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
        }
        this.name = name;
        this.kind = kind;
        this.measure = Objects.requireNonNull(measure, "measure");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.unit = unit;
    }

    /**
     * {@return a health score (0–100) that must stay at or above {@code min}}
     *
     * @param name  the probe's name, not blank
     * @param score reads the score
     * @param min   the lowest acceptable score, 0–100
     */
    public static Probe healthScore(String name, DoubleSupplier score, double min) {
        if (!(min >= 0 && min <= 100)) {
            throw new IllegalArgumentException("health score min must be 0-100, was " + min);
        }
        return new Probe(name, Kind.HEALTH_SCORE, score, Tolerance.atLeast(min), "score");
    }

    /**
     * {@return an error rate (0–1) that must stay at or below {@code max}}
     *
     * @param name the probe's name, not blank
     * @param rate reads the rate
     * @param max  the highest acceptable rate, 0–1
     */
    public static Probe errorRate(String name, DoubleSupplier rate, double max) {
        if (!(max >= 0 && max <= 1)) {
            throw new IllegalArgumentException("error rate max must be between 0 and 1, was " + max);
        }
        return new Probe(name, Kind.ERROR_RATE, rate, Tolerance.atMost(max), "ratio");
    }

    /**
     * {@return a p95 latency that must stay at or below {@code max}}
     *
     * @param name the probe's name, not blank
     * @param p95  reads the latency
     * @param max  the highest acceptable latency, positive
     */
    public static Probe p95Latency(String name, Supplier<Duration> p95, Duration max) {
        if (max == null || max.isZero() || max.isNegative()) {
            throw new IllegalArgumentException("p95 latency max must be positive, was " + max);
        }
        Objects.requireNonNull(p95, "p95");
        return new Probe(name, Kind.P95_LATENCY, () -> p95.get().toNanos() / 1e6,
                Tolerance.atMost(max.toNanos() / 1e6), "ms");
    }

    /**
     * {@return a probe of anything measurable with its own tolerance and unit}
     *
     * @param name      the probe's name, not blank
     * @param measure   reads the value
     * @param tolerance the acceptable values
     * @param unit      the unit shown in reports, or {@code null} for none
     */
    public static Probe custom(String name, DoubleSupplier measure, Tolerance tolerance, String unit) {
        return new Probe(name, Kind.CUSTOM, measure, tolerance, unit == null ? "" : unit);
    }

    /** {@return the probe's name} */
    public String name() {
        return name;
    }

    /** {@return what the probe measures} */
    public Kind kind() {
        return kind;
    }

    /** {@return the acceptable values} */
    public Tolerance tolerance() {
        return tolerance;
    }

    /** {@return the unit shown in reports} */
    public String unit() {
        return unit;
    }

    /**
     * {@return this probe (same name, kind, tolerance and unit), also handing every reading to {@code observer} —
     * e.g. to feed a disaster-recovery plan what the probe sees} An observer that throws is ignored.
     *
     * @param observer receives the probe and each reading
     */
    public Probe observedBy(ObjDoubleConsumer<Probe> observer) {
        Objects.requireNonNull(observer, "observer");
        Probe self = this;
        return new Probe(name, kind, () -> {
            double v = self.measure();
            try {
                observer.accept(self, v);
            } catch (RuntimeException ignored) {
                // an observer never changes the reading
            }
            return v;
        }, tolerance, unit);
    }

    /**
     * Measures now; NaN when the measurement failed.
     *
     * @return the reading, or NaN
     */
    public double measure() {
        try {
            return measure.getAsDouble();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
