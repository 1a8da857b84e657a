package io.qudag.resilience.core.hierarchy;

import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.spi.Breaker;
import java.util.List;

/**
 * One path through a {@link BreakerHierarchy} used as a single {@link Breaker} (spec §3.2): it
 * acquires permission top-down on every breaker of the path, gives earlier permissions back when a
 * lower one refuses, and throws a {@link HierarchyRejectedException} naming the level. Outcomes go
 * to every breaker of the path; a level outside the hierarchy's counting levels only counts them
 * while it is not CLOSED (so it is validated by real traffic in HALF_OPEN and RECOVERY but trips only
 * by escalation). When several levels of one path probe at the same time (HALF_OPEN, RECOVERY),
 * their admitted shares multiply; staged recovery releases lower levels first to keep that short.
 */
public interface HierarchyPath extends Breaker {

    /** {@return the path} */
    BreakerPath path();

    /** {@return the breakers of the path, top-down} */
    List<AdaptiveCircuitBreaker> breakers();
}
