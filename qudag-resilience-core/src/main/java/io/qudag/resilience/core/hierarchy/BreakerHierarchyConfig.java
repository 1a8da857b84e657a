package io.qudag.resilience.core.hierarchy;

import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.internal.Limits;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable configuration of a {@link BreakerHierarchy}: the escalation rules of spec §3.2 with the
 * spec's defaults, the pacing of bottom-up recovery, and one {@link AdaptiveBreakerConfig} per level.
 *
 * <ul>
 *   <li><b>Regional escalation</b>: when {@link #regionalServiceThreshold()} (3) or more SERVICE
 *       breakers below one region are OPEN or FORCED_OPEN, the region's breaker opens and is held for
 *       {@link #regionalEscalationOpenDuration()} (30 s); then staged recovery starts.</li>
 *   <li><b>Sustained regional opening</b>: a regional breaker that has been OPEN or HALF_OPEN for
 *       {@link #regionalSustainedOpen()} (5 min) since it was last CLOSED (its RECOVERY ramp does not
 *       count; relapses add up) proposes opening the global breaker; the approval gate decides.
 *       Approved: the global breaker is held open for {@link #globalOpenDuration()}. A proposal still
 *       pending when the region closes is withdrawn.</li>
 *   <li><b>Cascading failure</b>: within {@link #cascadeWindow()} (60 s), the regional breakers of at
 *       least {@link #cascadeRegionThreshold()} (2) distinct regions opened, or at least
 *       {@link #cascadeBreakerThreshold()} (10) distinct breakers at SERVICE level or above (below GLOBAL)
 *       opened: the failure spread across services. Tool breakers do not count. The global
 *       breaker opens at once, without approval, held for {@link #emergencyOpenDuration()}.</li>
 *   <li><b>Bottom-up recovery</b>: when a hold expires, OPEN descendants are validated by the health
 *       check and released to HALF_OPEN level by level, deepest first, one level per
 *       {@link #recoveryStageInterval()} (10 s); the held node is released last. A failed check or a
 *       released node that opened again rolls the recovery back and re-arms the hold.</li>
 *   <li><b>Counting levels</b>: levels in {@link #countingLevels()} (SERVICE, APPLICATION) count every
 *       outcome and trip on their own; the others count only while they are not CLOSED, so they open
 *       by escalation (or an operator) and are validated by traffic while recovering.</li>
 *   <li><b>Bounded size</b>: a node routes to at most {@link #maxChildrenPerNode()} (1,000) children; a
 *       call whose path would add one more (tool names made up by a model, say) is guarded by the
 *       path above it, so memory and meters stay bounded whatever the calls carry.</li>
 * </ul>
 */
public final class BreakerHierarchyConfig {

    private static final BreakerHierarchyConfig DEFAULTS = builder().build();

    private final int regionalServiceThreshold;
    private final Duration regionalEscalationOpenDuration;
    private final Duration regionalSustainedOpen;
    private final Duration globalOpenDuration;
    private final Duration cascadeWindow;
    private final int cascadeRegionThreshold;
    private final int cascadeBreakerThreshold;
    private final Duration emergencyOpenDuration;
    private final Duration recoveryStageInterval;
    private final Set<BreakerLevel> countingLevels;
    private final int maxChildrenPerNode;
    private final Map<BreakerLevel, AdaptiveBreakerConfig> levelConfigs;

    private BreakerHierarchyConfig(Builder b) {
        this.regionalServiceThreshold = b.regionalServiceThreshold;
        this.regionalEscalationOpenDuration = b.regionalEscalationOpenDuration;
        this.regionalSustainedOpen = b.regionalSustainedOpen;
        this.globalOpenDuration = b.globalOpenDuration;
        this.cascadeWindow = b.cascadeWindow;
        this.cascadeRegionThreshold = b.cascadeRegionThreshold;
        this.cascadeBreakerThreshold = b.cascadeBreakerThreshold;
        this.emergencyOpenDuration = b.emergencyOpenDuration;
        this.recoveryStageInterval = b.recoveryStageInterval;
        this.maxChildrenPerNode = b.maxChildrenPerNode;
        this.countingLevels = Collections.unmodifiableSet(b.countingLevels.isEmpty()
                ? EnumSet.noneOf(BreakerLevel.class) : EnumSet.copyOf(b.countingLevels));
        this.levelConfigs = Collections.unmodifiableMap(new EnumMap<>(b.levelConfigs));
    }

    /** {@return the spec defaults (the shared instance)} */
    public static BreakerHierarchyConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the spec defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return SERVICE breakers open in one region that open the region; spec 3} */
    public int regionalServiceThreshold() { return regionalServiceThreshold; }
    /** {@return how long an escalated region is held open; spec 30 s} */
    public Duration regionalEscalationOpenDuration() { return regionalEscalationOpenDuration; }
    /** {@return how long a region must be OPEN or HALF_OPEN in one episode before the global breaker is proposed; spec 5 min} */
    public Duration regionalSustainedOpen() { return regionalSustainedOpen; }
    /** {@return how long an approved global opening holds; default 60 s} */
    public Duration globalOpenDuration() { return globalOpenDuration; }
    /** {@return window in which openings count towards a cascade; default 60 s} */
    public Duration cascadeWindow() { return cascadeWindow; }
    /** {@return distinct regions opening within the window that make a cascade; default 2} */
    public int cascadeRegionThreshold() { return cascadeRegionThreshold; }
    /** {@return distinct SERVICE, INFRASTRUCTURE or REGIONAL breakers opening within the window that make a cascade; default 10} */
    public int cascadeBreakerThreshold() { return cascadeBreakerThreshold; }
    /** {@return how long the emergency global opening holds; default 60 s} */
    public Duration emergencyOpenDuration() { return emergencyOpenDuration; }
    /** {@return pause between two recovery stages; default 10 s} */
    public Duration recoveryStageInterval() { return recoveryStageInterval; }
    /** {@return levels that count every outcome; default SERVICE and APPLICATION} */
    public Set<BreakerLevel> countingLevels() { return countingLevels; }
    /** {@return how many children a node gets from routing calls; more are guarded by the node itself} Default 1,000. */
    public int maxChildrenPerNode() { return maxChildrenPerNode; }

    /**
     * {@return the breaker configuration of {@code level}}
     *
     * @param level the hierarchy level
     */
    public AdaptiveBreakerConfig levelConfig(BreakerLevel level) {
        return levelConfigs.get(level);
    }

    /** Builds a {@link BreakerHierarchyConfig}; every check happens in {@link #build()}. */
    public static final class Builder {
        private int regionalServiceThreshold = 3;
        private Duration regionalEscalationOpenDuration = Duration.ofSeconds(30);
        private Duration regionalSustainedOpen = Duration.ofMinutes(5);
        private Duration globalOpenDuration = Duration.ofSeconds(60);
        private Duration cascadeWindow = Duration.ofSeconds(60);
        private int cascadeRegionThreshold = 2;
        private int cascadeBreakerThreshold = 10;
        private Duration emergencyOpenDuration = Duration.ofSeconds(60);
        private Duration recoveryStageInterval = Duration.ofSeconds(10);
        private Set<BreakerLevel> countingLevels = EnumSet.of(BreakerLevel.SERVICE, BreakerLevel.APPLICATION);
        private int maxChildrenPerNode = 1_000;
        private final Map<BreakerLevel, AdaptiveBreakerConfig> levelConfigs = new EnumMap<>(BreakerLevel.class);

        private Builder() {
            for (BreakerLevel l : BreakerLevel.values()) {
                levelConfigs.put(l, AdaptiveBreakerConfig.defaults());
            }
        }

        /**
         * Open SERVICE breakers in one region that open the region; spec 3.
         *
         * @param v {@code >= 1}
         * @return this builder
         */
        public Builder regionalServiceThreshold(int v) { this.regionalServiceThreshold = v; return this; }
        /**
         * How long an escalated region is held open; spec 30 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder regionalEscalationOpenDuration(Duration v) { this.regionalEscalationOpenDuration = v; return this; }
        /**
         * How long a region must stay open in one episode before the global breaker is proposed (the approval
         * gate decides); spec 5 min.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder regionalSustainedOpen(Duration v) { this.regionalSustainedOpen = v; return this; }
        /**
         * How long an approved global opening holds; default 60 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder globalOpenDuration(Duration v) { this.globalOpenDuration = v; return this; }
        /**
         * Window in which openings count towards a cascade; default 60 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder cascadeWindow(Duration v) { this.cascadeWindow = v; return this; }
        /**
         * Distinct regions opening within the cascade window that make a cascade; default 2.
         *
         * @param v {@code >= 2}
         * @return this builder
         */
        public Builder cascadeRegionThreshold(int v) { this.cascadeRegionThreshold = v; return this; }
        /**
         * Distinct SERVICE-or-higher breakers opening within the cascade window that make a cascade; default 10.
         *
         * @param v {@code >= 2}
         * @return this builder
         */
        public Builder cascadeBreakerThreshold(int v) { this.cascadeBreakerThreshold = v; return this; }
        /**
         * How long the emergency global opening (no approval needed) holds; default 60 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder emergencyOpenDuration(Duration v) { this.emergencyOpenDuration = v; return this; }
        /**
         * Pause between two bottom-up recovery stages; default 10 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder recoveryStageInterval(Duration v) { this.recoveryStageInterval = v; return this; }
        /**
         * Children a node creates from routing calls; calls beyond are guarded by the node itself; default 1,000.
         *
         * @param v {@code >= 1}
         * @return this builder
         */
        public Builder maxChildrenPerNode(int v) { this.maxChildrenPerNode = v; return this; }

        /**
         * Levels whose breakers count every outcome; default SERVICE and APPLICATION.
         *
         * @param levels any set, copied; non-null
         * @return this builder
         */
        public Builder countingLevels(Set<BreakerLevel> levels) {
            this.countingLevels = EnumSet.noneOf(BreakerLevel.class);
            this.countingLevels.addAll(Objects.requireNonNull(levels, "countingLevels"));
            return this;
        }

        /**
         * The breaker configuration for every breaker at {@code level}.
         *
         * @param level the hierarchy level; non-null
         * @param config the breakers' configuration; default {@link AdaptiveBreakerConfig#defaults()}; non-null
         * @return this builder
         */
        public Builder levelConfig(BreakerLevel level, AdaptiveBreakerConfig config) {
            levelConfigs.put(Objects.requireNonNull(level, "level"), config);
            return this;
        }

        /**
         * Validates every value and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public BreakerHierarchyConfig build() {
            if (regionalServiceThreshold < 1) {
                throw new IllegalArgumentException("regionalServiceThreshold must be >= 1, was " + regionalServiceThreshold);
            }
            positive("regionalEscalationOpenDuration", regionalEscalationOpenDuration);
            positive("regionalSustainedOpen", regionalSustainedOpen);
            positive("globalOpenDuration", globalOpenDuration);
            positive("cascadeWindow", cascadeWindow);
            if (cascadeRegionThreshold < 2) {
                throw new IllegalArgumentException("cascadeRegionThreshold must be >= 2, was " + cascadeRegionThreshold);
            }
            if (cascadeBreakerThreshold < 2) {
                throw new IllegalArgumentException("cascadeBreakerThreshold must be >= 2, was " + cascadeBreakerThreshold);
            }
            positive("emergencyOpenDuration", emergencyOpenDuration);
            positive("recoveryStageInterval", recoveryStageInterval);
            if (maxChildrenPerNode < 1) {
                throw new IllegalArgumentException("maxChildrenPerNode must be >= 1, was " + maxChildrenPerNode);
            }
            for (Map.Entry<BreakerLevel, AdaptiveBreakerConfig> e : levelConfigs.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("levelConfigs." + e.getKey().prefix() + " must not be null, was null");
                }
            }
            return new BreakerHierarchyConfig(this);
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be a positive duration, was " + d);
            }
            Limits.atMostMaxDuration(field, d);
        }
    }
}
