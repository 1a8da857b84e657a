package io.qudag.resilience.failover;

import io.qudag.resilience.core.FailoverTier;
import java.util.Map;
import java.util.Set;

/**
 * How an {@link EndpointGroup} routes right now: the load each tier takes (in
 * percent, summing to 100 unless nothing is routable), which tiers are in panic mode, the normalized
 * total availability (Envoy's term; below 100 the panic thresholds apply), and each endpoint's share
 * of all traffic.
 *
 * @param tierLoadPercent             load per tier present in the group, 0..100
 * @param tierAvailability            available share per tier, 0..1 (sum of traffic factors / endpoints)
 * @param panicTiers                  tiers routing to all their endpoints regardless of health
 * @param normalizedTotalAvailability min(100, sum of the tiers' health percentages)
 * @param endpointShare               per endpoint id, its share of all traffic, 0..1
 */
public record RoutingSnapshot(Map<FailoverTier, Integer> tierLoadPercent, Map<FailoverTier, Double> tierAvailability,
                              Set<FailoverTier> panicTiers, int normalizedTotalAvailability,
                              Map<String, Double> endpointShare) {
    /**
     * Copies the maps, so the snapshot is immutable.
     *
     * @param tierLoadPercent load per tier present in the group, 0..100
     * @param tierAvailability available share per tier, 0..1 (sum of traffic factors / endpoints)
     * @param panicTiers tiers routing to all their endpoints regardless of health
     * @param normalizedTotalAvailability min(100, sum of the tiers' health percentages)
     * @param endpointShare per endpoint id, its share of all traffic, 0..1
     */
    public RoutingSnapshot {
        tierLoadPercent = Map.copyOf(tierLoadPercent);
        tierAvailability = Map.copyOf(tierAvailability);
        panicTiers = Set.copyOf(panicTiers);
        endpointShare = Map.copyOf(endpointShare);
    }

    /** {@return whether some endpoint can be chosen} */
    public boolean routable() {
        return tierLoadPercent.values().stream().anyMatch(v -> v > 0);
    }

    /**
     * {@return the share of traffic {@code endpointId} gets, in [0, 1]; 0 for an unknown id}
     *
     * @param endpointId an endpoint of the group
     */
    public double share(String endpointId) {
        return endpointShare.getOrDefault(endpointId, 0.0);
    }
}
