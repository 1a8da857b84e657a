package io.qudag.resilience.core.breaker;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of the {@link AdaptiveCircuitBreaker} (spec §3.1, §1.3 "Circuit Breaker State Machine")
 * and the one transition table that says which moves are legal.
 *
 * <p>Automatic moves: CLOSED→OPEN (trip), OPEN→HALF_OPEN (open time over), HALF_OPEN→OPEN (a probe
 * failed), HALF_OPEN→RECOVERY (enough consecutive successes), RECOVERY→OPEN (rollback),
 * RECOVERY→CLOSED (ramp finished). Administrative moves: any state to CLOSED (reset), DISABLED or
 * FORCED_OPEN. The gauge {@code qudag.resilience.breaker.state} reports {@link #code()}.
 */
public enum BreakerState {
    /** Normal operation: every call passes, outcomes are counted in the sliding window. */
    CLOSED(0),
    /** Failing fast: every call is rejected until the adaptive open time is over. */
    OPEN(1),
    /** Testing recovery: a limited share of calls is admitted as probes. */
    HALF_OPEN(2),
    /** Gradual restoration: the admitted share ramps up in increments across the monitoring period. */
    RECOVERY(3),
    /** Administrative: the breaker admits everything and counts nothing. */
    DISABLED(4),
    /** Administrative: the breaker rejects everything until an operator moves it. */
    FORCED_OPEN(5);

    private static final Map<BreakerState, Set<BreakerState>> TRANSITIONS = new EnumMap<>(BreakerState.class);

    static {
        EnumSet<BreakerState> admin = EnumSet.of(CLOSED, DISABLED, FORCED_OPEN);
        TRANSITIONS.put(CLOSED, union(admin, OPEN));
        TRANSITIONS.put(OPEN, union(admin, HALF_OPEN));
        TRANSITIONS.put(HALF_OPEN, union(admin, OPEN, RECOVERY));
        TRANSITIONS.put(RECOVERY, union(admin, OPEN));
        TRANSITIONS.put(DISABLED, union(admin));
        TRANSITIONS.put(FORCED_OPEN, union(admin));
        for (BreakerState s : values()) {
            EnumSet<BreakerState> targets = EnumSet.copyOf(TRANSITIONS.get(s));
            targets.remove(s);
            TRANSITIONS.put(s, Collections.unmodifiableSet(targets));
        }
    }

    private final int code;

    BreakerState(int code) {
        this.code = code;
    }

    private static EnumSet<BreakerState> union(EnumSet<BreakerState> base, BreakerState... more) {
        EnumSet<BreakerState> s = EnumSet.copyOf(base);
        Collections.addAll(s, more);
        return s;
    }

    /** {@return the numeric value the state gauge reports} */
    public int code() {
        return code;
    }

    /** {@return the states this state may move to (never itself)} */
    public Set<BreakerState> allowedTargets() {
        return TRANSITIONS.get(this);
    }

    /**
     * {@return whether the transition table allows {@code this → target}}
     *
     * @param target the state to move to
     */
    public boolean canTransitionTo(BreakerState target) {
        return TRANSITIONS.get(this).contains(target);
    }

    /** {@return whether this state rejects every call (OPEN, FORCED_OPEN)} */
    public boolean rejectsAll() {
        return this == OPEN || this == FORCED_OPEN;
    }
}
