package io.qudag.resilience.core.breaker.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.AdaptiveFactor;
import io.qudag.resilience.core.breaker.BreakerOpenException;
import io.qudag.resilience.core.breaker.BreakerSnapshot;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.breaker.CoarseClock;
import io.qudag.resilience.core.breaker.CoarseTicker;
import io.qudag.resilience.core.breaker.spi.FactorSignal;
import io.qudag.resilience.core.event.BreakerEventListener;
import io.qudag.resilience.core.event.BreakerStateTransitionEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AdaptiveCircuitBreaker} (spec §3.1). The state machine is one
 * volatile reference to an immutable-identity {@link Ctx} per state entry; a transition is a
 * compare-and-set of that reference (a {@link VarHandle}, one indirection less than an AtomicReference), checked against {@link BreakerState}'s transition table, and the
 * winner alone publishes the event. Nothing here takes a lock.
 */
public final class AdaptiveCircuitBreakerImpl implements AdaptiveCircuitBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveCircuitBreaker.class);
    private static final long NO_TIME = Long.MIN_VALUE;
    private static final long RAMP_STEP_SHIFT = 40;
    private static final long RAMP_COUNT_MASK = (1L << RAMP_STEP_SHIFT) - 1;
    private static final int HISTORY_BITS = 8;
    private static final long MIN_SLACK_NANOS = 1_000_000L;

    private final String name;
    private final AdaptiveBreakerConfig config;
    private final Clock clock;
    private final OutcomePolicy policy;
    private final long slowNanos;
    private final long recoveryMillis;
    private final long adaptationMillis;
    private final long monitoringMillis;
    private final long halfOpenPpm;
    private final long[] rampPpm;
    private final int rampSteps;
    private final OutcomeWindow window;
    /** Whether the window's counts could open the breaker (a field, so that testing allocates nothing). */
    private final OutcomeWindow.Counts mayOpen = this::mayOpen;
    private final FactorSignal[] signals;
    private final FactorSignal systemLoadSignal;
    /** How much the clock may lag a call's measured duration before the call counts as a straggler. */
    private final long stragglerSlackMillis;
    /** How much the ticker may lag a measured duration: 1 ms, or twice a {@link CoarseTicker}'s resolution. */
    private final long tickerSlackNanos;
    /** A {@code System.nanoTime()}-style source, the kind of time call durations are measured in. */
    private final LongSupplier ticker;
    /** The CLOSED window's time: the ticker's nanoseconds, or the injected clock's milliseconds. */
    private final LongSupplier windowTime;
    /**
     * State times (entered, open until, ramp steps) in milliseconds: the injected clock's, else the
     * ticker's (monotonic, so a wall-clock step does not stretch or cut an open time).
     */
    private final LongSupplier stateTime;
    /** Whether a clock was injected: then state times are that clock's epoch milliseconds. */
    private final boolean clockInjected;
    /** Whether the window runs on {@code System.nanoTime()}, so a caller's end reading can stand in for it. */
    private final boolean takesSystemEndTime;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AdaptiveCircuitBreakerImpl.class, "state", Ctx.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Ctx state;
    private final List<BreakerEventListener> listeners;

    private volatile double threshold;
    private volatile long nextAdaptationAt;
    private volatile long lastOpenedAt = NO_TIME;
    private volatile long lastOpenDurationMillis;
    /** Recovery attempts: bits 0-7 relapse flags (1 = relapse), bits 8-11 how many are filled. */
    private final AtomicInteger recoveryHistory = new AtomicInteger();

    private final MeterRegistry registry;
    /** {@code name} plus the builder's extra tags, on every meter. */
    private final Tags meterTags;
    private final Counter[] callCounters;
    private final Counter slowCounter;
    private final Counter[] rejectedCounters;

    /**
     * @param clock  the injected clock, or {@code null} for the system clock (and the window on the ticker)
     * @param ticker the injected ticker, or {@code null} for {@code System.nanoTime()}
     */
    public AdaptiveCircuitBreakerImpl(String name, AdaptiveBreakerConfig config, Clock clock, LongSupplier ticker,
            MeterRegistry registry, Iterable<Tag> extraTags, Map<AdaptiveFactor, FactorSignal> signals,
            FactorSignal systemLoadSignal, List<BreakerEventListener> listeners) {
        this.name = name;
        this.ticker = ticker == null ? System::nanoTime : ticker;
        this.config = config;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        long windowLength;
        this.clockInjected = clock != null;
        if (clock == null) {
            LongSupplier nanos = this.ticker;
            this.stateTime = () -> Math.floorDiv(nanos.getAsLong(), 1_000_000L);
            this.windowTime = this.ticker;
            this.takesSystemEndTime = ticker == null;
            windowLength = config.slidingWindow().toNanos();
        } else {
            this.stateTime = clock::millis;
            this.windowTime = clock::millis;
            this.takesSystemEndTime = false;
            windowLength = config.slidingWindow().toMillis();
        }
        this.policy = config.outcomePolicy();
        this.slowNanos = config.slowCallThreshold().toNanos();
        this.recoveryMillis = config.recoveryPeriod().toMillis();
        this.adaptationMillis = config.adaptationInterval().toMillis();
        this.monitoringMillis = config.halfOpenMonitoringPeriod().toMillis();
        this.halfOpenPpm = ShareAdmission.toPpm(config.halfOpenShare());
        this.rampSteps = config.recoverySteps();
        this.rampPpm = new long[rampSteps];
        for (int i = 0; i < rampSteps; i++) {
            rampPpm[i] = ShareAdmission.toPpm(config.recoveryShareAt(i));
        }
        this.window = new OutcomeWindow(windowLength, config.windowBuckets(), windowTime);
        this.signals = new FactorSignal[AdaptiveFactor.values().length];
        signals.forEach((f, s) -> this.signals[f.ordinal()] = s);
        this.systemLoadSignal = systemLoadSignal;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        this.tickerSlackNanos = tickerSlack(this.ticker);
        this.stragglerSlackMillis = clockInjected ? stragglerSlack(this.clock)
                : Math.max(1L, (tickerSlackNanos + 999_999L) / 1_000_000L); // state times are the ticker's
        long now = stateTime.getAsLong();
        this.threshold = computeThreshold();
        this.nextAdaptationAt = now + adaptationMillis;
        this.state = Ctx.closed(now);
        this.registry = registry;
        this.meterTags = Tags.of("name", name).and(extraTags);
        if (registry != null) {
            callCounters = new Counter[CallOutcome.values().length];
            for (CallOutcome o : CallOutcome.values()) {
                callCounters[o.ordinal()] = Counter.builder("qudag.resilience.breaker.calls")
                        .tags(meterTags).tag("outcome", o.name())
                        .description("Calls whose outcome the breaker recorded").register(registry);
            }
            slowCounter = Counter.builder("qudag.resilience.breaker.slow.calls").tags(meterTags)
                    .description("Calls slower than the slow-call threshold").register(registry);
            rejectedCounters = new Counter[BreakerState.values().length];
            for (BreakerState s : BreakerState.values()) {
                rejectedCounters[s.ordinal()] = Counter.builder("qudag.resilience.breaker.rejected")
                        .tags(meterTags).tag("state", s.name())
                        .description("Calls the breaker did not admit").register(registry);
            }
            Gauge.builder("qudag.resilience.breaker.state", this, b -> b.state().code()).tags(meterTags)
                    .description("0 closed, 1 open, 2 half_open, 3 recovery, 4 disabled, 5 forced_open")
                    .register(registry);
            Gauge.builder("qudag.resilience.breaker.failure.threshold", this, b -> b.threshold).tags(meterTags)
                    .description("The adapted failure-rate threshold").register(registry);
        } else {
            callCounters = null;
            slowCounter = null;
            rejectedCounters = null;
        }
    }

    // ---------------------------------------------------------------- Breaker

    @Override
    public String name() {
        return name;
    }

    @Override
    public void acquirePermission(ToolCall call) {
        BreakerState rejectedIn = tryAcquire();
        if (rejectedIn != null) {
            throw new BreakerOpenException(name, rejectedIn);
        }
    }

    /**
     * Admits or refuses a call without throwing.
     *
     * @return {@code null} when admitted, else the state that refused the call
     */
    public BreakerState tryAcquire() {
        if (state.state == BreakerState.CLOSED) {
            return null; // the success path: one volatile read
        }
        for (;;) {
            Ctx s = state;
            switch (s.state) {
                case CLOSED:
                case DISABLED:
                    return null;
                case FORCED_OPEN:
                    return rejected(s.state);
                case OPEN: {
                    long now = stateTime.getAsLong();
                    if (now >= s.openUntil) {
                        transition(s, Ctx.halfOpen(now, ticker.getAsLong(), s.openings), now, "open time over", true);
                        continue;
                    }
                    return rejected(s.state);
                }
                case HALF_OPEN:
                    return admitHalfOpen(s) ? null : rejected(s.state);
                case RECOVERY: {
                    long now = stateTime.getAsLong();
                    if (now - s.enteredAt >= recoveryMillis) {
                        transition(s, Ctx.closed(now), now, "recovery ramp complete", true);
                        continue;
                    }
                    return admitRamp(s, now) ? null : rejected(s.state);
                }
                default:
                    throw new IllegalStateException("unknown state " + s.state);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Carries no duration, so it cannot tell a permit of the current HALF_OPEN entry from one issued
     * earlier; callers that know how long the permit was held report {@link CallOutcome#REJECTED}
     * through {@link #onOutcome} instead, which ignores stragglers.
     */
    @Override
    public void releasePermission(ToolCall call) {
        Ctx s = state;
        if (s.state == BreakerState.HALF_OPEN) {
            decrementInflight(s, stateTime.getAsLong());
        }
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error) {
        record(outcome, durationNanos, NO_TIME);
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, long endNanoTime, Throwable error) {
        record(outcome, durationNanos, takesSystemEndTime ? endNanoTime : NO_TIME);
    }

    /** Now, in the CLOSED window's time (the ticker's nanoseconds, or the injected clock's milliseconds). */
    public long windowNow() {
        return windowTime.getAsLong();
    }

    /** Whether {@code System.nanoTime()} readings are this breaker's window time (see {@link #record}). */
    public boolean takesSystemEndTime() {
        return takesSystemEndTime;
    }

    /**
     * Records how an admitted call ended. In HALF_OPEN and RECOVERY an outcome whose call started
     * ({@code now - durationNanos}) before the current state was entered is a straggler admitted by an
     * earlier state: it neither frees a probe permit nor counts as a probe or ramp result.
     *
     * @param windowEnd when the call ended in {@link #windowNow()}'s time if the caller has it (a
     *                  {@code System.nanoTime()} reading when {@link #takesSystemEndTime()}), else
     *                  {@link Long#MIN_VALUE}
     */
    public void record(CallOutcome outcome, long durationNanos, long windowEnd) {
        if (outcome == CallOutcome.REJECTED) {
            // Refused further down the pipeline: it never ran, so it says nothing about the dependency.
            Ctx s = state;
            if (s.state == BreakerState.HALF_OPEN) {
                long now = stateTime.getAsLong();
                if (!straggler(s, now, durationNanos)) {
                    decrementInflight(s, now);
                }
            }
            return;
        }
        if (callCounters != null) {
            callCounters[outcome.ordinal()].increment();
        }
        boolean failure = policy.isFailure(outcome);
        boolean slow = durationNanos > slowNanos;
        if (slow && slowCounter != null) {
            slowCounter.increment();
        }
        Ctx s = state;
        if (s.state == BreakerState.CLOSED) {
            long end = windowEnd == NO_TIME ? windowTime.getAsLong() : windowEnd;
            window.record(end, failure, slow);
            if (failure || slow) {
                evaluateClosed(s, end);
            }
            return;
        }
        switch (s.state) {
            case HALF_OPEN: {
                long now = stateTime.getAsLong();
                if (!straggler(s, now, durationNanos)) {
                    recordHalfOpen(s, failure || slow, now);
                }
                return;
            }
            case RECOVERY: {
                long now = stateTime.getAsLong();
                if (!straggler(s, now, durationNanos)) {
                    recordRecovery(s, failure, slow, now);
                }
                return;
            }
            default:
                // OPEN, FORCED_OPEN: a straggler admitted earlier; DISABLED counts nothing.
        }
    }

    /**
     * Whether a call that took {@code durationNanos} and ended at {@code now} started before {@code s}
     * was entered: by the clock (with {@link #stragglerSlackMillis} for its granularity) and, since a
     * test clock may stand still while calls take real time, by the ticker too.
     */
    private boolean straggler(Ctx s, long now, long durationNanos) {
        long durationMillis = durationNanos / 1_000_000L;
        if (durationMillis <= (now - s.enteredAt) + stragglerSlackMillis) {
            return false; // the usual case: no ticker read
        }
        if (durationNanos <= ticker.getAsLong() - s.enteredNanos + tickerSlackNanos) {
            return false;
        }
        LOG.debug("Circuit breaker '{}': outcome of a call admitted before {} was entered ignored", name, s.state);
        return true;
    }

    /**
     * 1 ms for the truncation of millisecond clocks; a {@link CoarseClock} lags by up to its resolution
     * (twice that, for a late refresh), so a probe it timed would otherwise look older than its state.
     */
    static long tickerSlack(LongSupplier ticker) {
        if (ticker instanceof CoarseTicker coarse) {
            return Math.max(MIN_SLACK_NANOS, 2 * coarse.resolutionNanos());
        }
        return MIN_SLACK_NANOS;
    }

    private static long stragglerSlack(Clock clock) {
        if (clock instanceof CoarseClock coarse) {
            return Math.max(1L, 2 * coarse.resolution().toMillis());
        }
        return 1L;
    }

    // ---------------------------------------------------------------- state logic

    private boolean mayOpen(long calls, long failures, long slow) {
        if (calls < config.minimumNumberOfCalls()) {
            return false;
        }
        return slow / (double) calls >= config.slowCallRateThreshold()
                || failures / (double) calls >= thresholdAt(stateTime.getAsLong());
    }

    private void evaluateClosed(Ctx s, long windowEnd) {
        if (!window.test(windowEnd, mayOpen)) {
            return; // the usual case: read and decided without allocating
        }
        long[] sums = new long[3];
        window.sum(windowEnd, sums);
        long calls = sums[0];
        if (calls < config.minimumNumberOfCalls()) {
            return;
        }
        long now = stateTime.getAsLong();
        double failureRate = sums[1] / (double) calls;
        double slowRate = sums[2] / (double) calls;
        double t = thresholdAt(now);
        if (failureRate >= t || slowRate >= config.slowCallRateThreshold()) {
            double severity = Math.max(AdaptiveFormulas.severity(failureRate, t),
                    AdaptiveFormulas.severity(slowRate, config.slowCallRateThreshold()));
            String reason = failureRate >= t
                    ? String.format(Locale.ROOT, "failure rate %.4f >= threshold %.4f over %d calls", failureRate, t, calls)
                    : String.format(Locale.ROOT, "slow-call rate %.4f >= %.4f over %d calls", slowRate,
                            config.slowCallRateThreshold(), calls);
            open(s, now, severity, reason, true, null);
        }
    }

    private void recordHalfOpen(Ctx s, boolean bad, long now) {
        decrementInflight(s, now);
        if (bad) {
            double rate = 1.0 / (s.successes.get() + 1);
            open(s, now, AdaptiveFormulas.severity(rate, thresholdAt(now)), "probe failed in HALF_OPEN", true, null);
            return;
        }
        if (s.successes.incrementAndGet() >= config.halfOpenSuccessThreshold()) {
            transition(s, Ctx.recovery(now, ticker.getAsLong(), s.openings), now,
                    config.halfOpenSuccessThreshold() + " consecutive successful probes", true);
        }
    }

    private void recordRecovery(Ctx s, boolean failure, boolean slow, long now) {
        long calls = s.calls.incrementAndGet();
        long failures = failure ? s.failures.incrementAndGet() : s.failures.get();
        long slows = slow ? s.slow.incrementAndGet() : s.slow.get();
        if (calls >= config.recoveryMinimumCalls()) {
            double failureRate = failures / (double) calls;
            double slowRate = slows / (double) calls;
            double t = thresholdAt(now);
            if (failureRate >= t || slowRate >= config.slowCallRateThreshold()) {
                double severity = Math.max(AdaptiveFormulas.severity(failureRate, t),
                        AdaptiveFormulas.severity(slowRate, config.slowCallRateThreshold()));
                open(s, now, severity, String.format(Locale.ROOT,
                        "rollback from RECOVERY: failure rate %.4f, slow rate %.4f over %d calls", failureRate,
                        slowRate, calls), true, null);
                return;
            }
        }
        if (now - s.enteredAt >= recoveryMillis) {
            transition(s, Ctx.closed(now), now, "recovery ramp complete", true);
        }
    }

    private boolean admitHalfOpen(Ctx s) {
        long n = s.attempts.getAndIncrement();
        if (!ShareAdmission.admits(n, halfOpenPpm)) {
            return false;
        }
        long now = stateTime.getAsLong();
        for (;;) {
            long inflight = s.inflight.get();
            if (inflight >= config.halfOpenMaxConcurrentCalls()) {
                long last = s.lastProbeActivity.get();
                if (now - last < monitoringMillis || !s.lastProbeActivity.compareAndSet(last, now)) {
                    return false;
                }
                // nobody reported back for a whole monitoring period: the permits were lost
                LOG.warn("Circuit breaker '{}': {} HALF_OPEN permits not returned within {} ms, reclaimed", name,
                        inflight, monitoringMillis);
                s.inflight.set(0);
                continue;
            }
            if (s.inflight.compareAndSet(inflight, inflight + 1)) {
                s.lastProbeActivity.set(now);
                return true;
            }
        }
    }

    private void decrementInflight(Ctx s, long now) {
        if (s.lastProbeActivity != null) {
            s.lastProbeActivity.set(now);
        }
        for (;;) {
            long inflight = s.inflight.get();
            if (inflight <= 0 || s.inflight.compareAndSet(inflight, inflight - 1)) {
                return;
            }
        }
    }

    /** The 0-based step of the RECOVERY ramp at {@code now}. */
    private int rampStep(Ctx s, long now) {
        long elapsed = Math.max(0, now - s.enteredAt);
        return (int) Math.min(rampSteps - 1, elapsed * rampSteps / recoveryMillis);
    }

    private boolean admitRamp(Ctx s, long now) {
        int step = rampStep(s, now);
        for (;;) {
            long v = s.rampAttempts.get();
            int seenStep = (int) (v >>> RAMP_STEP_SHIFT);
            long next;
            long n;
            int useStep;
            if (step > seenStep) {
                next = ((long) step << RAMP_STEP_SHIFT) | 1L;
                n = 0;
                useStep = step;
            } else {
                next = v + 1;
                n = v & RAMP_COUNT_MASK;
                useStep = seenStep;
            }
            if (s.rampAttempts.compareAndSet(v, next)) {
                return ShareAdmission.admits(n, rampPpm[useStep]);
            }
        }
    }

    private BreakerState rejected(BreakerState in) {
        if (rejectedCounters != null) {
            rejectedCounters[in.ordinal()].increment();
        }
        return in;
    }

    /** Moves {@code from} to OPEN with an adaptive duration, or {@code fixedMillis} when given. */
    private boolean open(Ctx from, long now, double severity, String reason, boolean automatic, Long fixedMillis) {
        int openings = from.state == BreakerState.CLOSED || from.state == BreakerState.DISABLED
                || from.state == BreakerState.FORCED_OPEN ? 1 : from.openings + 1;
        long durationMillis;
        if (fixedMillis != null) {
            durationMillis = fixedMillis;
        } else {
            long last = lastOpenedAt;
            long since = last == NO_TIME ? Long.MAX_VALUE : Math.max(0, now - last);
            double load = systemLoadSignal == null ? Double.NaN : AdaptiveFormulas.normalise(sample(systemLoadSignal));
            durationMillis = AdaptiveFormulas.openDurationMillis(config, severity, relapseRatio(), load, since,
                    openings);
        }
        long until = durationMillis == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedAdd(now, durationMillis);
        Ctx next = Ctx.open(now, until, openings);
        if (transition(from, next, now, reason, automatic)) {
            lastOpenedAt = now;
            lastOpenDurationMillis = durationMillis == Long.MAX_VALUE ? 0 : durationMillis;
            return true;
        }
        return false;
    }

    private boolean casState(Ctx expected, Ctx next) {
        return STATE.compareAndSet(this, expected, next);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** CAS {@code from → to}; on success applies side effects and publishes the event. */
    private boolean transition(Ctx from, Ctx to, long now, String reason, boolean automatic) {
        if (!from.state.canTransitionTo(to.state)) {
            throw new IllegalStateException(
                    "breaker '" + name + "': transition " + from.state + " -> " + to.state + " is not allowed");
        }
        if (!casState(from, to)) {
            return false;
        }
        if (to.state == BreakerState.CLOSED) {
            window.clear();
            if (from.state == BreakerState.RECOVERY) {
                pushRecoveryOutcome(false);
            }
        } else if (to.state == BreakerState.OPEN
                && (from.state == BreakerState.HALF_OPEN || from.state == BreakerState.RECOVERY)) {
            pushRecoveryOutcome(true);
        }
        long openMillis = to.state == BreakerState.OPEN && to.openUntil != Long.MAX_VALUE ? to.openUntil - now : 0;
        if (registry != null) {
            registry.counter("qudag.resilience.breaker.transitions",
                    meterTags.and("from", from.state.name(), "to", to.state.name())).increment();
        }
        if (to.state == BreakerState.OPEN || to.state == BreakerState.FORCED_OPEN) {
            if (openMillis == 0) {
                LOG.warn("Circuit breaker '{}' {} -> {} ({}), held open until released", name, from.state, to.state, reason);
            } else {
                LOG.warn("Circuit breaker '{}' {} -> {} ({}), open for {} ms", name, from.state, to.state, reason, openMillis);
            }
        } else {
            LOG.info("Circuit breaker '{}' {} -> {} ({})", name, from.state, to.state, reason);
        }
        if (!listeners.isEmpty()) {
            BreakerStateTransitionEvent event = new BreakerStateTransitionEvent(name, from.state, to.state, reason,
                    instantOf(now), threshold, Duration.ofMillis(openMillis), automatic);
            for (BreakerEventListener l : listeners) {
                try {
                    l.onStateTransition(event);
                } catch (RuntimeException e) {
                    LOG.warn("Breaker listener {} failed on {}", l, event, e);
                }
            }
        }
        return true;
    }

    private void pushRecoveryOutcome(boolean relapse) {
        recoveryHistory.updateAndGet(v -> {
            int count = Math.min(HISTORY_BITS, (v >>> HISTORY_BITS) + 1);
            int bits = ((v << 1) | (relapse ? 1 : 0)) & ((1 << HISTORY_BITS) - 1);
            return (count << HISTORY_BITS) | bits;
        });
    }

    /** Relapses among the last (up to 8) recovery attempts, NaN when there were none. */
    double relapseRatio() {
        int v = recoveryHistory.get();
        int count = v >>> HISTORY_BITS;
        if (count == 0) {
            return Double.NaN;
        }
        int bits = v & ((1 << count) - 1);
        return Integer.bitCount(bits) / (double) count;
    }

    private double thresholdAt(long now) {
        if (now >= nextAdaptationAt) {
            nextAdaptationAt = now + adaptationMillis;
            threshold = computeThreshold();
        }
        return threshold;
    }

    private double computeThreshold() {
        double[] values = new double[signals.length];
        for (int i = 0; i < signals.length; i++) {
            values[i] = signals[i] == null ? 0.5 : sample(signals[i]);
        }
        return AdaptiveFormulas.threshold(config, values);
    }

    private double sample(FactorSignal signal) {
        try {
            return signal.value();
        } catch (RuntimeException e) {
            LOG.warn("Factor signal {} of breaker '{}' failed; treating it as neutral", signal, name, e);
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- AdaptiveCircuitBreaker

    @Override
    public BreakerState state() {
        return state.state;
    }

    @Override
    public BreakerSnapshot snapshot() {
        long now = stateTime.getAsLong();
        Ctx s = state;
        long[] sums = new long[3];
        window.sum(windowTime.getAsLong(), sums);
        double share;
        switch (s.state) {
            case CLOSED:
            case DISABLED:
                share = 1.0;
                break;
            case HALF_OPEN:
                share = config.halfOpenShare();
                break;
            case RECOVERY:
                share = config.recoveryShareAt(rampStep(s, now));
                break;
            default:
                share = 0.0;
        }
        return new BreakerSnapshot(s.state, sums[0], sums[0] == 0 ? 0 : sums[1] / (double) sums[0],
                sums[0] == 0 ? 0 : sums[2] / (double) sums[0], threshold, Duration.ofMillis(lastOpenDurationMillis),
                s.openings, share);
    }

    @Override
    public AdaptiveBreakerConfig config() {
        return config;
    }

    @Override
    public double currentFailureThreshold() {
        return thresholdAt(stateTime.getAsLong());
    }

    @Override
    public void tick() {
        Ctx s = state;
        long now = stateTime.getAsLong();
        if (s.state == BreakerState.OPEN && now >= s.openUntil) {
            transition(s, Ctx.halfOpen(now, ticker.getAsLong(), s.openings), now, "open time over", true);
        } else if (s.state == BreakerState.RECOVERY && now - s.enteredAt >= recoveryMillis) {
            transition(s, Ctx.closed(now), now, "recovery ramp complete", true);
        }
    }

    @Override
    public void transitionToClosed() {
        adminMove(BreakerState.CLOSED, "administrative reset");
        recoveryHistory.set(0);
        lastOpenedAt = NO_TIME;
    }

    @Override
    public void transitionToDisabled() {
        adminMove(BreakerState.DISABLED, "administratively disabled");
    }

    @Override
    public void transitionToForcedOpen() {
        adminMove(BreakerState.FORCED_OPEN, "administratively forced open");
    }

    private void adminMove(BreakerState target, String reason) {
        for (;;) {
            Ctx s = state;
            if (s.state == target) {
                return;
            }
            long now = stateTime.getAsLong();
            Ctx next = target == BreakerState.CLOSED ? Ctx.closed(now)
                    : new Ctx(target, now, Long.MAX_VALUE, 0);
            if (transition(s, next, now, reason, false)) {
                return;
            }
        }
    }

    @Override
    public void transitionToOpen(Duration openFor, String reason) {
        BreakerState refusedIn = tryTransitionToOpen(openFor, reason);
        if (refusedIn != null) {
            throw new IllegalStateException("breaker '" + name + "' is " + refusedIn + " and may not move to OPEN");
        }
    }

    /**
     * {@link #transitionToOpen} without the exception, for coordinators that race with callers and
     * operators (the breaker hierarchy).
     *
     * @return {@code null} when the breaker is OPEN now (moved or re-armed), else the state that may
     *         not move to OPEN (DISABLED, FORCED_OPEN)
     */
    public BreakerState tryTransitionToOpen(Duration openFor, String reason) {
        if (openFor != null && (openFor.isNegative() || openFor.isZero())) {
            throw new IllegalArgumentException("openFor must be a positive duration or null, was " + openFor);
        }
        Long fixed = openFor == null ? Long.MAX_VALUE : openFor.toMillis();
        for (;;) {
            Ctx s = state;
            long now = stateTime.getAsLong();
            if (s.state == BreakerState.OPEN) {
                long until = fixed == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedAdd(now, fixed);
                if (until <= s.openUntil || casState(s, Ctx.open(now, until, s.openings))) {
                    LOG.info("Circuit breaker '{}' stays OPEN, re-armed ({})", name, reason);
                    return null;
                }
                continue;
            }
            if (!s.state.canTransitionTo(BreakerState.OPEN)) {
                return s.state;
            }
            if (open(s, now, 1.0, reason, false, fixed)) {
                return null;
            }
        }
    }

    @Override
    public void transitionToHalfOpen(String reason) {
        BreakerState refusedIn = tryTransitionToHalfOpen(reason);
        if (refusedIn != null) {
            throw new IllegalStateException("breaker '" + name + "' is " + refusedIn + ", not OPEN");
        }
    }

    /**
     * {@link #transitionToHalfOpen} without the exception: a caller's permit request may have moved the
     * breaker out of OPEN (open time over) between a coordinator's look and its move.
     *
     * @return {@code null} when this call moved the breaker OPEN → HALF_OPEN, else the state it found
     *         instead of OPEN
     */
    public BreakerState tryTransitionToHalfOpen(String reason) {
        for (;;) {
            Ctx s = state;
            if (s.state != BreakerState.OPEN) {
                return s.state;
            }
            long now = stateTime.getAsLong();
            if (transition(s, Ctx.halfOpen(now, ticker.getAsLong(), s.openings), now, reason, false)) {
                return null;
            }
        }
    }

    @Override
    public void addListener(BreakerEventListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null, was null");
        }
        listeners.add(listener);
    }

    @Override
    public void removeListener(BreakerEventListener listener) {
        listeners.remove(listener);
    }

    /** The instant the current OPEN state ends, or {@code null} when not OPEN or held open. */
    public Instant openUntil() {
        Ctx s = state;
        return s.state == BreakerState.OPEN && s.openUntil != Long.MAX_VALUE ? instantOf(s.openUntil) : null;
    }

    /** The wall-clock instant of a state time. */
    private Instant instantOf(long stateMillis) {
        if (clockInjected) {
            return Instant.ofEpochMilli(stateMillis);
        }
        return Instant.ofEpochMilli(clock.millis() + (stateMillis - stateTime.getAsLong()));
    }

    @Override
    public String toString() {
        return "AdaptiveCircuitBreaker{" + name + ", " + state() + '}';
    }

    /** One entry into a state; its counters live as long as the state does. */
    static final class Ctx {
        final BreakerState state;
        final long enteredAt;
        /** The ticker at entry (HALF_OPEN and RECOVERY only, else 0). */
        final long enteredNanos;
        final long openUntil;
        final int openings;
        final AtomicLong attempts;
        final AtomicLong inflight;
        final AtomicLong successes;
        final AtomicLong rampAttempts;
        final AtomicLong calls;
        final AtomicLong failures;
        final AtomicLong slow;
        final AtomicLong lastProbeActivity;

        Ctx(BreakerState state, long enteredAt, long openUntil, int openings) {
            this(state, enteredAt, 0L, openUntil, openings);
        }

        Ctx(BreakerState state, long enteredAt, long enteredNanos, long openUntil, int openings) {
            this.state = state;
            this.enteredAt = enteredAt;
            this.enteredNanos = enteredNanos;
            this.openUntil = openUntil;
            this.openings = openings;
            boolean probing = state == BreakerState.HALF_OPEN || state == BreakerState.RECOVERY;
            this.attempts = probing ? new AtomicLong() : null;
            this.inflight = probing ? new AtomicLong() : null;
            this.successes = probing ? new AtomicLong() : null;
            this.rampAttempts = probing ? new AtomicLong() : null;
            this.calls = probing ? new AtomicLong() : null;
            this.failures = probing ? new AtomicLong() : null;
            this.slow = probing ? new AtomicLong() : null;
            this.lastProbeActivity = probing ? new AtomicLong(enteredAt) : null;
        }

        static Ctx closed(long now) {
            return new Ctx(BreakerState.CLOSED, now, 0, 0);
        }

        static Ctx open(long now, long until, int openings) {
            return new Ctx(BreakerState.OPEN, now, until, openings);
        }

        static Ctx halfOpen(long now, long nanos, int openings) {
            return new Ctx(BreakerState.HALF_OPEN, now, nanos, 0, openings);
        }

        static Ctx recovery(long now, long nanos, int openings) {
            return new Ctx(BreakerState.RECOVERY, now, nanos, 0, openings);
        }
    }
}
