package io.qudag.resilience.core.breaker;

import io.qudag.resilience.core.breaker.internal.AdaptiveCircuitBreakerImpl;
import io.qudag.resilience.core.breaker.spi.FactorSignal;
import io.qudag.resilience.core.event.BreakerEventListener;
import io.qudag.resilience.core.spi.Breaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The adaptive circuit breaker of spec §3.1: CLOSED → OPEN → HALF_OPEN → RECOVERY → CLOSED, with a
 * failure threshold and an open duration that adapt to conditions, and a RECOVERY state that ramps
 * admitted traffic back up in increments (like Envoy's slow start) instead of closing at once.
 * Plugs into the pipeline's breaker slot as a {@link Breaker}.
 *
 * <p>CLOSED counts outcomes (as judged by the configured
 * {@link io.qudag.resilience.core.OutcomePolicy}) in a lock-free, bucketed, time-based sliding
 * window and trips on failure rate or slow-call rate. The success path in CLOSED takes no lock and
 * allocates nothing. State times (open durations, ramp steps) follow an injected {@link Clock}, else
 * the monotonic ticker ({@code System.nanoTime()}), so a wall-clock step does not stretch or cut an
 * open time; event instants are wall-clock instants. Admissions in HALF_OPEN and RECOVERY are
 * deterministic (a counter, not a random draw).
 *
 * <p>With neither a clock nor a ticker injected, the window runs on {@code System.nanoTime()} and
 * takes the end reading a caller hands to {@link #onOutcome(io.qudag.resilience.core.ToolCall,
 * io.qudag.resilience.core.CallOutcome, long, long, Throwable)} (the pipeline does), so recording a
 * success reads no clock at all. With an injected clock the window follows that clock; with only a
 * ticker injected it follows the ticker. Readings are checked against the window's own time once per
 * bucket (10 s by default): one from the future is replaced, one older than the window is dropped.
 *
 * <p>Meters (when a registry is given; each also carries the {@link Builder#tags extra tags}): gauge
 * {@code qudag.resilience.breaker.state{name}} (the
 * {@link BreakerState#code()}), gauge {@code qudag.resilience.breaker.failure.threshold{name}},
 * counters {@code qudag.resilience.breaker.calls{name,outcome}},
 * {@code qudag.resilience.breaker.slow.calls{name}},
 * {@code qudag.resilience.breaker.rejected{name,state}} and
 * {@code qudag.resilience.breaker.transitions{name,from,to}}.
 */
public interface AdaptiveCircuitBreaker extends Breaker {

    /**
     * {@return a builder for a breaker called {@code name}}
     *
     * @param name the breaker's name, the {@code name} meter tag; not blank
     */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * {@return a breaker with the spec defaults, the system clock and no meters}
     *
     * @param name the breaker's name; not blank
     */
    static AdaptiveCircuitBreaker ofDefaults(String name) {
        return builder(name).build();
    }

    /** {@return the current state} Pure read: time-driven moves happen on the next call or {@link #tick()}. */
    BreakerState state();

    /** {@return a view of the counters and adapted values} */
    BreakerSnapshot snapshot();

    /** {@return the configuration} */
    AdaptiveBreakerConfig config();

    /** {@return the failure threshold now, re-computed from the factor signals if the adaptation interval passed} */
    double currentFailureThreshold();

    /** Applies time-driven moves now (OPEN → HALF_OPEN when the open time is over, RECOVERY → CLOSED). */
    void tick();

    /** Administrative reset: to CLOSED with an empty window and no backoff history. */
    void transitionToClosed();

    /** Administrative: admit everything, count nothing. */
    void transitionToDisabled();

    /** Administrative: reject everything until moved again. */
    void transitionToForcedOpen();

    /**
     * Opens the breaker from outside (escalation by a {@code BreakerHierarchy}).
     *
     * @param openFor how long to stay open, or {@code null} to hold it open until
     *                {@link #transitionToHalfOpen(String)}
     * @param reason  recorded in the event
     * @throws IllegalStateException when the current state may not move to OPEN
     */
    void transitionToOpen(Duration openFor, String reason);

    /**
     * Ends an OPEN state early and starts probing (used by staged recovery).
     *
     * @throws IllegalStateException when the breaker is not OPEN
     * @param reason recorded in the event
     */
    void transitionToHalfOpen(String reason);

    /**
     * Adds a listener for this breaker's state changes and rejections.
     *
     * @param listener the listener; non-null
     */
    void addListener(BreakerEventListener listener);

    /**
     * Removes a listener added before; unknown listeners are ignored.
     *
     * @param listener the listener
     */
    void removeListener(BreakerEventListener listener);

    /** Builds an {@link AdaptiveCircuitBreaker}: configuration, clock, meters, signals, listeners. */
    final class Builder {
        private final String name;
        private AdaptiveBreakerConfig config = AdaptiveBreakerConfig.defaults();
        private Clock clock;
        private boolean clockSet;
        private LongSupplier ticker;
        private boolean tickerSet;
        private MeterRegistry meterRegistry;
        private Iterable<Tag> tags = Tags.empty();
        private final Map<AdaptiveFactor, FactorSignal> signals = new EnumMap<>(AdaptiveFactor.class);
        private FactorSignal systemLoadSignal;
        private final List<BreakerEventListener> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The thresholds, windows and open durations; default {@link AdaptiveBreakerConfig#defaults()}.
         *
         * @param config non-null
         * @return this builder
         */
        public Builder config(AdaptiveBreakerConfig config) {
            this.config = config;
            return this;
        }

        /**
         * The clock for state times (open durations, ramp steps), event instants and the CLOSED window
         * (tests inject one to walk the machine). Default: event instants from the system clock, state
         * times and the window on the ticker.
         *
         * @param clock the clock; non-null when set
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            this.clockSet = true;
            return this;
        }

        /**
         * The {@code System.nanoTime()}-style source call durations are measured with (default
         * {@code System::nanoTime}); it tells a straggler admitted by an earlier state from a probe
         * when the clock alone cannot (a test clock standing still, a coarse clock). With no clock
         * injected, the CLOSED window and the state times run on it too. A {@link CoarseTicker} makes
         * every read a volatile read and widens the straggler slack to {@code max(1 ms, 2 × resolution)};
         * time the calls with the same ticker (e.g. the pipeline's {@code nanoTime}).
         *
         * @param ticker the nano-time source; non-null when set
         * @return this builder
         */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = ticker;
            this.tickerSet = true;
            return this;
        }

        /**
         * Registers the breaker's meters here; without a registry the breaker keeps no meters.
         *
         * @param meterRegistry the registry, or {@code null} for no meters (the default)
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * Tags added to every meter of this breaker besides {@code name} (the hierarchy adds
         * {@code hierarchy=<its name>}, so that two hierarchies on one registry stay apart).
         *
         * @param tags the extra tags; no null, no {@code name} tag
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = tags;
            return this;
        }

        /**
         * The signal feeding one threshold factor (a factor without a signal is neutral, 0.5).
         *
         * @param factor the factor; non-null
         * @param signal its signal in [0, 1] (0 strict, 1 lenient); non-null
         * @return this builder
         */
        public Builder signal(AdaptiveFactor factor, FactorSignal signal) {
            signals.put(Objects.requireNonNull(factor, "factor"), Objects.requireNonNull(signal, "signal"));
            return this;
        }

        /**
         * The load signal (0 idle, 1 saturated) behind the system-load open-duration multiplier.
         *
         * @param signal the load signal, or {@code null} for none (the multiplier stays 1)
         * @return this builder
         */
        public Builder systemLoadSignal(FactorSignal signal) {
            this.systemLoadSignal = signal;
            return this;
        }

        /**
         * Adds a listener for state changes and rejections; repeatable.
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder listener(BreakerEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Validates the settings and builds the breaker, CLOSED.
         *
         * @return the breaker
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public AdaptiveCircuitBreaker build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            if (config == null) {
                throw new IllegalArgumentException("config must not be null, was null");
            }
            if (clockSet && clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            if (tickerSet && ticker == null) {
                throw new IllegalArgumentException("ticker must not be null, was null");
            }
            if (tags == null) {
                throw new IllegalArgumentException("tags must not be null, was null");
            }
            for (Tag t : tags) {
                if (t == null || t.getKey().equals("name")) {
                    throw new IllegalArgumentException("tags must not hold null or a 'name' tag (the breaker's name), was "
                            + tags);
                }
            }
            return new AdaptiveCircuitBreakerImpl(name, config, clock, ticker, meterRegistry, tags, signals,
                    systemLoadSignal, listeners);
        }
    }
}
