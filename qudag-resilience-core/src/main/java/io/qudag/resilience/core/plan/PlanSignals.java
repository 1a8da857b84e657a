package io.qudag.resilience.core.plan;

import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.event.BreakerEventListener;
import io.qudag.resilience.core.event.HierarchyEventListener;
import io.qudag.resilience.core.health.HealthActionListener;
import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import java.util.function.Consumer;

/**
 * Turns the events core already publishes into {@link IncidentSignal}s for a plan (spec §4.3,
 * "Incident detection"): breaker transitions of a {@link BreakerHierarchy}'s nodes, the hierarchy's
 * escalations, and health-action crossings of a {@code HealthMonitor}.
 *
 * <p>A breaker counts as failing when it opens by itself (its failure rate tripped it) or when the
 * hierarchy escalates it (regional escalation, approved global opening, cascade emergency); it is
 * healthy again when it closes. Administrative openings (an operator, or a plan's own isolation) are
 * not failures, so isolating a breaker does not raise the incident it answers.
 */
public final class PlanSignals {

    private PlanSignals() {
    }

    /**
     * Feeds {@code sink} (e.g. {@code plan::signal}) with the transitions of the breakers at
     * {@code paths} (created if missing) and with the escalations of {@code hierarchy}.
     *
     * @param hierarchy the hierarchy whose escalations are reported
     * @param sink receives the signals
     * @param paths the breakers to watch
     */
    public static void watch(BreakerHierarchy hierarchy, Consumer<IncidentSignal> sink, BreakerPath... paths) {
        if (hierarchy == null || sink == null) {
            throw new IllegalArgumentException("hierarchy and sink must not be null, was " + hierarchy + ", " + sink);
        }
        BreakerEventListener breakers = breakerListener(sink);
        for (BreakerPath p : paths) {
            hierarchy.node(p).addListener(breakers);
        }
        hierarchy.addListener(hierarchyListener(sink));
    }

    /**
     * {@return a listener for breakers of a hierarchy (whose names are their paths): an automatic opening is a
     * failing signal, a closing a healthy one} Breakers whose names are not paths are ignored.
     *
     * @param sink receives the signals, e.g. {@code plan::signal}
     */
    public static BreakerEventListener breakerListener(Consumer<IncidentSignal> sink) {
        return e -> {
            BreakerPath path;
            try {
                path = BreakerPath.parse(e.breakerName());
            } catch (IllegalArgumentException notAPath) {
                return;
            }
            if (e.to() == BreakerState.OPEN && e.automatic()) {
                sink.accept(IncidentSignal.breakerOpened(path, "breaker " + path + " opened: " + e.reason()));
            } else if (e.to() == BreakerState.CLOSED) {
                sink.accept(IncidentSignal.breakerClosed(path));
            }
        };
    }

    /**
     * {@return a listener for a hierarchy's escalations: the escalated node is a failing breaker signal}
     *
     * @param sink receives the signals, e.g. {@code plan::signal}
     */
    public static HierarchyEventListener hierarchyListener(Consumer<IncidentSignal> sink) {
        return e -> {
            switch (e.type()) {
                case REGIONAL_ESCALATION, GLOBAL_APPROVED, CASCADE_EMERGENCY ->
                        sink.accept(IncidentSignal.breakerOpened(e.node(), e.type() + " of " + e.node() + ": " + e.detail()));
                default -> {
                    // recovery stages and proposals are not failures by themselves
                }
            }
        };
    }

    /**
     * {@return a listener for a health monitor's action crossings: reports the subject's grade at each crossing}
     *
     * @param sink receives the signals, e.g. {@code plan::signal}
     */
    public static HealthActionListener healthListener(Consumer<IncidentSignal> sink) {
        return e -> {
            if (!Double.isNaN(e.score())) {
                sink.accept(IncidentSignal.health(e.subject(), HealthGrade.of(e.score())));
            }
        };
    }
}
