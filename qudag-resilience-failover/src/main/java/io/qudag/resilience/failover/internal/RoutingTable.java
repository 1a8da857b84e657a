package io.qudag.resilience.failover.internal;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.RoutingSnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable routing plan, rebuilt on every state change and published through a volatile field:
 * the per-tier load (Envoy priority load with overprovisioning factor and panic threshold), a smooth
 * weighted schedule across tiers and one per tier across its endpoints.
 */
final class RoutingTable {

    /** Per tier. */
    static final class TierRoute {
        final FailoverTier tier;
        final int loadPercent;
        final double availability;
        final boolean panic;
        /** Endpoints with a positive routing weight in this table. */
        final Endpoint[] candidates;
        /** Routable endpoints with a positive traffic factor (for chooseOther). */
        final Endpoint[] healthy;
        /** Runtime index of each of {@link #candidates}. */
        final int[] candidateIndex;
        /** Schedule of indexes into {@link #candidates}. */
        final int[] schedule;

        TierRoute(FailoverTier tier, int loadPercent, double availability, boolean panic, Endpoint[] candidates,
                  int[] candidateIndex, Endpoint[] healthy, int[] schedule) {
            this.tier = tier;
            this.loadPercent = loadPercent;
            this.availability = availability;
            this.panic = panic;
            this.candidates = candidates;
            this.candidateIndex = candidateIndex;
            this.healthy = healthy;
            this.schedule = schedule;
        }
    }

    final TierRoute[] routes;
    /** Schedule of indexes into {@link #routes}; empty when nothing is routable. */
    final int[] tierSchedule;
    final int normalizedTotalAvailability;
    /** Per runtime index: share of all traffic. */
    final double[] endpointShare;
    /**
     * Per runtime index: the ids to try when that endpoint is chosen first, computed on first use for
     * this table (immutable lists, so a racy publication is safe; at worst two threads compute one).
     */
    private final List<String>[] rankings;
    private final EndpointRuntime[][] members;
    private final EndpointState[][] states;
    private final double[][] factors;

    @SuppressWarnings("unchecked")
    private RoutingTable(TierRoute[] routes, int[] tierSchedule, int normalizedTotal, double[] endpointShare,
                         EndpointRuntime[][] members, EndpointState[][] states, double[][] factors) {
        this.routes = routes;
        this.tierSchedule = tierSchedule;
        this.normalizedTotalAvailability = normalizedTotal;
        this.endpointShare = endpointShare;
        this.members = members;
        this.states = states;
        this.factors = factors;
        this.rankings = new List[endpointShare.length];
    }

    /** The ranking for the endpoint with runtime index {@code index} (chosen first). */
    List<String> ranking(EndpointRuntime chosen) {
        List<String> r = rankings[chosen.index];
        if (r == null) {
            r = computeRanking(chosen);
            rankings[chosen.index] = r;
        }
        return r;
    }

    boolean empty() {
        return tierSchedule.length == 0;
    }

    /**
     * @param members per tier (tier order), the runtimes; their state and factor are read once here
     */
    static RoutingTable build(FailoverTier[] tiers, EndpointRuntime[][] members, int runtimeCount,
                              double overprovisioningFactor, double panicThreshold) {
        return build(tiers, members, runtimeCount, overprovisioningFactor, panicThreshold, null, null, 0.0);
    }

