package io.qudag.resilience.chaos.drill;

import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.report.IncidentReport;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.IncidentStatus;
import io.qudag.resilience.core.plan.PlanSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Connects a drill to a disaster-recovery plan (spec §4.3): every probe reading becomes a signal (a
 * reading out of tolerance stands for {@code level}; none when {@code level} is null), the plan's
 * time-driven rules run after each reading, and the incident open during the drill is remembered so
 * that it can be reported once it closes.
 */
final class PlanFeed {

    private final DisasterRecoveryPlan plan;
    private final DisasterLevel level;
    private volatile String incidentId;

    PlanFeed(DisasterRecoveryPlan plan, DisasterLevel level) {
        this.plan = plan;
        this.level = level;
    }

    /** The hypothesis whose probes also feed the plan. */
    SteadyStateHypothesis wrap(SteadyStateHypothesis hypothesis) {
        List<Probe> probes = new ArrayList<>();
        for (Probe p : hypothesis.probes()) {
            probes.add(p.observedBy(this::reading));
        }
        return new SteadyStateHypothesis(hypothesis.title(), probes);
    }

    private void reading(Probe probe, double value) {
        if (level != null) {
            boolean failing = !probe.tolerance().accepts(value);
            plan.signal(IncidentSignal.custom("chaos probe " + probe.name(), level, failing,
                    "chaos probe " + probe.name() + " read " + value + " " + probe.unit() + ", tolerance "
                            + probe.tolerance() + (failing ? ": violated" : ": within")));
        }
        plan.tick();
        observe();
    }

    private void observe() {
        plan.currentIncident().ifPresent(i -> incidentId = i.id());
    }

    /**
     * Waits up to {@code timeout} (polling every {@code interval}, ticking the plan) for the incident
     * seen during the drill to close; returns it as read at the end, or empty when none opened.
     */
    Optional<IncidentReport> settle(Duration timeout, Duration interval) {
        observe();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (incidentId != null && find(plan.snapshot()).map(i -> i.status() == IncidentStatus.ACTIVE).orElse(false)
                && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(interval.toNanos());
            plan.tick();
        }
        PlanSnapshot snapshot = plan.snapshot();
        return find(snapshot).map(i -> IncidentReport.of(plan.name(), i, plan.config(), snapshot.at()));
    }

    private Optional<IncidentSnapshot> find(PlanSnapshot s) {
        String id = incidentId;
        if (id == null) {
            return Optional.empty();
        }
        if (s.incident() != null && s.incident().id().equals(id)) {
            return Optional.of(s.incident());
        }
        if (s.lastIncident() != null && s.lastIncident().id().equals(id)) {
            return Optional.of(s.lastIncident());
        }
        return Optional.empty();
    }
}
