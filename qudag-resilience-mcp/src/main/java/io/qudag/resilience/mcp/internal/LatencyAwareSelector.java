package io.qudag.resilience.mcp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.mcp.LatencyRoutingConfig;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's default {@link EndpointSelector} (spec §1.1 tiers and load distribution, §1.2 instant
 * redirection and outlier handling): tiers in order (lower first), endpoints found down moved to the
 * back as {@code PriorityEndpointSelector} does, and inside the best tier that has an endpoint up a
 * latency-aware choice, see {@link LatencyRoutingConfig}: power of two choices on
 * {@code peakEwma × (inFlight + 1)}, and latency outliers ejected from the picks for a growing time,
 * returning through a probe and a ramp. The outlier analysis compares plain latency EWMAs (gain 1/8 per
 * answer), not the peak EWMAs: one slow answer moves a peak for seconds but must not eject a replica.
 *
 * <p>The call path ({@link #select}, {@link #onAttemptStart}, {@link #onAttemptEnd}, {@link #onOutcome})
 * takes no lock and allocates nothing while no endpoint is down: per endpoint state lives in atomic
 * arrays, and the answer of {@code select} is one of the lists made at construction ("endpoint i first,
 * then every other in tier order"). Races between samples of one endpoint may lose a sample, never
 * corrupt the estimate. The outlier analysis runs on the call path at most once per quarter of
 * {@link LatencyRoutingConfig#outlierSustain()}, by the one caller that wins a compare-and-set.
 */
public final class LatencyAwareSelector implements EndpointSelector {

    private static final Logger log = LoggerFactory.getLogger(LatencyAwareSelector.class);
    /** Cost of an endpoint that has calls in flight but no latency sample yet (Finagle's penalty). */
    private static final double PENALTY = 1e15;

    private final LatencyRoutingConfig config;
    private final LongSupplier nanoTime;
    private final int n;
    /** Endpoint ids in tier order (stable: configured order inside a tier). */
    private final String[] ids;
    private final int[] tierStart;
    private final int[] tierEnd;
    /** Per endpoint i: the list "i, then every other endpoint in tier order". */
    private final List<String>[] firstIs;
    private final List<String> order;
    /** Id hash → position, see {@link #index}. */
    private final int[] slots;
    private final int slotMask;
    private final int hashShift;
    private final boolean balanced;
    private final double tauNanos;
    private final double invTau;
    private final long sustainNanos;
    private final long rampNanos;
    private final long evalIntervalNanos;
    private final double minExcessNanos;

    private final AtomicLongArray peak;
    /** Per endpoint: the plain latency EWMA (gain 1/8 per answer, as RFC 6298), for the outlier analysis. */
    private final AtomicLongArray mean;
    private final AtomicLongArray stamp;
    /** Per endpoint: the calls in flight, counted here by onAttemptStart/End when no source was given. */
    private final AtomicIntegerArray inFlight;
    /** Per endpoint: the requests in flight as the transport counts them, or {@code null}. */
    private final IntSupplier[] inFlightSources;
    private final AtomicIntegerArray down;
    private final AtomicInteger downCount = new AtomicInteger();
    private final AtomicLongArray ejectedUntil;
    private final AtomicLongArray slowSince;
    private final AtomicLongArray returnedAt;
    private final AtomicLongArray lastEjectionEnd;
    private final AtomicIntegerArray ejections;
    /** Per endpoint back from ejection: 1 while its probe is unanswered (one call at a time), 2 once answered. */
    private final AtomicIntegerArray probe;
    private final AtomicLong nextEvaluation;
    /**
     * Whether an endpoint may be ejected, probing or ramping back from an ejection: set by the analysis,
     * the only writer of ejections, probes and returns, before it writes them, and cleared when none is
     * left; while it is false a pick reads none of them.
     */
    private volatile boolean ejecting;
    private final AtomicBoolean evaluating = new AtomicBoolean();
    private final double[] scratch;
    private final Counter[] ejectionMeters;

    /**
     * @param endpoints the client's endpoints in configured order; an endpoint without a tier has its
     *                  position as tier
     * @param registry  for {@code qudag.resilience.mcp.routing.ejections}, or {@code null}
     */
    public LatencyAwareSelector(List<McpEndpoint> endpoints, LatencyRoutingConfig config, LongSupplier nanoTime,
            MeterRegistry registry) {
        this(idsOf(endpoints), tiersOf(endpoints), config, nanoTime, registry, null);
    }

    /**
     * @param inFlightSource per endpoint id, the count of its requests in flight that something on the
     *                       call path keeps anyway (the client: its transport's pending requests); then
     *                       {@link #onAttemptStart} and {@link #onAttemptEnd} count nothing. {@code null}:
     *                       they count.
     */
    public LatencyAwareSelector(List<McpEndpoint> endpoints, LatencyRoutingConfig config, LongSupplier nanoTime,
            MeterRegistry registry, Function<String, IntSupplier> inFlightSource) {
        this(idsOf(endpoints), tiersOf(endpoints), config, nanoTime, registry, inFlightSource);
    }

    /** Endpoint {@code ids.get(i)} is in tier {@code tiers[i]}. */
    public LatencyAwareSelector(List<String> ids, int[] tiers, LatencyRoutingConfig config, LongSupplier nanoTime,
            MeterRegistry registry) {
        this(ids, tiers, config, nanoTime, registry, null);
    }

    /** Endpoint {@code ids.get(i)} is in tier {@code tiers[i]}; {@code inFlightSource} as above, or {@code null}. */
    @SuppressWarnings("unchecked")
    public LatencyAwareSelector(List<String> ids, int[] tiers, LatencyRoutingConfig config, LongSupplier nanoTime,
            MeterRegistry registry, Function<String, IntSupplier> inFlightSource) {
        if (ids == null || ids.isEmpty() || tiers == null || tiers.length != ids.size()) {
            throw new IllegalArgumentException("ids must be non-empty with one tier each, was " + ids + " and "
                    + (tiers == null ? "null" : tiers.length + " tiers"));
        }
        if (config == null || nanoTime == null) {
            throw new IllegalArgumentException("config and nanoTime must not be null, was " + config + ", " + nanoTime);
        }
        this.config = config;
        this.nanoTime = nanoTime;
        this.n = ids.size();
        Integer[] byTier = new Integer[n];
        for (int i = 0; i < n; i++) {
            byTier[i] = i;
        }
        java.util.Arrays.sort(byTier, (x, y) -> tiers[x] != tiers[y] ? Integer.compare(tiers[x], tiers[y])
                : Integer.compare(x, y));
        this.ids = new String[n];
        int[] tierOf = new int[n];
        for (int i = 0; i < n; i++) {
            this.ids[i] = ids.get(byTier[i]);
            tierOf[i] = tiers[byTier[i]];
        }
        this.tierStart = new int[n];
        this.tierEnd = new int[n];
        boolean anyShared = false;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && tierOf[j] == tierOf[i]) {
                j++;
            }
            for (int k = i; k < j; k++) {
                tierStart[k] = i;
                tierEnd[k] = j;
            }
            anyShared |= j - i > 1;
            i = j;
        }
        this.order = List.of(this.ids);
        this.hashShift = 16;
        this.slots = slotsFor(this.ids, hashShift);
        this.slotMask = slots.length - 1;
        this.firstIs = new List[n];
        for (int i = 0; i < n; i++) {
            List<String> l = new ArrayList<>(n);
            l.add(this.ids[i]);
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    l.add(this.ids[k]);
                }
            }
            firstIs[i] = Collections.unmodifiableList(l);
        }
        this.balanced = config.enabled() && anyShared;
        this.tauNanos = config.decayTime().toNanos();
        this.invTau = 1 / tauNanos;
        this.sustainNanos = config.outlierSustain().toNanos();
        this.rampNanos = config.rampTime().toNanos();
        this.evalIntervalNanos = Math.max(1_000_000L, sustainNanos / 4);
        this.minExcessNanos = config.outlierMinExcess().toNanos();
        this.peak = new AtomicLongArray(n);
        this.mean = new AtomicLongArray(n);
        this.stamp = new AtomicLongArray(n);
        this.inFlight = new AtomicIntegerArray(n);
        if (inFlightSource == null) {
            this.inFlightSources = null;
        } else {
            this.inFlightSources = new IntSupplier[n];
            for (int i = 0; i < n; i++) {
                inFlightSources[i] = inFlightSource.apply(this.ids[i]);
                if (inFlightSources[i] == null) {
                    throw new IllegalArgumentException("inFlightSource must give a count for every endpoint, gave"
                            + " null for " + this.ids[i]);
                }
            }
        }
        this.down = new AtomicIntegerArray(n);
        this.ejectedUntil = new AtomicLongArray(n);
        this.slowSince = new AtomicLongArray(n);
        this.returnedAt = new AtomicLongArray(n);
        this.lastEjectionEnd = new AtomicLongArray(n);
        this.ejections = new AtomicIntegerArray(n);
        this.probe = new AtomicIntegerArray(n);
        this.nextEvaluation = new AtomicLong(nanoTime.getAsLong() + evalIntervalNanos);
        this.scratch = new double[n];
        this.ejectionMeters = new Counter[n];
        if (registry != null) {
            for (int i = 0; i < n; i++) {
                ejectionMeters[i] = Counter.builder("qudag.resilience.mcp.routing.ejections").tag("endpoint", this.ids[i])
                        .description("latency outlier ejections of the endpoint from its tier's picks")
                        .register(registry);
            }
        }
    }

    private static List<String> idsOf(List<McpEndpoint> endpoints) {
        List<String> l = new ArrayList<>();
        endpoints.forEach(e -> l.add(e.id()));
        return l;
    }

    private static int[] tiersOf(List<McpEndpoint> endpoints) {
        int[] t = new int[endpoints.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = endpoints.get(i).tier().orElse(i);
        }
        return t;
    }

    /**
     * The endpoint's position: one lookup in a small collision-free table keyed by the id's hash (the
     * call path passes back the very strings {@link #select} returned), so the answer costs no
     * data-dependent branch; a scan for any other string.
     */
    private int index(String id) {
        int h = id.hashCode();
        int i = slots[(h ^ h >>> hashShift) & slotMask];
        if (i >= 0 && ids[i] == id) {
            return i;
        }
        return scan(id);
    }

    private int scan(String id) {
        for (int i = 0; i < n; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** A table of {@code 2^k} slots, {@code k} as small as gives each id its own slot, else an empty one. */
    private static int[] slotsFor(String[] ids, int shift) {
        for (int size = Integer.highestOneBit(Math.max(1, ids.length) * 2 - 1) * 2; size <= 1 << 12; size <<= 1) {
            int[] t = new int[size];
            java.util.Arrays.fill(t, -1);
            boolean clash = false;
            for (int i = 0; i < ids.length && !clash; i++) {
                int h = ids[i].hashCode();
                int slot = (h ^ h >>> shift) & (size - 1);
                clash = t[slot] >= 0;
                t[slot] = i;
            }
            if (!clash) {
                return t;
            }
        }
        int[] none = new int[1];
        none[0] = -1;
        return none;
    }

    /** The endpoints in tier order. */
    public List<String> order() {
        return order;
    }

    @Override
    public List<String> select(ToolCall call) {
        if (downCount.get() == 0) {
            if (!balanced || tierEnd[0] == 1) {
                return order;
            }
            return firstIs[choose(0, tierEnd[0], nanoTime.getAsLong())];
        }
        return selectAroundDown();
    }

    /** Some endpoint is down: the best tier with an endpoint up, down ones last (allocates, as the old selector). */
    private List<String> selectAroundDown() {
        List<String> up = new ArrayList<>(n);
        List<String> rest = new ArrayList<>(n);
        int chosen = -1;
        for (int s = 0; s < n && chosen < 0; s = tierEnd[s]) {
            int e = tierEnd[s];
            int live = 0;
            for (int i = s; i < e; i++) {
                live += down.get(i) == 0 ? 1 : 0;
            }
            if (live == 0) {
                continue;
            }
            if (!balanced || live == 1) {
                for (int i = s; i < e && chosen < 0; i++) {
                    chosen = down.get(i) == 0 ? i : -1;
                }
            } else {
                long now = nanoTime.getAsLong();
                chosen = choose(s, e, now);
                if (down.get(chosen) != 0) {
                    // a down endpoint came out of the draw: the cheapest live one of the tier instead
                    int best = -1;
                    double bestCost = 0;
                    for (int i = s; i < e; i++) {
                        if (down.get(i) == 0) {
                            double c = ejected(i, now) ? Double.MAX_VALUE : cost(i, now);
                            if (best < 0 || c < bestCost) {
                                best = i;
                                bestCost = c;
                            }
                        }
                    }
                    chosen = best;
                }
            }
        }
        if (chosen >= 0) {
            up.add(ids[chosen]);
        }
        for (int i = 0; i < n; i++) {
            if (i != chosen) {
                (down.get(i) != 0 ? rest : up).add(ids[i]);
            }
        }
        up.addAll(rest);
        return up;
    }

    /**
     * Power of two choices in [s, e), skipping ejected endpoints. One random draw gives both candidates
     * (multiply-shift instead of a division), and the comparison selects without a branch where the JIT
     * can: the outcome of a fair pick is what a branch predictor cannot learn.
     */
    private int choose(int s, int e, long now) {
        int k = e - s;
        if (k == 1) {
            return s;
        }
        long r = ThreadLocalRandom.current().nextLong();
        int a = s + (int) (((r & 0xFFFFFFFFL) * k) >>> 32);
        int b = s + (int) (((r >>> 32) * (k - 1)) >>> 32);
        b += b >= a ? 1 : 0;
        boolean ejecting = this.ejecting;
        if (ejecting) {
            boolean ea = ejected(a, now);
            boolean eb = ejected(b, now);
            if (ea | eb) {
                if (!ea) {
                    return a;
                }
                if (!eb) {
                    return b;
                }
                for (int i = s; i < e; i++) {
                    if (!ejected(i, now)) {
                        return i;
                    }
                }
                return a;
            }
        }
        // cost(a) <= cost(b) as num(a) × den(b) <= num(b) × den(a): no division on the call path, and each
        // estimate read once
        double pa = Double.longBitsToDouble(peak.get(a));
        double xa = (now - stamp.get(a)) * invTau;
        long ba = ejecting ? returnedAt.get(a) : 0;
        double pb = Double.longBitsToDouble(peak.get(b));
        double xb = (now - stamp.get(b)) * invTau;
        long bb = ejecting ? returnedAt.get(b) : 0;
        double na = costNumerator(pa, pending(a), xa, ba, now);
        double nb = costNumerator(pb, pending(b), xb, bb, now);
        return na * costDenominator(pb, xb, bb, now) <= nb * costDenominator(pa, xa, ba, now) ? a : b;
    }

    private boolean ejected(int i, long now) {
        long until = ejectedUntil.get(i);
        return until != 0 && now - until < 0 || probe.get(i) == 1 && pending(i) > 0;
    }

    private boolean ejectedOnly(int i, long now) {
        long until = ejectedUntil.get(i);
        return until != 0 && now - until < 0;
    }

    /** e^-x for x >= 0, within a few percent (no call to Math.exp on the call path). */
    private static double decay(double x) {
        if (x <= 0) {
            return 1;
        }
        if (x < 0.01) {
            return 1 - x * (1 - 0.5 * x); // the usual case, samples milliseconds apart: no division
        }
        if (x > 30) {
            return 0;
        }
        return 1 / decayDenominator(x);
    }

    /** {@code 1 / e^-x} by its Taylor polynomial, for 0.01 <= x <= 30. */
    private static double decayDenominator(double x) {
        return 1 + x * (1 + x * (0.5 + x * (1.0 / 6 + x * (1.0 / 24))));
    }

    /** {@code peakEwma × (inFlight + 1)}, the estimate decayed over the time since its last sample, ramp penalty included. */
    double cost(int i, long now) {
        return costNumerator(i, now) / costDenominator(i, now);
    }

    private double costNumerator(int i, long now) {
        return costNumerator(Double.longBitsToDouble(peak.get(i)), pending(i), (now - stamp.get(i)) * invTau,
                returnedAt.get(i), now);
    }

    private double costDenominator(int i, long now) {
        return costDenominator(Double.longBitsToDouble(peak.get(i)), (now - stamp.get(i)) * invTau,
                returnedAt.get(i), now);
    }

    /**
     * The cost as a fraction, {@code costNumerator / costDenominator}, so that two costs compare by two
     * multiplications: the decay's polynomial and the ramp's elapsed time go to the denominator. {@code p}
     * is the peak EWMA, {@code x} the time since its last sample over the decay time, {@code back} when
     * the endpoint returned from an ejection (0: never).
     */
    private double costNumerator(double p, int pending, double x, long back, long now) {
        if (p <= 0) {
            return pending == 0 ? 0 : PENALTY + pending;
        }
        double c = p * (pending + 1);
        if (x < 0.01) {
            c = x <= 0 ? c : c * (1 - x * (1 - 0.5 * x));
        } else if (x > 30) {
            return 0;
        }
        if (back != 0 && now - back < rampNanos) {
            c *= rampNanos;
        }
        return c;
    }

    private double costDenominator(double p, double x, long back, long now) {
        double d = 1;
        if (p <= 0) {
            return d;
        }
        if (x >= 0.01 && x <= 30) {
            d = decayDenominator(x);
        }
        if (back != 0) {
            long since = now - back;
            if (since < rampNanos) {
                d *= Math.max(since, rampNanos / 10);
            }
        }
        return d;
    }

    @Override
    public void onAttemptStart(String endpointId) {
        if (!balanced || inFlightSources != null) {
            return; // no shared tier: nothing is chosen on load; or the load is counted elsewhere
        }
        int i = index(endpointId);
        if (i >= 0) {
            inFlight.incrementAndGet(i);
        }
    }

    @Override
    public void onAttemptEnd(String endpointId) {
        if (!balanced || inFlightSources != null) {
            return;
        }
        int i = index(endpointId);
        if (i >= 0) {
            inFlight.decrementAndGet(i);
        }
    }

    @Override
    public void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos) {
        int i = index(endpointId);
        if (i < 0) {
            return;
        }
        if (outcome == CallOutcome.TRANSPORT_ERROR) {
            markDown(i);
        } else if (outcome != CallOutcome.REJECTED && outcome != CallOutcome.TIMEOUT) {
            markUp(i);
        }
        if (outcome == CallOutcome.REJECTED || durationNanos < 0 || !balanced) {
            return; // not sent: no latency to learn
        }
        long now = nanoTime.getAsLong();
        observe(i, durationNanos, now);
        if (config.outlierEjection() && now - nextEvaluation.get() >= 0) {
            evaluate(now);
        }
    }

    /**
     * A lost hedge: the endpoint had not answered after {@code elapsedNanos}. Learned as a lower bound: it
     * raises the peak and the latency EWMA when above them and never pulls them down, so a replica that
     * turns slow is seen when its first hedged calls are won elsewhere (the hedge delay plus the winner's
     * latency), not only when its own slow answers arrive.
     */
    @Override
    public void onAttemptAbandoned(String endpointId, ToolCall call, long elapsedNanos) {
        if (!balanced || elapsedNanos <= 0) {
            return;
        }
        int i = index(endpointId);
        if (i < 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        double r = elapsedNanos;
        if (r > Double.longBitsToDouble(peak.get(i))) {
            peak.set(i, Double.doubleToRawLongBits(r));
            stamp.set(i, now);
        }
        if (probe.get(i) == 1 && probe.compareAndSet(i, 1, 2)) {
            // a probe that lost its hedge race is its answer too: at least this slow
            mean.set(i, Double.doubleToRawLongBits(r));
            nextEvaluation.set(now);
        } else {
            double m = Double.longBitsToDouble(mean.get(i));
            if (r > m) {
                mean.set(i, Double.doubleToRawLongBits(m <= 0 ? r : m + (r - m) / 8));
            }
        }
        if (config.outlierEjection() && now - nextEvaluation.get() >= 0) {
            evaluate(now);
        }
    }

    /** Finagle's peak EWMA: a sample above the estimate replaces it, a lower one pulls it down with the decay. */
    private void observe(int i, long nanos, long now) {
        double p = Double.longBitsToDouble(peak.get(i));
        double r = nanos;
        long elapsed;
        // release stores: readers need no ordering between the three estimates, and a full fence per
        // store would cost more than the rest of the update
        if (p <= 0 || r >= p) {
            peak.lazySet(i, Double.doubleToRawLongBits(Math.max(r, 1)));
            stamp.lazySet(i, now);
        } else if ((elapsed = now - stamp.get(i)) > 0) {
            double w = decay(elapsed * invTau);
            peak.lazySet(i, Double.doubleToRawLongBits(p * w + r * (1 - w)));
            stamp.lazySet(i, now);
        } // else no time passed since the last sample: a lower one has no weight yet (no store)
        if (probe.get(i) == 1 && probe.compareAndSet(i, 1, 2)) {
            // the probe's answer is the evidence: judged at the next analysis, which is due now
            mean.set(i, Double.doubleToRawLongBits(Math.max(r, 1)));
            nextEvaluation.set(now);
            return;
        }
        double m = Double.longBitsToDouble(mean.get(i));
        mean.lazySet(i, Double.doubleToRawLongBits(m <= 0 ? Math.max(r, 1) : m + (r - m) / 8));
    }

    @Override
    public void onLiveness(String endpointId, boolean alive) {
        int i = index(endpointId);
        if (i < 0) {
            return;
        }
        if (alive) {
            markUp(i);
        } else {
            markDown(i);
        }
    }

    /** Moves {@code endpointId} to the back until it is found up again. */
    public void markDown(String endpointId) {
        int i = index(endpointId);
        if (i >= 0) {
            markDown(i);
        }
    }

    private void markDown(int i) {
        if (down.get(i) == 0 && down.compareAndSet(i, 0, 1)) {
            downCount.incrementAndGet();
        }
    }

    private void markUp(int i) {
        if (down.get(i) != 0 && down.compareAndSet(i, 1, 0)) {
            downCount.decrementAndGet();
        }
    }

    /** The outlier analysis, at most once per interval, by one caller. */
    void evaluate(long now) {
        long due = nextEvaluation.get();
        if (now - due < 0 || !nextEvaluation.compareAndSet(due, now + evalIntervalNanos)) {
            return;
        }
        if (!evaluating.compareAndSet(false, true)) {
            return;
        }
        try {
            ejecting = true;
            for (int s = 0; s < n; s = tierEnd[s]) {
                evaluateTier(s, tierEnd[s], now);
            }
            boolean any = false;
            for (int i = 0; i < n && !any; i++) {
                any = ejectedUntil.get(i) != 0 || probe.get(i) == 1 || returnedAt.get(i) != 0;
            }
            ejecting = any;
        } finally {
            evaluating.set(false);
        }
    }

    private void evaluateTier(int s, int e, long now) {
        int k = e - s;
        int maxEjected = (int) Math.floor(config.maxEjectionShare() * k + 1e-9);
        if (k < 2) {
            return;
        }
        int ejectedNow = 0;
        for (int i = s; i < e; i++) {
            long until = ejectedUntil.get(i);
            if (until != 0 && now - until >= 0) {
                // back from ejection: a neutral estimate (its peers' median), a fresh ramp; the next answers probe it
                double median = medianOfOthers(i, s, e);
                peak.set(i, Double.doubleToRawLongBits(median > 0 ? median : 0));
                mean.set(i, Double.doubleToRawLongBits(median > 0 ? median : 0));
                stamp.set(i, now);
                returnedAt.set(i, now);
                probe.set(i, 1);
                slowSince.set(i, 0);
                lastEjectionEnd.set(i, now);
                ejectedUntil.set(i, 0);
                log.info("endpoint {} returns from latency ejection (ramp {} ms)", ids[i], rampNanos / 1_000_000);
            } else if (until != 0) {
                ejectedNow++;
            }
            long back = returnedAt.get(i);
            if (back != 0 && now - back >= rampNanos) {
                returnedAt.set(i, 0);
            }
        }
        for (int i = s; i < e; i++) {
            if (ejectedUntil.get(i) != 0) {
                continue;
            }
            double p = Double.longBitsToDouble(mean.get(i));
            double median = medianOfOthers(i, s, e);
            boolean outlier = median > 0 && p > config.outlierFactor() * median && p - median >= minExcessNanos;
            boolean probed = probe.get(i) == 2;
            if (!outlier) {
                slowSince.set(i, 0);
                if (probed) {
                    probe.set(i, 0); // the probe passed: the ramp goes on
                }
                if (ejections.get(i) > 0 && now - lastEjectionEnd.get(i) >= config.maxEjectionTime().toNanos()) {
                    ejections.set(i, 0); // healthy for a whole cap: the next ejection is short again
                }
                continue;
            }
            long since = slowSince.get(i);
            if (since == 0) {
                slowSince.set(i, now);
            }
            if (probed || since != 0 && now - since >= sustainNanos) {
                if (ejectedNow >= maxEjected) {
                    log.debug("endpoint {} is a latency outlier but {} of max {} of its tier are ejected", ids[i],
                            ejectedNow, maxEjected);
                    continue;
                }
                int count = ejections.incrementAndGet(i);
                long time = Math.min(config.baseEjectionTime().toNanos() * count, config.maxEjectionTime().toNanos());
                ejectedUntil.set(i, now + Math.max(time, 1));
                returnedAt.set(i, 0);
                slowSince.set(i, 0);
                probe.set(i, 0);
                ejectedNow++;
                if (ejectionMeters[i] != null) {
                    ejectionMeters[i].increment();
                }
                log.info("endpoint {} ejected for {} ms: latency {} ms > {} x tier median {} ms (ejection {})",
                        ids[i], time / 1_000_000, String.format(java.util.Locale.ROOT, "%.1f", p / 1e6),
                        config.outlierFactor(), String.format(java.util.Locale.ROOT, "%.1f", median / 1e6), count);
            }
        }
    }

    /** The median of the latency EWMAs of the tier's other endpoints that have one and are not ejected. */
    private double medianOfOthers(int self, int s, int e) {
        int m = 0;
        for (int i = s; i < e; i++) {
            if (i != self && ejectedUntil.get(i) == 0) {
                double p = Double.longBitsToDouble(mean.get(i));
                if (p > 0) {
                    scratch[m++] = p;
                }
            }
        }
        if (m == 0) {
            return 0;
        }
        java.util.Arrays.sort(scratch, 0, m);
        return (m & 1) == 1 ? scratch[m / 2] : (scratch[m / 2 - 1] + scratch[m / 2]) / 2;
    }

    /** Whether {@code endpointId} is ejected from its tier's picks now. */
    public boolean isEjected(String endpointId) {
        int i = index(endpointId);
        return i >= 0 && ejected(i, nanoTime.getAsLong());
    }

    /** How many times {@code endpointId} was ejected in a row (reset after a healthy {@code maxEjectionTime}). */
    public int ejections(String endpointId) {
        int i = index(endpointId);
        return i < 0 ? 0 : ejections.get(i);
    }

    /** The peak-EWMA latency estimate of {@code endpointId} in nanoseconds, 0 before the first sample. */
    public double peakEwmaNanos(String endpointId) {
        int i = index(endpointId);
        return i < 0 ? 0 : Double.longBitsToDouble(peak.get(i));
    }

    /** The latency EWMA (gain 1/8 per answer) the outlier analysis uses, in nanoseconds; 0 before the first sample. */
    public double latencyEwmaNanos(String endpointId) {
        int i = index(endpointId);
        return i < 0 ? 0 : Double.longBitsToDouble(mean.get(i));
    }

    /** The calls in flight on {@code endpointId}: from the source given, else as announced by {@link #onAttemptStart}. */
    public int inFlight(String endpointId) {
        int i = index(endpointId);
        return i < 0 ? 0 : pending(i);
    }

    private int pending(int i) {
        return inFlightSources == null ? inFlight.get(i) : inFlightSources[i].getAsInt();
    }

    @Override
    public String toString() {
        return "LatencyAwareSelector" + order;
    }
}
