package io.qudag.resilience.core.plan;

import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.plan.spi.ClassificationRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Classifies incidents into {@link DisasterLevel}s (spec §4.3, "Disaster Classification") from the
 * signals the library already has. It keeps the latest {@link IncidentSignal} of every key and, after
 * each one, evaluates its rules over the failing ones; the graver level wins.
 *
 * <p>Rules and their builder defaults:
 * <ul>
 *   <li>an endpoint down: {@link DisasterLevel#COMPONENT_FAILURE};</li>
 *   <li>every known endpoint of one service down: {@link DisasterLevel#SERVICE_DISRUPTION};</li>
 *   <li>a breaker open, by its hierarchy level: APPLICATION and INFRASTRUCTURE 1, SERVICE 2,
 *       REGIONAL 3, GLOBAL 4;</li>
 *   <li>a region out (its REGIONAL breaker open, or every known endpoint in it down):
 *       {@link DisasterLevel#REGIONAL_DISASTER}; two regions out: {@link DisasterLevel#GLOBAL_CATASTROPHE};</li>
 *   <li>a failover tier partitioned: {@link DisasterLevel#REGIONAL_DISASTER}; every known tier out:
 *       {@link DisasterLevel#GLOBAL_CATASTROPHE};</li>
 *   <li>a health grade of CRITICAL: {@link DisasterLevel#COMPONENT_FAILURE};</li>
 *   <li>a corrupt journal: {@link DisasterLevel#SERVICE_DISRUPTION};</li>
 *   <li>a CUSTOM signal: the level it carries; and any extra {@link ClassificationRule}.</li>
 * </ul>
 * An endpoint, region or tier is known once any signal named it (up or down). Thread-safe; not a hot
 * path (one lock).
 */
public final class IncidentClassifier {

    private final DisasterLevel endpointDownLevel;
    private final DisasterLevel serviceDownLevel;
    private final Map<BreakerLevel, DisasterLevel> breakerLevels;
    private final DisasterLevel regionOutLevel;
    private final int regionsOutForGlobal;
    private final DisasterLevel tierPartitionedLevel;
    private final DisasterLevel allTiersOutLevel;
    private final Map<HealthGrade, DisasterLevel> healthLevels;
    private final DisasterLevel journalCorruptionLevel;
    private final List<ClassificationRule> rules;

    private final Object lock = new Object();
    private final Map<String, IncidentSignal> latest = new LinkedHashMap<>();

    private IncidentClassifier(Builder b) {
        this.endpointDownLevel = b.endpointDownLevel;
        this.serviceDownLevel = b.serviceDownLevel;
        this.breakerLevels = new EnumMap<>(b.breakerLevels);
        this.regionOutLevel = b.regionOutLevel;
        this.regionsOutForGlobal = b.regionsOutForGlobal;
        this.tierPartitionedLevel = b.tierPartitionedLevel;
        this.allTiersOutLevel = b.allTiersOutLevel;
        this.healthLevels = new EnumMap<>(b.healthLevels);
        this.journalCorruptionLevel = b.journalCorruptionLevel;
        this.rules = List.copyOf(b.rules);
    }

    /** {@return a builder with the spec's rules as defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a classifier with the default rules} */
    public static IncidentClassifier defaults() {
        return builder().build();
    }

    /**
     * Records {@code signal} as the current condition of its key and classifies all failing signals.
     *
     * @throws NullPointerException when {@code signal} is null
     * @param signal the observation
     * @return the level and the failing signals after this one
     */
    public Classification accept(IncidentSignal signal) {
        Objects.requireNonNull(signal, "signal");
        synchronized (lock) {
            IncidentSignal s = signal.kind() == IncidentSignal.Kind.HEALTH
                    ? signal.withFailing(healthLevels.get(signal.grade()) != null) : signal;
            IncidentSignal before = latest.put(s.key(), s);
            boolean newFailure = s.failing() && (before == null || !before.failing());
            Classification c = evaluate();
            return new Classification(c.level(), c.reasons(), newFailure && c.level() != null);
        }
    }

    /** {@return the classification of the signals recorded so far} */
    public Classification current() {
        synchronized (lock) {
            return evaluate();
        }
    }

    /** {@return the signals currently failing, one per key, in the order their keys were first seen} */
    public List<IncidentSignal> failing() {
        synchronized (lock) {
            return latest.values().stream().filter(IncidentSignal::failing).toList();
        }
    }

    /** Forgets every signal. */
    public void clear() {
        synchronized (lock) {
            latest.clear();
        }
    }

    private Classification evaluate() {
        List<Hit> hits = new ArrayList<>();
        Map<String, int[]> serviceCounts = new HashMap<>(); // [known, down]
        Map<String, int[]> regionCounts = new HashMap<>();
        Set<String> regionsOut = new TreeSet<>();
        int tiersKnown = 0;
        int tiersOut = 0;
        List<IncidentSignal> failing = new ArrayList<>();
        for (IncidentSignal s : latest.values()) {
            if (s.failing()) {
                failing.add(s);
            }
            switch (s.kind()) {
                case ENDPOINT -> {
                    if (s.service() != null) {
                        count(serviceCounts, s.service(), s.failing());
                    }
                    if (s.region() != null) {
                        count(regionCounts, s.region(), s.failing());
                    }
                    if (s.failing()) {
                        hit(hits, endpointDownLevel, "endpoint " + s.subject() + " down");
                    }
                }
                case BREAKER -> {
                    if (s.failing()) {
                        BreakerLevel bl = s.path().level();
                        hit(hits, breakerLevels.get(bl), bl + " breaker " + s.path() + " open");
                        if (bl == BreakerLevel.REGIONAL) {
                            regionsOut.add(s.path().id());
                        }
                    }
                }
                case TIER -> {
                    tiersKnown++;
                    if (s.failing()) {
                        tiersOut++;
                        hit(hits, tierPartitionedLevel, "tier " + s.subject() + " partitioned");
                    }
                }
                case HEALTH -> {
                    if (s.failing()) {
                        hit(hits, healthLevels.get(s.grade()), "health of " + s.subject() + " is " + s.grade());
                    }
                }
                case JOURNAL -> {
                    if (s.failing()) {
                        hit(hits, journalCorruptionLevel, "journal " + s.subject() + " corrupt");
                    }
                }
                case CUSTOM -> {
                    if (s.failing()) {
                        hit(hits, s.level(), s.detail().isEmpty() ? s.subject() + " failing" : s.detail());
                    }
                }
                default -> throw new IllegalStateException("unknown kind " + s.kind());
            }
        }
        serviceCounts.forEach((service, c) -> {
            if (c[1] > 0 && c[1] == c[0]) {
                hit(hits, serviceDownLevel, "all " + c[0] + " endpoint(s) of service " + service + " down");
            }
        });
        regionCounts.forEach((region, c) -> {
            if (c[1] > 0 && c[1] == c[0]) {
                regionsOut.add(region);
            }
        });
        for (String region : regionsOut) {
            hit(hits, regionOutLevel, "region " + region + " out");
        }
        if (regionsOut.size() >= regionsOutForGlobal) {
            hit(hits, DisasterLevel.GLOBAL_CATASTROPHE, regionsOut.size() + " regions out " + regionsOut);
        }
        if (tiersKnown > 0 && tiersOut == tiersKnown) {
            hit(hits, allTiersOutLevel, "every known tier (" + tiersKnown + ") out");
        }
        for (ClassificationRule rule : rules) {
            hit(hits, rule.classify(List.copyOf(failing)), "rule " + rule.name());
        }
        if (hits.isEmpty()) {
            return Classification.none();
        }
        hits.sort(Comparator.comparing(Hit::level).reversed());
        return new Classification(hits.get(0).level(), hits.stream().map(h -> "level " + h.level().number() + ": " + h.reason())
                .toList(), false);
    }

    private static void count(Map<String, int[]> counts, String key, boolean down) {
        int[] c = counts.computeIfAbsent(key, k -> new int[2]);
        c[0]++;
        if (down) {
            c[1]++;
        }
    }

    private static void hit(List<Hit> hits, DisasterLevel level, String reason) {
        if (level != null) {
            hits.add(new Hit(level, reason));
        }
    }

    private record Hit(DisasterLevel level, String reason) {
    }

    /** Builds an {@link IncidentClassifier}; a rule's level may be set to {@code null} to turn it off. */
    public static final class Builder {
        private DisasterLevel endpointDownLevel = DisasterLevel.COMPONENT_FAILURE;
        private DisasterLevel serviceDownLevel = DisasterLevel.SERVICE_DISRUPTION;
        private final Map<BreakerLevel, DisasterLevel> breakerLevels = new EnumMap<>(BreakerLevel.class);
        private DisasterLevel regionOutLevel = DisasterLevel.REGIONAL_DISASTER;
        private int regionsOutForGlobal = 2;
        private DisasterLevel tierPartitionedLevel = DisasterLevel.REGIONAL_DISASTER;
        private DisasterLevel allTiersOutLevel = DisasterLevel.GLOBAL_CATASTROPHE;
        private final Map<HealthGrade, DisasterLevel> healthLevels = new EnumMap<>(HealthGrade.class);
        private DisasterLevel journalCorruptionLevel = DisasterLevel.SERVICE_DISRUPTION;
        private final List<ClassificationRule> rules = new ArrayList<>();

        private Builder() {
            breakerLevels.put(BreakerLevel.GLOBAL, DisasterLevel.GLOBAL_CATASTROPHE);
            breakerLevels.put(BreakerLevel.REGIONAL, DisasterLevel.REGIONAL_DISASTER);
            breakerLevels.put(BreakerLevel.INFRASTRUCTURE, DisasterLevel.COMPONENT_FAILURE);
            breakerLevels.put(BreakerLevel.SERVICE, DisasterLevel.SERVICE_DISRUPTION);
            breakerLevels.put(BreakerLevel.APPLICATION, DisasterLevel.COMPONENT_FAILURE);
            healthLevels.put(HealthGrade.CRITICAL, DisasterLevel.COMPONENT_FAILURE);
        }

        /**
         * Level of one endpoint down; default 1.
         *
         * @param level non-null
         * @return this builder
         */
        public Builder endpointDownLevel(DisasterLevel level) { this.endpointDownLevel = level; return this; }
        /**
         * Level of every known endpoint of a service down; default 2.
         *
         * @param level non-null
         * @return this builder
         */
        public Builder serviceDownLevel(DisasterLevel level) { this.serviceDownLevel = level; return this; }

        /**
         * Level of an open breaker at {@code breakerLevel}; defaults GLOBAL 4, REGIONAL 3, SERVICE 2, others 1.
         *
         * @param breakerLevel the hierarchy level of the open breaker; non-null
         * @param level the disaster level it stands for
         * @return this builder
         */
        public Builder breakerLevel(BreakerLevel breakerLevel, DisasterLevel level) {
            if (breakerLevel == null) {
                throw new IllegalArgumentException("breakerLevel must not be null, was null");
            }
            breakerLevels.put(breakerLevel, level);
            return this;
        }

        /**
         * Level of one region out; default 3.
         *
         * @param level non-null
         * @return this builder
         */
        public Builder regionOutLevel(DisasterLevel level) { this.regionOutLevel = level; return this; }
        /**
         * How many regions out make a global catastrophe; default 2.
         *
         * @param regions {@code >= 1}
         * @return this builder
         */
        public Builder regionsOutForGlobal(int regions) { this.regionsOutForGlobal = regions; return this; }
        /**
         * Level of one failover tier partitioned; default 3.
         *
         * @param level non-null
         * @return this builder
         */
        public Builder tierPartitionedLevel(DisasterLevel level) { this.tierPartitionedLevel = level; return this; }
        /**
         * Level of every known tier out; default 4.
         *
         * @param level non-null
         * @return this builder
         */
        public Builder allTiersOutLevel(DisasterLevel level) { this.allTiersOutLevel = level; return this; }

        /**
         * Level of a subject at health grade {@code grade}; default CRITICAL 1, other grades none.
         *
         * @param grade the health grade; non-null
         * @param level the disaster level it stands for, or {@code null} for none
         * @return this builder
         */
        public Builder healthGradeLevel(HealthGrade grade, DisasterLevel level) {
            if (grade == null) {
                throw new IllegalArgumentException("grade must not be null, was null");
            }
            if (level == null) {
                healthLevels.remove(grade);
            } else {
                healthLevels.put(grade, level);
            }
            return this;
        }

        /**
         * Level of a corrupt journal; default 2.
         *
         * @param level non-null
         * @return this builder
         */
        public Builder journalCorruptionLevel(DisasterLevel level) { this.journalCorruptionLevel = level; return this; }

        /**
         * Adds a rule evaluated after the built-in ones.
         *
         * @param rule the rule; non-null
         * @return this builder
         */
        public Builder rule(ClassificationRule rule) {
            if (rule == null) {
                throw new IllegalArgumentException("rule must not be null, was null");
            }
            rules.add(rule);
            return this;
        }

        /**
         * Validates the settings and builds.
         *
         * @return the classifier, with no signal recorded
         * @throws IllegalArgumentException when {@code regionsOutForGlobal} is below 1
         */
        public IncidentClassifier build() {
            if (regionsOutForGlobal < 1) {
                throw new IllegalArgumentException("regionsOutForGlobal must be >= 1, was " + regionsOutForGlobal);
            }
            return new IncidentClassifier(this);
        }
    }
}
