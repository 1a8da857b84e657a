package io.qudag.resilience.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recovery objectives of one store (spec §4.1): the RTO and RPO its {@link RecoveryTier}
 * promises, and the RTO and RPO measured after each recovery, so a drill or an incident shows
 * whether the promise held. Thread-safe. (Not the disaster-recovery plan of spec §4.3, which the
 * core models; this is the data side of it.)
 */
public final class RecoveryObjectives {

    /**
     * One measured recovery.
     *
     * @param at          when it finished
     * @param measuredRto how long it took
     * @param measuredRpo the span of data it lost (the time between the last record before and the
     *                    first after a lost range; zero when nothing was lost)
     * @param records     records replayed
     * @param met         whether both objectives held
     */
    public record Measurement(Instant at, Duration measuredRto, Duration measuredRpo, long records, boolean met) {
    }

    private final String name;
    private final DataClass dataClass;
    private final RecoveryTier tier;
    private final List<Measurement> measurements = new CopyOnWriteArrayList<>();

    /**
     * Creates objectives with no measurement yet.
     *
     * @param name      what is recovered, not blank
     * @param dataClass the data's class
     * @param tier      the recovery tier whose RTO and RPO are expected
     * @throws IllegalArgumentException naming the field and value when one is missing or blank
     */
    public RecoveryObjectives(String name, DataClass dataClass, RecoveryTier tier) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
        }
        if (dataClass == null) {
            throw new IllegalArgumentException("dataClass must not be null, was null");
        }
        if (tier == null) {
            throw new IllegalArgumentException("tier must not be null, was null");
        }
        this.name = name;
        this.dataClass = dataClass;
        this.tier = tier;
    }

    /** {@return what is recovered} */
    public String name() {
        return name;
    }

    /** {@return the data's class} */
    public DataClass dataClass() {
        return dataClass;
    }

    /** {@return the recovery tier} */
    public RecoveryTier tier() {
        return tier;
    }

    /** {@return the tier's recovery time objective} */
    public Duration expectedRto() {
        return tier.rto();
    }

    /** {@return the tier's recovery point objective} */
    public Duration expectedRpo() {
        return tier.rpo();
    }

    /**
     * Records one recovery's measured objectives; returns the measurement.
     *
     * @param at          when the recovery committed
     * @param measuredRto how long it took
     * @param measuredRpo how much time of data it lost
     * @param records     records replayed
     * @return the measurement, with whether both objectives were met
     */
    public Measurement record(Instant at, Duration measuredRto, Duration measuredRpo, long records) {
        boolean met = measuredRto.compareTo(tier.rto()) <= 0 && measuredRpo.compareTo(tier.rpo()) <= 0;
        Measurement m = new Measurement(at, measuredRto, measuredRpo, records, met);
        measurements.add(m);
        return m;
    }

    /** {@return every measurement, oldest first} */
    public List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    /** {@return the newest measurement, or {@code null} before the first recovery} */
    public Measurement last() {
        return measurements.isEmpty() ? null : measurements.get(measurements.size() - 1);
    }

    @Override
    public String toString() {
        return "RecoveryObjectives{" + name + ", " + dataClass + ", " + tier + " (RTO " + tier.rto() + ", RPO "
                + tier.rpo() + "), measurements=" + measurements.size() + "}";
    }
}
