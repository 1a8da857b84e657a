package io.qudag.resilience.core;

import java.time.Duration;
import java.util.List;

/**
 * The five failover tiers of spec §1.1, each with its recovery-time objective (RTO) and the
 * mechanisms that belong to it. Tiers are ordered: a lower ordinal is tried first.
 *
 * <p>{@link #rtoMax()} of {@link #BUSINESS_CONTINUITY} is open-ended: it is {@link #UNBOUNDED}.
 */
public enum FailoverTier {
    /** Tier 1: sub-second recovery inside one site. */
    LOCAL(Duration.ZERO, Duration.ofSeconds(1),
            List.of("process-level redundancy", "thread pool failover", "connection pool switching",
                    "local cache promotion")),
    /** Tier 2: 1–10 s recovery inside one region. */
    REGIONAL(Duration.ofSeconds(1), Duration.ofSeconds(10),
            List.of("server cluster failover", "load balancer switching", "database replica promotion",
                    "regional cache synchronization")),
    /** Tier 3: 10–60 s recovery across regions. */
    GEOGRAPHIC(Duration.ofSeconds(10), Duration.ofSeconds(60),
            List.of("cross-region traffic routing", "data center failover", "DNS-based routing updates",
                    "global state synchronization")),
    /** Tier 4: 1–30 min recovery from a standby. */
    DISASTER_RECOVERY(Duration.ofMinutes(1), Duration.ofMinutes(30),
            List.of("cold standby activation", "backup system deployment", "data restoration procedures",
                    "service reconstruction")),
    /** Tier 5: 30+ min, alternative infrastructure and manual procedures. */
    BUSINESS_CONTINUITY(Duration.ofMinutes(30), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
            List.of("alternative infrastructure deployment", "manual intervention procedures",
                    "degraded service modes", "third-party service integration"));

    /** Stands for "no upper bound" in {@link #rtoMax()}. */
    public static final Duration UNBOUNDED = BUSINESS_CONTINUITY.rtoMax;

    private final Duration rtoMin;
    private final Duration rtoMax;
    private final List<String> mechanisms;

    FailoverTier(Duration rtoMin, Duration rtoMax, List<String> mechanisms) {
        this.rtoMin = rtoMin;
        this.rtoMax = rtoMax;
        this.mechanisms = mechanisms;
    }

    /** {@return the lower end of this tier's recovery-time objective} */
    public Duration rtoMin() {
        return rtoMin;
    }

    /** {@return the recovery-time objective: recovery in this tier should finish within this time} */
    public Duration rtoMax() {
        return rtoMax;
    }

    /** {@return whether {@link #rtoMax()} is open-ended} */
    public boolean isRtoBounded() {
        return !rtoMax.equals(UNBOUNDED);
    }

    /** {@return the spec's mechanisms for this tier, as data (unmodifiable)} */
    public List<String> mechanisms() {
        return mechanisms;
    }

    /** {@return the next tier to spill into, or {@code null} for the last one} */
    public FailoverTier next() {
        FailoverTier[] all = values();
        return ordinal() + 1 < all.length ? all[ordinal() + 1] : null;
    }
}
