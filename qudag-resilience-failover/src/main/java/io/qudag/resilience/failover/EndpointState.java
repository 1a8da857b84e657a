package io.qudag.resilience.failover;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life cycle of one endpoint inside an {@link EndpointGroup} (spec §1.2 failover triggers and
 * recovery procedures). One enum with an explicit transition table; a rollback may restore any
 * earlier state and is the only move outside the table.
 *
 * <pre>
 * HEALTHY ──gradual/predictive──▶ DEGRADED ──share reaches 0──▶ UNAVAILABLE
 *    │                               │  condition clears           ▲  │ base ejection time over
 *    └──immediate / ejection─────────┼──────────────▶──────────────┘  ▼
 *                                    └──▶ RAMPING ◀── 3 checks ── PROBING
 *                                           │  10% steps over 300 s, relapse ▶ UNAVAILABLE
 *                                           └──▶ HEALTHY
 * any state ──drain──▶ DRAINED ──undrain──▶ RAMPING
 * </pre>
 */
public enum EndpointState {
    /** Full traffic share. */
    HEALTHY,
    /** Traffic is being shifted away in steps (gradual or predictive trigger). */
    DEGRADED,
    /** No traffic: failed over, ejected as an outlier, or in a maintenance window. */
    UNAVAILABLE,
    /** No traffic; health checks run every check interval until enough succeed in a row. */
    PROBING,
    /** Returning: its share rises in increments across the monitoring period; a relapse sends it back. */
    RAMPING,
    /** Taken out by an operator; never routed to, not even in panic mode. */
    DRAINED;

    private static final Map<EndpointState, Set<EndpointState>> NEXT = new EnumMap<>(EndpointState.class);

    static {
        NEXT.put(HEALTHY, EnumSet.of(DEGRADED, UNAVAILABLE, DRAINED));
        NEXT.put(DEGRADED, EnumSet.of(UNAVAILABLE, RAMPING, DRAINED));
        NEXT.put(UNAVAILABLE, EnumSet.of(PROBING, RAMPING, DRAINED));
        NEXT.put(PROBING, EnumSet.of(RAMPING, UNAVAILABLE, DRAINED));
        NEXT.put(RAMPING, EnumSet.of(HEALTHY, DEGRADED, UNAVAILABLE, DRAINED));
        NEXT.put(DRAINED, EnumSet.of(RAMPING));
        NEXT.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    }

    /** {@return the states reachable from this one by a normal (non-rollback) transition} */
    public Set<EndpointState> next() {
        return NEXT.get(this);
    }

    /**
     * {@return whether {@code target} is a normal transition from this state}
     *
     * @param target the state to move to
     */
    public boolean canMoveTo(EndpointState target) {
        return NEXT.get(this).contains(target);
    }

    /** {@return whether an endpoint in this state counts as available for the tier's health share} */
    public boolean routable() {
        return this == HEALTHY || this == DEGRADED || this == RAMPING;
    }
}
