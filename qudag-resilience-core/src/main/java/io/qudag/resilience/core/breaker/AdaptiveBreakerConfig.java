package io.qudag.resilience.core.breaker;

import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.internal.Limits;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable configuration of an {@link AdaptiveCircuitBreaker} (spec §3.1). Every default is the
 * spec's value where the spec gives one. Build with {@link #builder()}; {@link Builder#build()}
 * rejects bad values with an {@link IllegalArgumentException} naming the field and the value.
 *
 * <h2>Adaptive failure threshold</h2>
 * Every {@link AdaptiveFactor} has a weight (non-negative, summing to 1) and a signal in [0, 1]
 * (0 strict, 0.5 neutral, 1 lenient; a factor without a signal is neutral). The composite is
 * {@code c = Σ weight·signal}. The multiplier is piecewise linear through three points:
 * {@code m(0) = thresholdMultiplierMin}, {@code m(0.5) = 1}, {@code m(1) = thresholdMultiplierMax}.
 * The threshold is {@code clamp(baseFailureThreshold · m(c), minFailureThreshold, maxFailureThreshold)}.
 *
 * <h2>Adaptive open duration</h2>
 * {@code min(maxOpenDuration, baseOpenDuration · severity · recoveryHistory · systemLoad ·
 * timeSinceLastFailure · backoffMultiplier^(consecutiveOpenings - 1))} where
 * <ul>
 *   <li>severity = {@code failureSeverity.at(s)}, s = how far the observed rate overshot its
 *       threshold: {@code (rate - threshold) / (1 - threshold)}, the larger of failure and slow rate;</li>
 *   <li>recoveryHistory = {@code recoveryHistory.at(r)}, r = share of relapses among the last 8
 *       recovery attempts (0.5 when there is no history);</li>
 *   <li>systemLoad = {@code systemLoad.at(load)} when a load signal is configured, else 1;</li>
 *   <li>timeSinceLastFailure = {@code timeSinceLastFailure.at(1 - min(1, Δ / quietPeriod))}, Δ the
 *       time since the previous opening (infinite for the first one);</li>
 *   <li>consecutiveOpenings counts openings since the breaker was last CLOSED.</li>
 * </ul>
 */
public final class AdaptiveBreakerConfig {

    private static final AdaptiveBreakerConfig DEFAULTS = builder().build();

    private final double baseFailureThreshold;
    private final double minFailureThreshold;
    private final double maxFailureThreshold;
    private final double thresholdMultiplierMin;
    private final double thresholdMultiplierMax;
    private final Map<AdaptiveFactor, Double> factorWeights;
    private final Duration adaptationInterval;
    private final Duration slidingWindow;
    private final int windowBuckets;
    private final int minimumNumberOfCalls;
    private final Duration slowCallThreshold;
    private final double slowCallRateThreshold;
    private final Duration baseOpenDuration;
    private final Duration maxOpenDuration;
    private final double backoffMultiplier;
    private final MultiplierRange failureSeverity;
    private final MultiplierRange recoveryHistory;
    private final MultiplierRange systemLoad;
    private final MultiplierRange timeSinceLastFailure;
    private final Duration quietPeriod;
    private final double halfOpenShare;
    private final int halfOpenSuccessThreshold;
    private final int halfOpenMaxConcurrentCalls;
    private final Duration halfOpenMonitoringPeriod;
    private final Duration recoveryPeriod;
    private final double recoveryIncrement;
    private final int recoveryMinimumCalls;
    private final OutcomePolicy outcomePolicy;

