package io.qudag.resilience.chaos.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one experiment or drill did and found (spec §5.1 {@code automated_report_generation}, §5.2
 * validation criteria): its status, the fault windows, every probe reading against its tolerance, the
 * measured RTO (fault to steady state restored) and RPO (acknowledged data lost) against a
 * {@link RecoveryObjective} (with the records lost, {@link DataLoss}, where the store counts them), the
 * functionality checks, the abort reason and the rollbacks, and — for a
 * drill run against a disaster-recovery plan (spec §4.3) — the plan's {@link IncidentReport}. Write it with
 * {@link ReportWriter} as JSON, Markdown or one self-contained HTML page.
 */
public record ExperimentReport(
        String title,
        ExperimentStatus status,
        boolean dryRun,
        Instant startedAt,
        Instant endedAt,
        String hypothesis,
        boolean hypothesisHeldBefore,
        boolean hypothesisHeldAfter,
        double blastRadiusLimit,
        double blastRadiusReached,
        Duration probeInterval,
        List<FaultWindow> faults,
        List<ProbeSummary> probes,
        List<ProbeSample> samples,
        Optional<Duration> rto,
        Optional<Duration> rpo,
        RecoveryObjective objective,
        List<FunctionalityResult> functionality,
        Optional<String> abortReason,
        Optional<Instant> abortedAt,
        Optional<Instant> rolledBackAt,
        List<String> rollbacks,
        List<String> errors,
        Optional<IncidentReport> incident,
        Optional<DataLoss> dataLoss) {

    /**
     * Copies the lists; an absent {@code incident} or {@code dataLoss} may be passed as {@code null}.
     *
     * @param title                the experiment's title
     * @param status               how it ended
     * @param dryRun               whether nothing was injected
     * @param startedAt            when it started
     * @param endedAt              when it ended
     * @param hypothesis           the steady-state hypothesis's title
     * @param hypothesisHeldBefore whether the hypothesis held before the faults
     * @param hypothesisHeldAfter  whether it held again after them
     * @param blastRadiusLimit     the largest share (0–1) the faults on at once may affect
     * @param blastRadiusReached   the largest share reached
     * @param probeInterval        how often the hypothesis was probed
     * @param faults               the fault windows, in order
     * @param probes               each probe's summary
     * @param samples              every probe reading
     * @param rto                  the measured RTO: fault to steady state restored; empty when not restored
     * @param rpo                  the measured RPO: the window of acknowledged data lost; empty when not measured
     * @param objective            the RTO/RPO class judged against
     * @param functionality        the functionality checks' results
     * @param abortReason          why the experiment was aborted, if it was
     * @param abortedAt            when it was aborted, if it was
     * @param rolledBackAt         when the rollbacks ran, if they did
     * @param rollbacks            the rollbacks that ran
     * @param errors               errors met while running (a fault that failed to heal, a resource that failed to close)
     * @param incident             the plan's incident, for a drill run against a disaster-recovery plan
     * @param dataLoss             the counted acknowledged records lost, where the store counts them
     * @throws IllegalArgumentException when {@code dataLoss} is present and {@code rpo} is not its window
     */
    public ExperimentReport {
        incident = incident == null ? Optional.empty() : incident;
        dataLoss = dataLoss == null ? Optional.empty() : dataLoss;
        if (dataLoss.isPresent() && !dataLoss.get().window().equals(rpo.orElse(null))) {
            throw new IllegalArgumentException("rpo must be the data loss window " + dataLoss.get().window() + ", was "
                    + rpo);
        }
        faults = List.copyOf(faults);
        probes = List.copyOf(probes);
        samples = List.copyOf(samples);
        functionality = List.copyOf(functionality);
        rollbacks = List.copyOf(rollbacks);
        errors = List.copyOf(errors);
    }

    /**
     * A report without a plan incident.
     *
     * @param title                the experiment's title
     * @param status               how it ended
     * @param dryRun               whether nothing was injected
     * @param startedAt            when it started
     * @param endedAt              when it ended
     * @param hypothesis           the steady-state hypothesis's title
     * @param hypothesisHeldBefore whether the hypothesis held before the faults
     * @param hypothesisHeldAfter  whether it held again after them
     * @param blastRadiusLimit     the largest share (0–1) the faults on at once may affect
     * @param blastRadiusReached   the largest share reached
     * @param probeInterval        how often the hypothesis was probed
     * @param faults               the fault windows, in order
     * @param probes               each probe's summary
     * @param samples              every probe reading
     * @param rto                  the measured RTO: fault to steady state restored; empty when not restored
     * @param rpo                  the measured RPO: the window of acknowledged data lost; empty when not measured
     * @param objective            the RTO/RPO class judged against
     * @param functionality        the functionality checks' results
     * @param abortReason          why the experiment was aborted, if it was
     * @param abortedAt            when it was aborted, if it was
     * @param rolledBackAt         when the rollbacks ran, if they did
     * @param rollbacks            the rollbacks that ran
     * @param errors               errors met while running (a fault that failed to heal, a resource that failed to close)
     */
    public ExperimentReport(String title, ExperimentStatus status, boolean dryRun, Instant startedAt, Instant endedAt,
            String hypothesis, boolean hypothesisHeldBefore, boolean hypothesisHeldAfter, double blastRadiusLimit,
            double blastRadiusReached, Duration probeInterval, List<FaultWindow> faults, List<ProbeSummary> probes,
            List<ProbeSample> samples, Optional<Duration> rto, Optional<Duration> rpo, RecoveryObjective objective,
            List<FunctionalityResult> functionality, Optional<String> abortReason, Optional<Instant> abortedAt,
            Optional<Instant> rolledBackAt, List<String> rollbacks, List<String> errors) {
        this(title, status, dryRun, startedAt, endedAt, hypothesis, hypothesisHeldBefore, hypothesisHeldAfter,
                blastRadiusLimit, blastRadiusReached, probeInterval, faults, probes, samples, rto, rpo, objective,
                functionality, abortReason, abortedAt, rolledBackAt, rollbacks, errors, Optional.empty(),
                Optional.empty());
    }

    /**
     * A report with a plan incident and without counted data loss.
     *
     * @param title                the experiment's title
     * @param status               how it ended
     * @param dryRun               whether nothing was injected
     * @param startedAt            when it started
     * @param endedAt              when it ended
     * @param hypothesis           the steady-state hypothesis's title
     * @param hypothesisHeldBefore whether the hypothesis held before the faults
     * @param hypothesisHeldAfter  whether it held again after them
     * @param blastRadiusLimit     the largest share (0–1) the faults on at once may affect
     * @param blastRadiusReached   the largest share reached
     * @param probeInterval        how often the hypothesis was probed
     * @param faults               the fault windows, in order
     * @param probes               each probe's summary
     * @param samples              every probe reading
     * @param rto                  the measured RTO: fault to steady state restored; empty when not restored
     * @param rpo                  the measured RPO: the window of acknowledged data lost; empty when not measured
     * @param objective            the RTO/RPO class judged against
     * @param functionality        the functionality checks' results
     * @param abortReason          why the experiment was aborted, if it was
     * @param abortedAt            when it was aborted, if it was
     * @param rolledBackAt         when the rollbacks ran, if they did
     * @param rollbacks            the rollbacks that ran
     * @param errors               errors met while running (a fault that failed to heal, a resource that failed to close)
     * @param incident             the plan's incident, for a drill run against a disaster-recovery plan
     */
    public ExperimentReport(String title, ExperimentStatus status, boolean dryRun, Instant startedAt, Instant endedAt,
            String hypothesis, boolean hypothesisHeldBefore, boolean hypothesisHeldAfter, double blastRadiusLimit,
            double blastRadiusReached, Duration probeInterval, List<FaultWindow> faults, List<ProbeSummary> probes,
            List<ProbeSample> samples, Optional<Duration> rto, Optional<Duration> rpo, RecoveryObjective objective,
            List<FunctionalityResult> functionality, Optional<String> abortReason, Optional<Instant> abortedAt,
            Optional<Instant> rolledBackAt, List<String> rollbacks, List<String> errors,
            Optional<IncidentReport> incident) {
        this(title, status, dryRun, startedAt, endedAt, hypothesis, hypothesisHeldBefore, hypothesisHeldAfter,
                blastRadiusLimit, blastRadiusReached, probeInterval, faults, probes, samples, rto, rpo, objective,
                functionality, abortReason, abortedAt, rolledBackAt, rollbacks, errors, incident, Optional.empty());
    }

    /**
     * {@return this report with the plan incident {@code incident}}
     *
     * @param incident the incident, or {@code null} for none
     */
    public ExperimentReport withIncident(IncidentReport incident) {
        return new ExperimentReport(title, status, dryRun, startedAt, endedAt, hypothesis, hypothesisHeldBefore,
                hypothesisHeldAfter, blastRadiusLimit, blastRadiusReached, probeInterval, faults, probes, samples, rto,
                rpo, objective, functionality, abortReason, abortedAt, rolledBackAt, rollbacks, errors,
                Optional.ofNullable(incident), dataLoss);
    }

    /**
     * {@return this report with the counted {@code dataLoss}; its window becomes the measured RPO}
     *
     * @param dataLoss the counted loss
     */
    public ExperimentReport withDataLoss(DataLoss dataLoss) {
        return new ExperimentReport(title, status, dryRun, startedAt, endedAt, hypothesis, hypothesisHeldBefore,
                hypothesisHeldAfter, blastRadiusLimit, blastRadiusReached, probeInterval, faults, probes, samples, rto,
                Optional.of(dataLoss.window()), objective, functionality, abortReason, abortedAt, rolledBackAt,
                rollbacks, errors, incident, Optional.of(dataLoss));
    }

    /** {@return whether the experiment passed: hypothesis held before and after, not aborted} */
    public boolean passed() {
        return status == ExperimentStatus.PASSED;
    }

    /** {@return whether the measured RTO is within the objective (false when not measured)} */
    public boolean rtoMet() {
        return rto.map(objective::meetsRto).orElse(false);
    }

    /** {@return whether the measured RPO is within the objective (false when not measured)} */
    public boolean rpoMet() {
        return rpo.map(objective::meetsRpo).orElse(false);
    }

    /** {@return the number of faults actually injected} */
    public long faultsInjected() {
        return faults.stream().filter(FaultWindow::injected).count();
    }
}
