package io.qudag.resilience.chaos.drill;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.disk.FaultyFileChannelFactory;
import io.qudag.resilience.chaos.experiment.ChaosExperiment;
import io.qudag.resilience.chaos.experiment.FunctionalityCheck;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.chaos.report.DataLoss;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.IncidentReport;
import io.qudag.resilience.chaos.report.RecoveryObjective;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Disaster-recovery drills with a one-call API (spec §5.2): pick the drill, give the fault target and
 * the hypothesis, call {@link #run()}, get a {@link DrillResult} judged against the RTO/RPO objective and
 * the functionality bars. Each drill is a {@link ChaosExperiment} underneath, with its safety: nothing is
 * injected unless the {@link ChaosSwitch} is armed, the hypothesis failing too long aborts it, and the
 * fault is always healed.
 *
 * <p>Against a {@link DisasterRecoveryPlan} (spec §4.3, {@link #plan(DisasterRecoveryPlan, DisasterLevel)}):
 * while the drill runs, each probe reading is a signal to the plan (out of tolerance: a failure standing
 * for the given level), the plan's time-driven rules run after every reading, and after the fault the
 * drill waits for the incident to close; the report then carries the incident — its level, operating
 * mode, every phase with its measured duration against its time box, and the steps with their outcomes.
 *
 * <pre>{@code
 * DrillResult r = DisasterRecoveryDrill.regionalOutage(chaos, List.of(euWest1, euWest2), hypothesis)
 *         .objective(RecoveryObjective.CRITICAL).run();
 * }</pre>
 */
public final class DisasterRecoveryDrill {

    private final DrillKind kind;
    private final ChaosSwitch chaosSwitch;
    private final Fault fault;
    private final SteadyStateHypothesis hypothesis;
    private final double share;
    private Duration duration;
    private RecoveryObjective objective = RecoveryObjective.CRITICAL;
    private Duration probeInterval = Duration.ofMillis(500);
    private Duration recoveryTimeout = Duration.ofSeconds(60);
    private int abortAfterViolations = 40;
    private Supplier<Duration> rpo;
    private Supplier<DataLoss> dataLoss;
    private final List<FunctionalityCheck> functionality = new ArrayList<>();
    private final List<ChaosExperiment.NamedAction> rollbacks = new ArrayList<>();
    private boolean dryRun;
    private DisasterRecoveryPlan plan;
    private DisasterLevel planLevel;
    private Duration planSettleTimeout = Duration.ofSeconds(30);

    private DisasterRecoveryDrill(DrillKind kind, ChaosSwitch chaosSwitch, Fault fault, SteadyStateHypothesis hypothesis,
            double share) {
        if (fault == null) {
            throw new IllegalArgumentException("fault must not be null, was null");
        }
        if (hypothesis == null) {
            throw new IllegalArgumentException("hypothesis must not be empty, was null");
        }
        this.kind = kind;
        this.chaosSwitch = chaosSwitch;
        this.fault = fault;
        this.hypothesis = hypothesis;
        this.share = share;
        this.duration = kind.defaultDuration();
    }

    /**
     * {@return a scenario in which one component fails: {@code fault} is e.g. a SIGKILL of a server process or a stop of an in-process server}
     *
     * @param chaosSwitch the switch that must be armed
     * @param fault       the component's failure
     * @param hypothesis  the steady state that must hold
     */
    public static DisasterRecoveryDrill componentFailure(ChaosSwitch chaosSwitch, Fault fault,
            SteadyStateHypothesis hypothesis) {
        return new DisasterRecoveryDrill(DrillKind.COMPONENT_FAILURE, chaosSwitch, fault, hypothesis, 0);
    }

    /**
     * {@return the endpoints of one service stop answering (partitioned, or frozen when {@code freeze})}
     *
     * @param chaosSwitch the switch that must be armed
     * @param service     the proxies in front of the service's endpoints
     * @param freeze      whether to freeze them instead of partitioning them
     * @param hypothesis  the steady state that must hold
     */
    public static DisasterRecoveryDrill serviceDisruption(ChaosSwitch chaosSwitch, List<TcpFaultProxy> service,
            boolean freeze, SteadyStateHypothesis hypothesis) {
        List<Fault> faults = new ArrayList<>();
        for (TcpFaultProxy p : requireProxies(service)) {
            faults.add(freeze ? p.freezeFault(chaosSwitch) : p.partitionFault(chaosSwitch));
        }
        return new DisasterRecoveryDrill(DrillKind.SERVICE_DISRUPTION, chaosSwitch,
                Fault.all("service-disruption", chaosSwitch, faults), hypothesis, 0);
    }

    /**
     * {@return a whole endpoint tier is partitioned at once}
     *
     * @param chaosSwitch the switch that must be armed
     * @param tier        the proxies in front of the tier's endpoints
     * @param hypothesis  the steady state that must hold
     */
    public static DisasterRecoveryDrill regionalOutage(ChaosSwitch chaosSwitch, List<TcpFaultProxy> tier,
            SteadyStateHypothesis hypothesis) {
        List<Fault> faults = new ArrayList<>();
        for (TcpFaultProxy p : requireProxies(tier)) {
            faults.add(p.partitionFault(chaosSwitch));
        }
        return new DisasterRecoveryDrill(DrillKind.REGIONAL_OUTAGE, chaosSwitch,
                Fault.all("regional-outage", chaosSwitch, faults), hypothesis, 0);
    }

    /**
     * {@return storage writes through {@code disk} are corrupted at {@code rate}; {@code recover} runs when the fault
     * is healed (the store detects the damage and recovers), and {@code rpo} measures the acknowledged data
     * lost afterwards}
     *
     * @param chaosSwitch the switch that must be armed
     * @param disk        the storage's file channel factory
     * @param rate        the share of writes corrupted, 0–1
     * @param hypothesis  the steady state that must hold
     * @param recover     runs when the fault is healed
     * @param rpo         measures the acknowledged data lost
     */
    public static DisasterRecoveryDrill dataCorruption(ChaosSwitch chaosSwitch, FaultyFileChannelFactory disk,
            double rate, SteadyStateHypothesis hypothesis, Fault.Action recover, Supplier<Duration> rpo) {
        if (disk == null) {
            throw new IllegalArgumentException("disk must not be null, was null");
        }
        if (recover == null || rpo == null) {
            throw new IllegalArgumentException("recover and rpo must not be null, were " + recover + ", " + rpo);
        }
        Fault corrupt = disk.fault("data-corruption", rate, FaultyFileChannelFactory.DiskFault.CORRUPT_WRITES);
        DisasterRecoveryDrill d = new DisasterRecoveryDrill(DrillKind.DATA_CORRUPTION, chaosSwitch, corrupt,
                hypothesis, 0);
        d.rpo = rpo;
        d.rollbacks.add(new ChaosExperiment.NamedAction("detect damage and recover", recover));
        return d;
    }

    /**
     * {@return storage writes through {@code disk} are corrupted at {@code rate}; {@code recover} runs when the fault
     * is healed, and {@code dataLoss} counts the acknowledged records missing afterwards — the report shows the
     * counts and judges their window as the RPO; a drill that lost any acknowledged record fails}
     *
     * @param chaosSwitch the switch that must be armed
     * @param disk        the storage's file channel factory
     * @param rate        the share of writes corrupted, 0–1
     * @param hypothesis  the steady state that must hold
     * @param recover     runs when the fault is healed
     * @param dataLoss    counts the acknowledged records lost
     */
    public static DisasterRecoveryDrill dataCorruptionCounted(ChaosSwitch chaosSwitch, FaultyFileChannelFactory disk,
            double rate, SteadyStateHypothesis hypothesis, Fault.Action recover, Supplier<DataLoss> dataLoss) {
        if (dataLoss == null) {
            throw new IllegalArgumentException("dataLoss must not be null, was null");
        }
        DisasterRecoveryDrill d = dataCorruption(chaosSwitch, disk, rate, hypothesis, recover, () -> Duration.ZERO);
        d.rpo = null;
        d.dataLoss = dataLoss;
        return d;
    }

    private static List<TcpFaultProxy> requireProxies(List<TcpFaultProxy> proxies) {
        if (proxies == null || proxies.isEmpty()) {
            throw new IllegalArgumentException("endpoints must not be empty, was " + proxies);
        }
        return proxies;
    }

    /**
     * How long the fault is held (default per {@link DrillKind}).
     *
     * @param duration a positive duration
     * @return this drill
     */
    public DisasterRecoveryDrill duration(Duration duration) {
        this.duration = duration;
        return this;
    }

    /**
     * The RTO/RPO class the measurements are judged against.
     *
     * @param objective the objective
     * @return this drill
     */
    public DisasterRecoveryDrill objective(RecoveryObjective objective) {
        this.objective = objective;
        return this;
    }

    /**
     * How often the hypothesis is probed.
     *
     * @param probeInterval a positive duration
     * @return this drill
     */
    public DisasterRecoveryDrill probeInterval(Duration probeInterval) {
        this.probeInterval = probeInterval;
        return this;
    }

    /**
     * How long to wait after the fault for the steady state to return.
     *
     * @param recoveryTimeout a positive duration
     * @return this drill
     */
    public DisasterRecoveryDrill recoveryTimeout(Duration recoveryTimeout) {
        this.recoveryTimeout = recoveryTimeout;
        return this;
    }

    /**
     * Abort when the hypothesis is violated this many probes in a row.
     *
     * @param probes consecutive violating probes
     * @return this drill
     */
    public DisasterRecoveryDrill abortAfterViolations(int probes) {
        this.abortAfterViolations = probes;
        return this;
    }

    /**
     * Measures the acknowledged data lost (RPO) after the drill.
     *
     * @param rpo measures the window of lost acknowledged data
     * @return this drill
     */
    public DisasterRecoveryDrill rpo(Supplier<Duration> rpo) {
        this.rpo = rpo;
        return this;
    }

    /**
     * Adds a check of how much of a feature class still works (spec §4.3 functionality levels).
     *
     * @param check the check
     * @return this drill
     */
    public DisasterRecoveryDrill functionality(FunctionalityCheck check) {
        functionality.add(check);
        return this;
    }

    /**
     * Adds an action run after the fault, on success, failure and abort alike.
     *
     * @param name   the action's name in the report
     * @param action the action
     * @return this drill
     */
    public DisasterRecoveryDrill rollback(String name, Fault.Action action) {
        rollbacks.add(new ChaosExperiment.NamedAction(name, action));
        return this;
    }

    /**
     * Report what would be injected, inject nothing.
     *
     * @param dryRun whether to inject nothing
     * @return this drill
     */
    public DisasterRecoveryDrill dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /**
     * Runs the drill against {@code plan}: a probe reading out of tolerance is a failing signal standing
     * for {@code level} (subject {@code "chaos probe <name>"}), a reading within tolerance clears it.
     * With {@code level} null the drill sends no signal of its own (wire the plan with
     * {@code PlanSignals} instead) but still ticks the plan and reports its incident.
     *
     * @param plan  the disaster-recovery plan
     * @param level the level a failing probe stands for, or {@code null}
     * @return this drill
     */
    public DisasterRecoveryDrill plan(DisasterRecoveryPlan plan, DisasterLevel level) {
        if (plan == null) {
            throw new IllegalArgumentException("plan must not be null, was null");
        }
        this.plan = plan;
        this.planLevel = level;
        return this;
    }

    /**
     * How long the drill waits after the fault for the plan's incident to close (default 30 s).
     *
     * @param timeout a positive duration
     * @return this drill
     */
    public DisasterRecoveryDrill planSettleTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("planSettleTimeout must not be negative, was " + timeout);
        }
        this.planSettleTimeout = timeout;
        return this;
    }

    /** {@return the experiment this drill runs (validated)} */
    public ChaosExperiment experiment() {
        return experiment(hypothesis);
    }

    private ChaosExperiment experiment(SteadyStateHypothesis hypothesis) {
        ChaosExperiment.Builder b = ChaosExperiment.builder(kind.name().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + " drill", chaosSwitch)
                .hypothesis(hypothesis).fault(fault, duration, share).objective(objective)
                .probeInterval(probeInterval).recoveryTimeout(recoveryTimeout)
                .abortAfterViolations(abortAfterViolations).dryRun(dryRun);
        if (rpo != null) {
            b.rpo(rpo);
        }
        if (dataLoss != null) {
            b.dataLoss(dataLoss);
        }
        functionality.forEach(b::functionality);
        rollbacks.forEach(r -> b.rollback(r.name(), r.action()));
        return b.build();
    }

    /**
     * Runs the drill on this thread and judges it.
     *
     * @return the report and the verdict
     */
    public DrillResult run() {
        if (plan == null) {
            return DrillResult.judge(kind, experiment().run(), kind == DrillKind.DATA_CORRUPTION);
        }
        PlanFeed feed = new PlanFeed(plan, planLevel);
        ExperimentReport report = experiment(feed.wrap(hypothesis)).run();
        Optional<IncidentReport> incident = feed.settle(planSettleTimeout, probeInterval);
        if (incident.isPresent()) {
            report = report.withIncident(incident.get());
        }
        return DrillResult.judge(kind, report, kind == DrillKind.DATA_CORRUPTION);
    }
}