    private AdaptiveBreakerConfig(Builder b) {
        this.baseFailureThreshold = b.baseFailureThreshold;
        this.minFailureThreshold = b.minFailureThreshold;
        this.maxFailureThreshold = b.maxFailureThreshold;
        this.thresholdMultiplierMin = b.thresholdMultiplierMin;
        this.thresholdMultiplierMax = b.thresholdMultiplierMax;
        this.factorWeights = Collections.unmodifiableMap(new EnumMap<>(b.factorWeights));
        this.adaptationInterval = b.adaptationInterval;
        this.slidingWindow = b.slidingWindow;
        this.windowBuckets = b.windowBuckets;
        this.minimumNumberOfCalls = b.minimumNumberOfCalls;
        this.slowCallThreshold = b.slowCallThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.baseOpenDuration = b.baseOpenDuration;
        this.maxOpenDuration = b.maxOpenDuration;
        this.backoffMultiplier = b.backoffMultiplier;
        this.failureSeverity = b.failureSeverity;
        this.recoveryHistory = b.recoveryHistory;
        this.systemLoad = b.systemLoad;
        this.timeSinceLastFailure = b.timeSinceLastFailure;
        this.quietPeriod = b.quietPeriod;
        this.halfOpenShare = b.halfOpenShare;
        this.halfOpenSuccessThreshold = b.halfOpenSuccessThreshold;
        this.halfOpenMaxConcurrentCalls = b.halfOpenMaxConcurrentCalls;
        this.halfOpenMonitoringPeriod = b.halfOpenMonitoringPeriod;
        this.recoveryPeriod = b.recoveryPeriod;
        this.recoveryIncrement = b.recoveryIncrement;
        this.recoveryMinimumCalls = b.recoveryMinimumCalls;
        this.outcomePolicy = b.outcomePolicy;
    }

