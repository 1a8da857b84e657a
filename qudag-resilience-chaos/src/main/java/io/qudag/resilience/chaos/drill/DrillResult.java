package io.qudag.resilience.chaos.drill;

import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.FunctionalityResult;
import io.qudag.resilience.chaos.report.IncidentReport;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill judged against the validation criteria of spec §5.2: the experiment passed, the measured RTO
 * (and RPO, where measured) is under the objective, no counted acknowledged record was lost, and every functionality check met its bar; against a
 * disaster-recovery plan (spec §4.3), also that its incident closed and no phase overran its time box.
 */
public record DrillResult(DrillKind kind, ExperimentReport report, boolean passed, List<String> findings) {

    /**
     * Copies {@code findings} into an immutable list.
     *
     * @param kind     the kind of drill
     * @param report   the experiment's report
     * @param passed   whether every criterion held
     * @param findings what failed (empty when passed)
     */
    public DrillResult {
        findings = List.copyOf(findings);
    }

    static DrillResult judge(DrillKind kind, ExperimentReport r, boolean rpoRequired) {
        List<String> findings = new ArrayList<>();
        if (!r.passed()) {
            findings.add("experiment " + r.status() + r.abortReason().map(a -> ": " + a).orElse(""));
        }
        if (r.rto().isEmpty()) {
            findings.add("RTO not measured (steady state not restored)");
        } else if (!r.rtoMet()) {
            findings.add("RTO " + r.rto().get() + " misses the " + r.objective() + " objective " + r.objective().rto());
        }
        if (rpoRequired && r.rpo().isEmpty()) {
            findings.add("RPO not measured");
        } else if (r.rpo().isPresent() && !r.rpoMet()) {
            findings.add("RPO " + r.rpo().get() + " misses the " + r.objective() + " objective " + r.objective().rpo());
        }
        r.dataLoss().filter(d -> !d.nothingLost() && r.rpoMet()).ifPresent(d -> findings.add("lost " + d.lost()
                + " of " + d.acknowledged() + " acknowledged records (within the " + r.objective() + " RPO "
                + r.objective().rpo() + ", but lost)"));
        r.incident().ifPresent(i -> {
            if (!i.closed()) {
                findings.add("incident " + i.id() + " still " + i.status() + " at level " + i.level().number()
                        + ", phase " + i.phase());
            }
            for (IncidentReport.PhaseResult p : i.phases()) {
                if (p.overran()) {
                    findings.add("phase " + p.phase() + " of level " + p.level().number() + " overran its time box "
                            + p.timeBox());
                }
            }
        });
        for (FunctionalityResult f : r.functionality()) {
            if (!f.passed()) {
                findings.add("functionality " + f.name() + " at " + f.percent() + "%, " + f.featureClass() + " needs "
                        + f.featureClass().requiredPercent() + "%");
            }
        }
        return new DrillResult(kind, r, findings.isEmpty(), findings);
    }
}