    /**
     * As {@link #build(FailoverTier[], EndpointRuntime[][], int, double, double)}, but reads
     * {@code override} as if it were in {@code overrideState} with {@code overrideFactor}: the routing a
     * planned change would give, computed without changing anything.
     */
    static RoutingTable build(FailoverTier[] tiers, EndpointRuntime[][] members, int runtimeCount,
                              double overprovisioningFactor, double panicThreshold, EndpointRuntime override,
                              EndpointState overrideState, double overrideFactor) {
        int n = tiers.length;
        double[] avail = new double[n];
        int[] health = new int[n];
        int sum = 0;
        EndpointState[][] states = new EndpointState[n][];
        double[][] factors = new double[n][];
        for (int t = 0; t < n; t++) {
            EndpointRuntime[] m = members[t];
            states[t] = new EndpointState[m.length];
            factors[t] = new double[m.length];
            double a = 0;
            for (int i = 0; i < m.length; i++) {
                boolean o = m[i] == override;
                EndpointState s = o ? overrideState : m[i].state;
                double f = s.routable() ? (o ? overrideFactor : m[i].factor) : 0.0;
                states[t][i] = s;
                factors[t][i] = f;
                a += f;
            }
            avail[t] = a / m.length;
            // Envoy: health = min(100, overprovisioning × available%), in whole percent.
            health[t] = (int) Math.min(100, Math.floor(overprovisioningFactor * 100.0 * avail[t] + 1e-9));
            sum += health[t];
        }
        int normalizedTotal = Math.min(100, sum);
        int[] load = new int[n];
        boolean[] panic = new boolean[n];
        if (sum == 0) {
            // Nothing available anywhere: everything to the first tier, in panic (Envoy).
            load[0] = 100;
            panic[0] = panicThreshold > 0;
        } else if (sum >= 100) {
            int remaining = 100;
            for (int t = 0; t < n; t++) {
                load[t] = Math.min(health[t], remaining);
                remaining -= load[t];
            }
        } else {
            int assigned = 0;
            int first = -1;
            for (int t = 0; t < n; t++) {
                load[t] = health[t] * 100 / sum;
                assigned += load[t];
                if (first < 0 && health[t] > 0) {
                    first = t;
                }
            }
            load[first] += 100 - assigned;
        }
        if (normalizedTotal < 100) {
            for (int t = 0; t < n; t++) {
                if (avail[t] < panicThreshold) {
                    panic[t] = true;
                }
            }
        }
        // Per-tier endpoint weights.
        long[][] weights = new long[n][];
        boolean[] hasCandidates = new boolean[n];
        for (int t = 0; t < n; t++) {
            EndpointRuntime[] m = members[t];
            weights[t] = new long[m.length];
            for (int i = 0; i < m.length; i++) {
                double w;
                if (panic[t]) {
                    w = states[t][i] == EndpointState.DRAINED ? 0 : m[i].endpoint.weight();
                } else {
                    w = m[i].endpoint.weight() * factors[t][i];
                }
                long iw = Math.round(w * 100);
                if (w > 0 && iw == 0) {
                    iw = 1;
                }
                weights[t][i] = iw;
                hasCandidates[t] |= iw > 0;
            }
        }
        // Load on a tier with nothing to route to moves to the next tier that has candidates.
        for (int t = 0; t < n; t++) {
            if (load[t] > 0 && !hasCandidates[t]) {
                int target = -1;
                for (int k = 1; k < n && target < 0; k++) {
                    int c = (t + k) % n;
                    if (hasCandidates[c]) {
                        target = c;
                    }
                }
                if (target >= 0) {
                    load[target] += load[t];
                    if (sum == 0 && panicThreshold > 0) {
                        panic[target] = true;
                        // recompute panic weights for the target tier
                        EndpointRuntime[] m = members[target];
                        for (int i = 0; i < m.length; i++) {
                            weights[target][i] = states[target][i] == EndpointState.DRAINED ? 0
                                    : m[i].endpoint.weight() * 100L;
                        }
                    }
                }
                load[t] = 0;
            }
        }
        TierRoute[] routes = new TierRoute[n];
        double[] share = new double[runtimeCount];
        long[] tierWeights = new long[n];
        for (int t = 0; t < n; t++) {
            EndpointRuntime[] m = members[t];
            List<Endpoint> cand = new ArrayList<>();
            List<Integer> candIdx = new ArrayList<>();
            List<Long> candW = new ArrayList<>();
            List<Endpoint> healthy = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < m.length; i++) {
                if (weights[t][i] > 0) {
                    cand.add(m[i].endpoint);
                    candIdx.add(m[i].index);
                    candW.add(weights[t][i]);
                    total += weights[t][i];
                }
                if (factors[t][i] > 0) {
                    healthy.add(m[i].endpoint);
                }
            }
            long[] cw = new long[cand.size()];
            for (int i = 0; i < cw.length; i++) {
                cw[i] = candW.get(i);
            }
            int[] schedule = load[t] > 0 ? SmoothWeightedSchedule.build(cw) : new int[0];
            if (load[t] > 0) {
                for (int i = 0; i < m.length; i++) {
                    if (weights[t][i] > 0) {
                        share[m[i].index] = load[t] / 100.0 * weights[t][i] / total;
                    }
                }
            }
            routes[t] = new TierRoute(tiers[t], load[t], avail[t], panic[t], cand.toArray(new Endpoint[0]),
                    candIdx.stream().mapToInt(Integer::intValue).toArray(), healthy.toArray(new Endpoint[0]),
                    schedule);
            tierWeights[t] = load[t];
        }
        boolean any = false;
        for (long w : tierWeights) {
            any |= w > 0;
        }
        int[] tierSchedule = any ? SmoothWeightedSchedule.build(tierWeights) : new int[0];
        return new RoutingTable(routes, tierSchedule, normalizedTotal, share, members, states, factors);
    }

    /**
     * {@code chosen} first, then the other endpoints with traffic in its tier (in order after it), then
     * those of the other tiers (tier order), then the non-drained endpoints without traffic as a last
     * resort. Drained endpoints appear nowhere.
     */
    private List<String> computeRanking(EndpointRuntime chosen) {
        int t = chosen.tierIndex;
        EndpointRuntime[] m = members[t];
        int i = 0;
        while (m[i] != chosen) {
            i++;
        }
        List<String> order = new ArrayList<>();
        order.add(chosen.id());
        for (int k = 1; k < m.length; k++) {
            int j = (i + k) % m.length;
            if (factors[t][j] > 0) {
                order.add(m[j].id());
            }
        }
        for (int u = 0; u < members.length; u++) {
            if (u == t) {
                continue;
            }
            for (int j = 0; j < members[u].length; j++) {
                if (factors[u][j] > 0) {
                    order.add(members[u][j].id());
                }
            }
        }
        for (int u = 0; u < members.length; u++) {
            for (int j = 0; j < members[u].length; j++) {
                if (factors[u][j] == 0 && states[u][j] != EndpointState.DRAINED && members[u][j] != chosen) {
                    order.add(members[u][j].id());
                }
            }
        }
        return List.copyOf(order);
    }

    RoutingSnapshot snapshot(EndpointRuntime[] runtimes) {
        Map<FailoverTier, Integer> loads = new EnumMap<>(FailoverTier.class);
        Map<FailoverTier, Double> avail = new EnumMap<>(FailoverTier.class);
        Set<FailoverTier> panic = EnumSet.noneOf(FailoverTier.class);
        for (TierRoute r : routes) {
            loads.put(r.tier, r.loadPercent);
            avail.put(r.tier, r.availability);
            if (r.panic && r.loadPercent > 0) {
                panic.add(r.tier);
            }
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (EndpointRuntime r : runtimes) {
            shares.put(r.endpoint.id(), endpointShare[r.index]);
        }
        return new RoutingSnapshot(loads, avail, panic, normalizedTotalAvailability, shares);
    }
}