    /** {@return the spec defaults} */
    public static AdaptiveBreakerConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the spec defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder pre-filled with this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseFailureThreshold = baseFailureThreshold;
        b.minFailureThreshold = minFailureThreshold;
        b.maxFailureThreshold = maxFailureThreshold;
        b.thresholdMultiplierMin = thresholdMultiplierMin;
        b.thresholdMultiplierMax = thresholdMultiplierMax;
        b.factorWeights = new EnumMap<>(factorWeights);
        b.adaptationInterval = adaptationInterval;
        b.slidingWindow = slidingWindow;
        b.windowBuckets = windowBuckets;
        b.minimumNumberOfCalls = minimumNumberOfCalls;
        b.slowCallThreshold = slowCallThreshold;
        b.slowCallRateThreshold = slowCallRateThreshold;
        b.baseOpenDuration = baseOpenDuration;
        b.maxOpenDuration = maxOpenDuration;
        b.backoffMultiplier = backoffMultiplier;
        b.failureSeverity = failureSeverity;
        b.recoveryHistory = recoveryHistory;
        b.systemLoad = systemLoad;
        b.timeSinceLastFailure = timeSinceLastFailure;
        b.quietPeriod = quietPeriod;
        b.halfOpenShare = halfOpenShare;
        b.halfOpenSuccessThreshold = halfOpenSuccessThreshold;
        b.halfOpenMaxConcurrentCalls = halfOpenMaxConcurrentCalls;
        b.halfOpenMonitoringPeriod = halfOpenMonitoringPeriod;
        b.recoveryPeriod = recoveryPeriod;
        b.recoveryIncrement = recoveryIncrement;
        b.recoveryMinimumCalls = recoveryMinimumCalls;
        b.outcomePolicy = outcomePolicy;
        return b;
    }

    /** {@return base failure-rate threshold before adaptation; spec 0.05} */
    public double baseFailureThreshold() { return baseFailureThreshold; }
    /** {@return lower clamp of the adapted threshold; default 0.01} */
    public double minFailureThreshold() { return minFailureThreshold; }
    /** {@return upper clamp of the adapted threshold; default 0.5} */
    public double maxFailureThreshold() { return maxFailureThreshold; }
    /** {@return threshold multiplier at composite 0 (strictest); default 0.5} */
    public double thresholdMultiplierMin() { return thresholdMultiplierMin; }
    /** {@return threshold multiplier at composite 1 (most lenient); default 2.0} */
    public double thresholdMultiplierMax() { return thresholdMultiplierMax; }
    /** {@return weight of every factor (unmodifiable, all five present); spec 0.3/0.25/0.15/0.2/0.1} */
    public Map<AdaptiveFactor, Double> factorWeights() { return factorWeights; }
    /** {@return how often the threshold is re-computed from the signals; default 10 s} */
    public Duration adaptationInterval() { return adaptationInterval; }
    /** {@return length of the time-based sliding window in CLOSED; spec 10 min} */
    public Duration slidingWindow() { return slidingWindow; }
    /** {@return number of buckets the window is divided into; default 60 (10 s each)} */
    public int windowBuckets() { return windowBuckets; }
    /** {@return calls the window must hold before the breaker may trip; default 20} */
    public int minimumNumberOfCalls() { return minimumNumberOfCalls; }
    /** {@return a call slower than this is slow; default 500 ms} */
    public Duration slowCallThreshold() { return slowCallThreshold; }
    /** {@return share of slow calls that trips the breaker; default 0.5} */
    public double slowCallRateThreshold() { return slowCallRateThreshold; }
    /** {@return base open duration; spec 60 s} */
    public Duration baseOpenDuration() { return baseOpenDuration; }
    /** {@return cap of the open duration after backoff; default 30 min} */
    public Duration maxOpenDuration() { return maxOpenDuration; }
    /** {@return exponential backoff factor across consecutive openings; default 2.0} */
    public double backoffMultiplier() { return backoffMultiplier; }
    /** {@return failure severity multiplier; spec 1.5–3.0} */
    public MultiplierRange failureSeverity() { return failureSeverity; }
    /** {@return recovery history multiplier; spec 0.8–1.2} */
    public MultiplierRange recoveryHistory() { return recoveryHistory; }
    /** {@return system load multiplier; spec 0.9–1.5} */
    public MultiplierRange systemLoad() { return systemLoad; }
    /** {@return the time-since-last-failure multiplier range; spec 0.7–1.0} */
    public MultiplierRange timeSinceLastFailure() { return timeSinceLastFailure; }
    /** {@return Δ at or above which the time-since-last-failure multiplier reaches its minimum; default 1 h} */
    public Duration quietPeriod() { return quietPeriod; }
    /** {@return share of calls HALF_OPEN admits; spec 0.1} */
    public double halfOpenShare() { return halfOpenShare; }
    /** {@return consecutive successes HALF_OPEN needs to move on to RECOVERY; spec 3} */
    public int halfOpenSuccessThreshold() { return halfOpenSuccessThreshold; }
    /** {@return probes HALF_OPEN lets run at the same time; default 3} */
    public int halfOpenMaxConcurrentCalls() { return halfOpenMaxConcurrentCalls; }
    /**
     * {@return HALF_OPEN's monitoring period; spec 30 s} When all probe permits are taken and no probe has
     * reported back (outcome or release) for this long, the permits are taken as lost and reclaimed,
     * so a caller that leaks a permit cannot wedge the breaker in HALF_OPEN.
     */
    public Duration halfOpenMonitoringPeriod() { return halfOpenMonitoringPeriod; }
    /** {@return length of the RECOVERY ramp; spec 300 s} */
    public Duration recoveryPeriod() { return recoveryPeriod; }
    /** {@return step of the RECOVERY ramp; spec 0.1} */
    public double recoveryIncrement() { return recoveryIncrement; }
    /** {@return calls RECOVERY must see before it may roll back on its failure rate; default 10} */
    public int recoveryMinimumCalls() { return recoveryMinimumCalls; }
    /** {@return which outcomes count as failures} */
    public OutcomePolicy outcomePolicy() { return outcomePolicy; }

    /**
     * {@return the RECOVERY share for ramp step {@code step} (0-based): {@code min(1, increment·(step+1))}}
     *
     * @param step the 0-based ramp step
     */
    public double recoveryShareAt(int step) {
        return Math.min(1.0, recoveryIncrement * (step + 1));
    }

    /** {@return number of steps of the RECOVERY ramp: {@code ceil(1 / recoveryIncrement)}} */
    public int recoverySteps() {
        return (int) Math.ceil(1.0 / recoveryIncrement - 1e-9);
    }

    @Override
    public String toString() {
        return "AdaptiveBreakerConfig{baseFailureThreshold=" + baseFailureThreshold + ", window=" + slidingWindow
                + ", baseOpenDuration=" + baseOpenDuration + ", halfOpenShare=" + halfOpenShare
                + ", recoveryPeriod=" + recoveryPeriod + '}';
    }

    /** Builds an {@link AdaptiveBreakerConfig}; every check happens in {@link #build()}. */
    public static final class Builder {
        private double baseFailureThreshold = 0.05;
        private double minFailureThreshold = 0.01;
        private double maxFailureThreshold = 0.5;
        private double thresholdMultiplierMin = 0.5;
        private double thresholdMultiplierMax = 2.0;
        private Map<AdaptiveFactor, Double> factorWeights = defaultWeights();
        private Duration adaptationInterval = Duration.ofSeconds(10);
        private Duration slidingWindow = Duration.ofMinutes(10);
        private int windowBuckets = 60;
        private int minimumNumberOfCalls = 20;
        private Duration slowCallThreshold = Duration.ofMillis(500);
        private double slowCallRateThreshold = 0.5;
        private Duration baseOpenDuration = Duration.ofSeconds(60);
        private Duration maxOpenDuration = Duration.ofMinutes(30);
        private double backoffMultiplier = 2.0;
        private MultiplierRange failureSeverity = new MultiplierRange(1.5, 3.0);
        private MultiplierRange recoveryHistory = new MultiplierRange(0.8, 1.2);
        private MultiplierRange systemLoad = new MultiplierRange(0.9, 1.5);
        private MultiplierRange timeSinceLastFailure = new MultiplierRange(0.7, 1.0);
        private Duration quietPeriod = Duration.ofHours(1);
        private double halfOpenShare = 0.1;
        private int halfOpenSuccessThreshold = 3;
        private int halfOpenMaxConcurrentCalls = 3;
        private Duration halfOpenMonitoringPeriod = Duration.ofSeconds(30);
        private Duration recoveryPeriod = Duration.ofSeconds(300);
        private double recoveryIncrement = 0.1;
        private int recoveryMinimumCalls = 10;
        private OutcomePolicy outcomePolicy = OutcomePolicy.defaults();

        private Builder() {
        }

        private static Map<AdaptiveFactor, Double> defaultWeights() {
            Map<AdaptiveFactor, Double> m = new EnumMap<>(AdaptiveFactor.class);
            for (AdaptiveFactor f : AdaptiveFactor.values()) {
                m.put(f, f.defaultWeight());
            }
            return m;
        }

        /**
         * Failure-rate threshold before adaptation, a share; spec 0.05. Must lie in [{@code minFailureThreshold}, {@code maxFailureThreshold}].
         *
         * @param v the base threshold, a share in (0, 1]
         * @return this builder
         */
        public Builder baseFailureThreshold(double v) { this.baseFailureThreshold = v; return this; }
        /**
         * Lower clamp of the adapted threshold, a share; default 0.01; must be {@code <= baseFailureThreshold}.
         *
         * @param v the lowest threshold adaptation may reach
         * @return this builder
         */
        public Builder minFailureThreshold(double v) { this.minFailureThreshold = v; return this; }
        /**
         * Upper clamp of the adapted threshold, a share; default 0.5; must be {@code >= baseFailureThreshold}.
         *
         * @param v the highest threshold adaptation may reach
         * @return this builder
         */
        public Builder maxFailureThreshold(double v) { this.maxFailureThreshold = v; return this; }
        /**
         * Threshold multiplier at composite signal 0 (strictest); default 0.5, valid (0, 1].
         *
         * @param v the multiplier applied when every factor is strict
         * @return this builder
         */
        public Builder thresholdMultiplierMin(double v) { this.thresholdMultiplierMin = v; return this; }
        /**
         * Threshold multiplier at composite signal 1 (most lenient); default 2.0, valid {@code >= 1} and finite.
         *
         * @param v the multiplier applied when every factor is lenient
         * @return this builder
         */
        public Builder thresholdMultiplierMax(double v) { this.thresholdMultiplierMax = v; return this; }

        /**
         * Sets one factor's weight; spec 0.3/0.25/0.15/0.2/0.1. All five weights must sum to 1 (±1e-6).
         *
         * @param factor the factor; non-null
         * @param weight its weight, {@code >= 0} and finite
         * @return this builder
         */
        public Builder factorWeight(AdaptiveFactor factor, double weight) {
            this.factorWeights.put(Objects.requireNonNull(factor, "factor"), weight);
            return this;
        }

        /**
         * Replaces all weights; factors missing from {@code weights} get weight 0.
         *
         * @param weights weight per factor, each {@code >= 0} and finite, summing to 1; non-null
         * @return this builder
         */
        public Builder factorWeights(Map<AdaptiveFactor, Double> weights) {
            Map<AdaptiveFactor, Double> m = new EnumMap<>(AdaptiveFactor.class);
            for (AdaptiveFactor f : AdaptiveFactor.values()) {
                m.put(f, 0.0);
            }
            m.putAll(Objects.requireNonNull(weights, "factorWeights"));
            this.factorWeights = m;
            return this;
        }

        /**
         * How often the threshold is re-computed from the factor signals; default 10 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder adaptationInterval(Duration v) { this.adaptationInterval = v; return this; }
        /**
         * Length of the time-based failure window in CLOSED; spec 10 min; at least {@code windowBuckets} ms.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder slidingWindow(Duration v) { this.slidingWindow = v; return this; }
        /**
         * Buckets the sliding window is split into (expiry granularity); default 60, valid [1, 4096].
         *
         * @param v the bucket count
         * @return this builder
         */
        public Builder windowBuckets(int v) { this.windowBuckets = v; return this; }
        /**
         * Calls the window must hold before the breaker may trip; default 20, valid {@code >= 1}.
         *
         * @param v the minimum call count
         * @return this builder
         */
        public Builder minimumNumberOfCalls(int v) { this.minimumNumberOfCalls = v; return this; }
        /**
         * A call that takes longer than this counts as slow; default 500 ms.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder slowCallThreshold(Duration v) { this.slowCallThreshold = v; return this; }
        /**
         * Share of slow calls in the window that trips the breaker; default 0.5.
         *
         * @param v a share in (0, 1]
         * @return this builder
         */
        public Builder slowCallRateThreshold(double v) { this.slowCallRateThreshold = v; return this; }
        /**
         * Open time of a first opening before the adaptive multipliers; spec 60 s.
         *
         * @param v a positive duration, at most {@code maxOpenDuration}
         * @return this builder
         */
        public Builder baseOpenDuration(Duration v) { this.baseOpenDuration = v; return this; }
        /**
         * Cap of the open time after multipliers and backoff; default 30 min; must be {@code >= baseOpenDuration}.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder maxOpenDuration(Duration v) { this.maxOpenDuration = v; return this; }
        /**
         * Factor the open time grows by with each consecutive opening; default 2.0.
         *
         * @param v {@code >= 1} and finite
         * @return this builder
         */
        public Builder backoffMultiplier(double v) { this.backoffMultiplier = v; return this; }
        /**
         * Range of the failure-severity multiplier of the open time; spec 1.5–3.0.
         *
         * @param min multiplier for a rate just over the threshold, {@code > 0}
         * @param max multiplier for a 100 % failure rate, {@code >= min} and finite
         * @return this builder
         */
        public Builder failureSeverity(double min, double max) { this.failureSeverity = new MultiplierRange(min, max); return this; }
        /**
         * Range of the recovery-history multiplier of the open time; spec 0.8–1.2.
         *
         * @param min multiplier when no recent recovery relapsed, {@code > 0}
         * @param max multiplier when every recent recovery relapsed, {@code >= min} and finite
         * @return this builder
         */
        public Builder recoveryHistory(double min, double max) { this.recoveryHistory = new MultiplierRange(min, max); return this; }
        /**
         * Range of the system-load multiplier of the open time (used only with a load signal); spec 0.9–1.5.
         *
         * @param min multiplier at load 0 (idle), {@code > 0}
         * @param max multiplier at load 1 (saturated), {@code >= min} and finite
         * @return this builder
         */
        public Builder systemLoad(double min, double max) { this.systemLoad = new MultiplierRange(min, max); return this; }
        /**
         * Range of the time-since-last-failure multiplier of the open time; spec 0.7–1.0.
         *
         * @param min multiplier after a quiet period or more without opening, {@code > 0}
         * @param max multiplier when the previous opening was just now, {@code >= min} and finite
         * @return this builder
         */
        public Builder timeSinceLastFailure(double min, double max) { this.timeSinceLastFailure = new MultiplierRange(min, max); return this; }
        /**
         * Gap since the previous opening after which the time-since-last-failure multiplier is at its minimum; default 1 h.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder quietPeriod(Duration v) { this.quietPeriod = v; return this; }
        /**
         * Share of calls HALF_OPEN admits as probes; spec 0.1.
         *
         * @param v a share in (0, 1]
         * @return this builder
         */
        public Builder halfOpenShare(double v) { this.halfOpenShare = v; return this; }
        /**
         * Consecutive probe successes that move HALF_OPEN on to RECOVERY; spec 3.
         *
         * @param v {@code >= 1}
         * @return this builder
         */
        public Builder halfOpenSuccessThreshold(int v) { this.halfOpenSuccessThreshold = v; return this; }
        /**
         * Probes HALF_OPEN lets run at the same time; default 3.
         *
         * @param v {@code >= 1}
         * @return this builder
         */
        public Builder halfOpenMaxConcurrentCalls(int v) { this.halfOpenMaxConcurrentCalls = v; return this; }
        /**
         * HALF_OPEN monitoring period; spec 30 s. Probe permits not reported back within it are reclaimed.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder halfOpenMonitoringPeriod(Duration v) { this.halfOpenMonitoringPeriod = v; return this; }
        /**
         * Length of the RECOVERY ramp from the first step to full traffic; spec 300 s.
         *
         * @param v a positive duration of at most 100 years
         * @return this builder
         */
        public Builder recoveryPeriod(Duration v) { this.recoveryPeriod = v; return this; }
        /**
         * Step of the RECOVERY ramp: RECOVERY admits 10 %, 20 %, … of calls with the default 0.1 (spec).
         *
         * @param v the share added per step, in [0.001, 1]
         * @return this builder
         */
        public Builder recoveryIncrement(double v) { this.recoveryIncrement = v; return this; }
        /**
         * Calls RECOVERY must see before it may roll back on its failure rate; default 10.
         *
         * @param v {@code >= 1}
         * @return this builder
         */
        public Builder recoveryMinimumCalls(int v) { this.recoveryMinimumCalls = v; return this; }
        /**
         * Which call outcomes count as failures; default {@link OutcomePolicy#defaults()}.
         *
         * @param v the policy
         * @return this builder
         */
        public Builder outcomePolicy(OutcomePolicy v) { this.outcomePolicy = v; return this; }

        /**
         * Validates everything and builds.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException naming the field and the value when a value is out of range
         */
        public AdaptiveBreakerConfig build() {
            share("baseFailureThreshold", baseFailureThreshold);
            share("minFailureThreshold", minFailureThreshold);
            share("maxFailureThreshold", maxFailureThreshold);
            if (minFailureThreshold > baseFailureThreshold) {
                throw fail("minFailureThreshold must be <= baseFailureThreshold (" + baseFailureThreshold + ")",
                        minFailureThreshold);
            }
            if (maxFailureThreshold < baseFailureThreshold) {
                throw fail("maxFailureThreshold must be >= baseFailureThreshold (" + baseFailureThreshold + ")",
                        maxFailureThreshold);
            }
            if (!(thresholdMultiplierMin > 0 && thresholdMultiplierMin <= 1)) {
                throw fail("thresholdMultiplierMin must be in (0, 1]", thresholdMultiplierMin);
            }
            if (!(thresholdMultiplierMax >= 1) || Double.isInfinite(thresholdMultiplierMax)) {
                throw fail("thresholdMultiplierMax must be >= 1 and finite", thresholdMultiplierMax);
            }
            double sum = 0;
            for (AdaptiveFactor f : AdaptiveFactor.values()) {
                Double w = factorWeights.get(f);
                if (w == null || !(w >= 0) || Double.isInfinite(w)) {
                    throw fail("factorWeights." + f.key() + " must be >= 0", w);
                }
                sum += w;
            }
            if (Math.abs(sum - 1.0) > 1e-6) {
                throw fail("factorWeights must sum to 1", Math.round(sum * 1e9) / 1e9);
            }
            positive("adaptationInterval", adaptationInterval);
            positive("slidingWindow", slidingWindow);
            if (windowBuckets < 1 || windowBuckets > 4096) {
                throw fail("windowBuckets must be in [1, 4096]", windowBuckets);
            }
            if (slidingWindow.toMillis() < windowBuckets) {
                throw fail("slidingWindow must be at least windowBuckets (" + windowBuckets + ") ms",
                        slidingWindow);
            }
            if (minimumNumberOfCalls < 1) {
                throw fail("minimumNumberOfCalls must be >= 1", minimumNumberOfCalls);
            }
            positive("slowCallThreshold", slowCallThreshold);
            share("slowCallRateThreshold", slowCallRateThreshold);
            positive("baseOpenDuration", baseOpenDuration);
            positive("maxOpenDuration", maxOpenDuration);
            if (maxOpenDuration.compareTo(baseOpenDuration) < 0) {
                throw fail("maxOpenDuration must be >= baseOpenDuration (" + baseOpenDuration + ")", maxOpenDuration);
            }
            if (!(backoffMultiplier >= 1) || Double.isInfinite(backoffMultiplier)) {
                throw fail("backoffMultiplier must be >= 1 and finite", backoffMultiplier);
            }
            range("failureSeverity", failureSeverity);
            range("recoveryHistory", recoveryHistory);
            range("systemLoad", systemLoad);
            range("timeSinceLastFailure", timeSinceLastFailure);
            positive("quietPeriod", quietPeriod);
            share("halfOpenShare", halfOpenShare);
            if (halfOpenSuccessThreshold < 1) {
                throw fail("halfOpenSuccessThreshold must be >= 1", halfOpenSuccessThreshold);
            }
            if (halfOpenMaxConcurrentCalls < 1) {
                throw fail("halfOpenMaxConcurrentCalls must be >= 1", halfOpenMaxConcurrentCalls);
            }
            positive("halfOpenMonitoringPeriod", halfOpenMonitoringPeriod);
            positive("recoveryPeriod", recoveryPeriod);
            share("recoveryIncrement", recoveryIncrement);
            if (recoveryIncrement < 0.001) {
                throw fail("recoveryIncrement must be >= 0.001", recoveryIncrement);
            }
            if (recoveryMinimumCalls < 1) {
                throw fail("recoveryMinimumCalls must be >= 1", recoveryMinimumCalls);
            }
            if (outcomePolicy == null) {
                throw fail("outcomePolicy must not be null", null);
            }
            return new AdaptiveBreakerConfig(this);
        }

        private static void share(String field, double v) {
            if (!(v > 0 && v <= 1)) {
                throw fail(field + " must be in (0, 1]", v);
            }
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw fail(field + " must be a positive duration", d);
            }
            Limits.atMostMaxDuration(field, d);
        }

        private static void range(String field, MultiplierRange r) {
            if (!(r.min() > 0) || !(r.max() >= r.min()) || Double.isInfinite(r.max())) {
                throw fail(field + " must satisfy 0 < min <= max < infinity", r);
            }
        }

        private static IllegalArgumentException fail(String what, Object value) {
            return new IllegalArgumentException(what + ", was " + value);
        }
    }
}
