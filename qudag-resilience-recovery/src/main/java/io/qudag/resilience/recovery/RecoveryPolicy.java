package io.qudag.resilience.recovery;

import static io.qudag.resilience.recovery.internal.Checks.notNull;
import static io.qudag.resilience.recovery.internal.Checks.positive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Maps each {@link DataClass} to how its journal is kept (spec §4.1): the {@link RecoveryTier} whose
 * objectives it must meet, the journal {@link Durability}, and how often a snapshot is taken (which
 * bounds replay, hence the recovery time). Immutable; {@link #defaults()}:
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><th>class</th><th>tier</th><th>durability</th><th>snapshot every</th></tr>
 *   <tr><td>CRITICAL</td><td>HOT</td><td>SYNC</td><td>1 min</td></tr>
 *   <tr><td>IMPORTANT</td><td>WARM</td><td>GROUP_COMMIT</td><td>5 min</td></tr>
 *   <tr><td>STANDARD</td><td>COLD</td><td>GROUP_COMMIT</td><td>15 min</td></tr>
 *   <tr><td>ARCHIVAL</td><td>ARCHIVE</td><td>ASYNC</td><td>1 h</td></tr>
 * </table>
 */
public final class RecoveryPolicy {

    /**
     * What one data class gets.
     *
     * @param tier             the objectives it must meet
     * @param durability       how its journal acknowledges appends
     * @param snapshotInterval how often its state is snapshotted
     */
    public record ClassPolicy(RecoveryTier tier, Durability durability, Duration snapshotInterval) {
    }

    private static final RecoveryPolicy DEFAULTS = builder().build();

    private final Map<DataClass, ClassPolicy> policies;

    private RecoveryPolicy(Map<DataClass, ClassPolicy> policies) {
        this.policies = Collections.unmodifiableMap(new EnumMap<>(policies));
    }

    /**
     * {@return the spec's policy: CRITICAL hot and SYNC, IMPORTANT warm, STANDARD cold, ARCHIVAL archive and ASYNC}
     */
    public static RecoveryPolicy defaults() {
        return DEFAULTS;
    }

    /** {@return a builder that starts from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the policy of {@code dataClass}}
     *
     * @param dataClass the data class
     */
    public ClassPolicy policyFor(DataClass dataClass) {
        return policies.get(notNull("dataClass", dataClass));
    }

    /**
     * A journal builder for data of {@code dataClass} in {@code directory}, with its durability set.
     *
     * @param dataClass the data class
     * @param directory the journal's directory
     * @return the journal builder
     */
    public JournalConfig.Builder journalFor(DataClass dataClass, Path directory) {
        ClassPolicy p = policyFor(dataClass);
        return JournalConfig.builder(directory).durability(p.durability()).name(dataClass.name().toLowerCase());
    }

    /**
     * {@return a new set of objectives for data of {@code dataClass}, named {@code name}}
     *
     * @param name      what is recovered
     * @param dataClass the data class
     */
    public RecoveryObjectives objectivesFor(String name, DataClass dataClass) {
        return new RecoveryObjectives(name, dataClass, policyFor(dataClass).tier());
    }

    /** Builds a {@link RecoveryPolicy}; starts from the defaults. */
    public static final class Builder {
        private final Map<DataClass, ClassPolicy> policies = new EnumMap<>(DataClass.class);

        private Builder() {
            policies.put(DataClass.CRITICAL, new ClassPolicy(RecoveryTier.HOT, Durability.SYNC, Duration.ofMinutes(1)));
            policies.put(DataClass.IMPORTANT, new ClassPolicy(RecoveryTier.WARM, Durability.GROUP_COMMIT,
                    Duration.ofMinutes(5)));
            policies.put(DataClass.STANDARD, new ClassPolicy(RecoveryTier.COLD, Durability.GROUP_COMMIT,
                    Duration.ofMinutes(15)));
            policies.put(DataClass.ARCHIVAL, new ClassPolicy(RecoveryTier.ARCHIVE, Durability.ASYNC, Duration.ofHours(1)));
        }

        /**
         * Sets the policy of one data class (validated by {@link #build()}).
         *
         * @param dataClass        the data class
         * @param tier             its recovery tier
         * @param durability       its journal's durability
         * @param snapshotInterval how often its state is snapshotted
         * @return this builder
         */
        public Builder policy(DataClass dataClass, RecoveryTier tier, Durability durability, Duration snapshotInterval) {
            policies.put(notNull("dataClass", dataClass), new ClassPolicy(tier, durability, snapshotInterval));
            return this;
        }

        /**
         * Validates: every field set; the snapshot interval positive and not longer than the tier's
         * RTO allows replay to catch up on (at most 120 × the RTO); a CRITICAL class never ASYNC.
         *
         * @return the policy
         * @throws IllegalArgumentException naming the field and value when one is missing or out of range
         */
        public RecoveryPolicy build() {
            for (Map.Entry<DataClass, ClassPolicy> e : policies.entrySet()) {
                String f = e.getKey().name();
                ClassPolicy p = e.getValue();
                notNull(f + ".tier", p.tier());
                notNull(f + ".durability", p.durability());
                positive(f + ".snapshotInterval", p.snapshotInterval());
                if (p.snapshotInterval().compareTo(p.tier().rto().multipliedBy(120)) > 0) {
                    throw new IllegalArgumentException(f + ".snapshotInterval must be at most 120 x the " + p.tier()
                            + " RTO (" + p.tier().rto().multipliedBy(120) + "), was " + p.snapshotInterval());
                }
                if (e.getKey() == DataClass.CRITICAL && p.durability() == Durability.ASYNC) {
                    throw new IllegalArgumentException("CRITICAL.durability must be SYNC or GROUP_COMMIT (critical data is"
                            + " backed up in real time), was ASYNC");
                }
            }
            return new RecoveryPolicy(policies);
        }
    }
}
