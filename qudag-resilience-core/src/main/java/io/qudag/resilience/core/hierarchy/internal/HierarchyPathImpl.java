package io.qudag.resilience.core.hierarchy.internal;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.breaker.internal.AdaptiveCircuitBreakerImpl;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.HierarchyPath;
import io.qudag.resilience.core.hierarchy.HierarchyRejectedException;
import io.qudag.resilience.core.spi.Breaker;
import io.micrometer.core.instrument.Counter;
import java.util.List;

/**
 * A {@link HierarchyPath}: the breakers of one path in an array, top-down. Acquire and record are
 * loops over that array; the success path takes no lock and allocates nothing.
 */
final class HierarchyPathImpl implements HierarchyPath {

    private final BreakerPath path;
    private final String name;
    private final AdaptiveCircuitBreakerImpl[] breakers;
    private final BreakerPath[] nodePaths;
    private final boolean[] countsWhenClosed;
    private final Counter[] rejectedByLevel;

    HierarchyPathImpl(BreakerPath path, List<BreakerHierarchyImpl.Node> nodes, Counter[] rejectedByLevel,
            java.util.Set<io.qudag.resilience.core.hierarchy.BreakerLevel> countingLevels) {
        this.path = path;
        this.name = path.toString();
        this.rejectedByLevel = rejectedByLevel;
        this.breakers = new AdaptiveCircuitBreakerImpl[nodes.size()];
        this.nodePaths = new BreakerPath[nodes.size()];
        this.countsWhenClosed = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            breakers[i] = nodes.get(i).breaker;
            nodePaths[i] = nodes.get(i).path;
            countsWhenClosed[i] = countingLevels.contains(nodes.get(i).path.level());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BreakerPath path() {
        return path;
    }

    @Override
    public List<AdaptiveCircuitBreaker> breakers() {
        return List.of(breakers);
    }

    @Override
    public void acquirePermission(ToolCall call) {
        for (int i = 0; i < breakers.length; i++) {
            BreakerState rejectedIn = breakers[i].tryAcquire();
            if (rejectedIn != null) {
                for (int j = 0; j < i; j++) {
                    breakers[j].releasePermission(call);
                }
                if (rejectedByLevel != null) {
                    rejectedByLevel[nodePaths[i].level().ordinal()].increment();
                }
                throw new HierarchyRejectedException(path, nodePaths[i], rejectedIn);
            }
        }
    }

    @Override
    public void releasePermission(ToolCall call) {
        for (AdaptiveCircuitBreakerImpl b : breakers) {
            b.releasePermission(call);
        }
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error) {
        record(outcome, durationNanos, Breaker.NO_END_TIME);
    }

    @Override
    public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, long endNanoTime, Throwable error) {
        record(outcome, durationNanos, endNanoTime);
    }

    /** One window reading for the whole path (the breakers share their time source): the caller's, or read once. */
    private void record(CallOutcome outcome, long durationNanos, long endNanoTime) {
        AdaptiveCircuitBreakerImpl top = breakers[0];
        long windowEnd = endNanoTime != Breaker.NO_END_TIME && top.takesSystemEndTime() ? endNanoTime : top.windowNow();
        for (int i = 0; i < breakers.length; i++) {
            AdaptiveCircuitBreakerImpl b = breakers[i];
            if (countsWhenClosed[i] || b.state() != BreakerState.CLOSED) {
                b.record(outcome, durationNanos, windowEnd);
            }
        }
    }

    @Override
    public String toString() {
        return "HierarchyPath{" + path + '}';
    }
}
