package io.qudag.resilience.chaos.experiment.internal;

import io.qudag.resilience.chaos.experiment.ChaosExperiment;
import io.qudag.resilience.chaos.experiment.FunctionalityCheck;
import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.Step;
import io.qudag.resilience.chaos.report.DataLoss;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.report.FaultWindow;
import io.qudag.resilience.chaos.report.FunctionalityResult;
import io.qudag.resilience.chaos.report.ProbeSample;
import io.qudag.resilience.chaos.report.ProbeSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link ChaosExperiment}: before-check, method with a probe thread, recovery, rollback, report. */
public final class ExperimentRunner implements ChaosExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosExperiment.class);

    private final ChaosExperimentConfig config;
    private final Clock clock;

    public ExperimentRunner(ChaosExperimentConfig config) {
        this.config = config;
        this.clock = config.clock();
    }

    @Override
    public ChaosExperimentConfig config() {
        return config;
    }

    /** One probe round: when, and whether every probe was within tolerance. */
    private record Tick(Instant at, boolean ok) {
    }

    /** A fault window while it is being built. */
    private static final class Window {
        final Step step;
        Instant start;
        Instant end;
        boolean injected;

        Window(Step step, Instant start) {
            this.step = step;
            this.start = start;
        }
    }

    /** The abort signal the probe thread raises and the method waits on. */
    private final class Abort {
        final CountDownLatch latch = new CountDownLatch(1);
        final AtomicReference<String> reason = new AtomicReference<>();
        volatile Instant at;

        void raise(String why) {
            if (reason.compareAndSet(null, why)) {
                at = clock.instant();
                LOG.warn("experiment '{}' ABORTING: {}", config.title(), why);
                latch.countDown();
            }
        }

        boolean raised() {
            return reason.get() != null;
        }

        /** Waits {@code d} or until aborted; true when aborted. */
        boolean await(Duration d) throws InterruptedException {
            return latch.await(d.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public ExperimentReport run() {
        Instant startedAt = clock.instant();
        List<ProbeSample> samples = Collections.synchronizedList(new ArrayList<>());
        List<Tick> ticks = Collections.synchronizedList(new ArrayList<>());
        List<Window> windows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> rollbacks = new ArrayList<>();
        List<FunctionalityResult> functionality = new ArrayList<>();
        Abort abort = new Abort();
        AtomicReference<Double> blastReached = new AtomicReference<>(0.0);
        ExperimentStatus status;
        boolean heldBefore = false;
        boolean heldAfter = false;
        Optional<Duration> rpo = Optional.empty();
        Optional<DataLoss> dataLoss = Optional.empty();
        Instant rolledBackAt = null;
        ScheduledThreadPoolExecutor prober = null;
        boolean ranMethod = false;
        LOG.info("experiment '{}' starting{}", config.title(), config.dryRun() ? " (dry run)" : "");
        try {
            heldBefore = probeRound(samples, ticks);
            if (!heldBefore) {
                status = ExperimentStatus.NOT_STEADY;
                plan(windows, startedAt);
            } else if (config.dryRun()) {
                status = ExperimentStatus.DRY_RUN;
                plan(windows, startedAt);
                heldAfter = true;
            } else if (!config.chaosSwitch().armed()) {
                config.chaosSwitch().sayOffOnce();
                status = ExperimentStatus.CHAOS_OFF;
                plan(windows, startedAt);
            } else {
                ranMethod = true;
                prober = startProber(samples, ticks, abort, blastReached);
                boolean error = runMethod(windows, abort, blastReached, errors);
                if (abort.raised()) {
                    status = error ? ExperimentStatus.ERROR : ExperimentStatus.ABORTED; // roll back first, below
                } else {
                    stop(prober);
                    heldAfter = awaitSteadyState(samples, ticks);
                    status = heldAfter ? ExperimentStatus.PASSED : ExperimentStatus.FAILED;
                }
                for (FunctionalityCheck check : config.functionality()) {
                    double p;
                    try {
                        p = check.percent().getAsDouble();
                    } catch (RuntimeException e) {
                        p = 0;
                        errors.add("functionality check " + check.name() + " failed: " + e);
                    }
                    functionality.add(new FunctionalityResult(check.name(), check.featureClass(), p));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort.raise("interrupted");
            status = ExperimentStatus.ABORTED;
        } catch (RuntimeException | Error e) {
            errors.add("experiment failed: " + e);
            abort.raise("experiment failed: " + e.getMessage());
            status = ExperimentStatus.ERROR;
        } finally {
            for (Step step : config.method()) {
                if (!step.isPause()) {
                    try {
                        step.fault().heal();
                    } catch (Exception e) {
                        errors.add("heal of " + step.fault().name() + " failed: " + e);
                    }
                }
            }
            for (Window w : windows) {
                if (w.end == null) {
                    w.end = clock.instant();
                }
            }
            if (ranMethod) {
                for (ChaosExperiment.NamedAction r : config.rollbacks()) {
                    try {
                        r.action().run();
                        rollbacks.add(r.name() + ": done");
                    } catch (Exception e) {
                        rollbacks.add(r.name() + ": FAILED " + e);
                        errors.add("rollback " + r.name() + " failed: " + e);
                    }
                }
                rolledBackAt = clock.instant();
            }
            stop(prober);
            for (int i = config.resources().size() - 1; i >= 0; i--) {
                try {
                    config.resources().get(i).close();
                } catch (Exception e) {
                    errors.add("closing resource " + config.resources().get(i) + " failed: " + e);
                }
            }
        }
        if (ranMethod && config.rpoMeasure().isPresent()) {
            try {
                rpo = Optional.ofNullable(config.rpoMeasure().get().get());
            } catch (RuntimeException e) {
                errors.add("RPO measurement failed: " + e);
            }
        }
        if (ranMethod && config.dataLossMeasure().isPresent()) {
            try {
                dataLoss = Optional.ofNullable(config.dataLossMeasure().get().get());
                rpo = dataLoss.map(DataLoss::window);
            } catch (RuntimeException e) {
                errors.add("data loss measurement failed: " + e);
            }
        }
        Instant endedAt = clock.instant();
        List<FaultWindow> faultWindows = faultWindows(windows, ticks, endedAt);
        Optional<Duration> rto = overallRto(faultWindows);
        LOG.info("experiment '{}' ended {}: RTO {}, {} fault(s) injected{}", config.title(), status,
                rto.map(Duration::toString).orElse("not measured"),
                faultWindows.stream().filter(FaultWindow::injected).count(),
                abort.raised() ? ", aborted: " + abort.reason.get() : "");
        return new ExperimentReport(config.title(), status, config.dryRun(), startedAt, endedAt,
                config.hypothesis().title(), heldBefore, heldAfter, config.blastRadius(), blastReached.get(),
                config.probeInterval(), faultWindows, summaries(samples), new ArrayList<>(samples), rto, rpo,
                config.objective(), functionality, Optional.ofNullable(abort.reason.get()),
                Optional.ofNullable(abort.at), Optional.ofNullable(rolledBackAt), rollbacks, errors, Optional.empty(),
                dataLoss);
    }

    /** The windows the method would open, back to back from {@code from}; nothing is injected. */
    private void plan(List<Window> windows, Instant from) {
        Instant t = from;
        for (Step step : config.method()) {
            if (!step.isPause()) {
                Window w = new Window(step, t);
                w.end = t.plus(step.duration());
                windows.add(w);
                LOG.info("experiment '{}' would inject {} for {}", config.title(), step.fault().description(),
                        step.duration());
            }
            t = t.plus(step.duration());
        }
    }

    /** Runs the steps; returns true when a fault failed to inject. */
    private boolean runMethod(List<Window> windows, Abort abort, AtomicReference<Double> blastReached,
            List<String> errors) throws InterruptedException {
        for (Step step : config.method()) {
            if (abort.raised()) {
                return false;
            }
            if (step.isPause()) {
                abort.await(step.duration());
                continue;
            }
            if (step.share() > config.blastRadius()) {
                abort.raise("step " + step.fault().name() + " would affect " + step.share()
                        + " of calls/endpoints, above the blast radius " + config.blastRadius());
                return false;
            }
            Window w = new Window(step, clock.instant());
            windows.add(w);
            try {
                w.injected = step.fault().inject();
            } catch (Exception e) {
                errors.add("inject of " + step.fault().name() + " failed: " + e);
                abort.raise("fault " + step.fault().name() + " could not be injected: " + e.getMessage());
                w.end = clock.instant();
                return true;
            }
            if (!w.injected) {
                abort.raise("chaos switch " + config.chaosSwitch().name() + " turned off");
                w.end = clock.instant();
                return false;
            }
            blastReached.accumulateAndGet(step.share(), Math::max);
            abort.await(step.duration());
            try {
                step.fault().heal();
            } catch (Exception e) {
                errors.add("heal of " + step.fault().name() + " failed: " + e);
            }
            w.end = clock.instant();
        }
        return false;
    }

    private ScheduledThreadPoolExecutor startProber(List<ProbeSample> samples, List<Tick> ticks, Abort abort,
            AtomicReference<Double> blastReached) {
        ScheduledThreadPoolExecutor prober = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qudag-chaos-probe-" + config.title());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger violations = new AtomicInteger();
        long every = config.probeInterval().toNanos();
        prober.scheduleAtFixedRate(() -> {
            try {
                boolean ok = probeRound(samples, ticks);
                int n = ok ? 0 : violations.incrementAndGet();
                if (ok) {
                    violations.set(0);
                }
                if (n >= config.abortAfterViolations()) {
                    abort.raise("hypothesis '" + config.hypothesis().title() + "' violated for " + n
                            + " probes in a row");
                }
                if (config.blastRadiusGauge().isPresent()) {
                    double share = config.blastRadiusGauge().get().getAsDouble();
                    blastReached.accumulateAndGet(share, Math::max);
                    if (share > config.blastRadius()) {
                        abort.raise("blast radius measured " + share + ", above the limit " + config.blastRadius());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("experiment '{}': a probe round failed", config.title(), e);
            }
        }, every, every, TimeUnit.NANOSECONDS);
        return prober;
    }

    private static void stop(ScheduledThreadPoolExecutor prober) {
        if (prober != null) {
            prober.shutdownNow();
            try {
                prober.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads every probe once; records the readings and the round. */
    private boolean probeRound(List<ProbeSample> samples, List<Tick> ticks) {
        Instant at = clock.instant();
        boolean ok = true;
        for (Probe p : config.hypothesis().probes()) {
            double v = p.measure();
            boolean within = p.tolerance().accepts(v);
            ok &= within;
            samples.add(new ProbeSample(at, p.name(), v, within));
        }
        ticks.add(new Tick(at, ok));
        return ok;
    }

    /** After the method: probes until the hypothesis holds or the recovery timeout passes. */
    private boolean awaitSteadyState(List<ProbeSample> samples, List<Tick> ticks) throws InterruptedException {
        long deadline = System.nanoTime() + config.recoveryTimeout().toNanos();
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            if (probeRound(samples, ticks)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            never.await(config.probeInterval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private List<FaultWindow> faultWindows(List<Window> windows, List<Tick> ticks, Instant endedAt) {
        List<Tick> rounds;
        synchronized (ticks) {
            rounds = new ArrayList<>(ticks);
        }
        List<FaultWindow> out = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            Instant until = i + 1 < windows.size() ? windows.get(i + 1).start : endedAt;
            boolean disrupted = false;
            Optional<Duration> rto = Optional.empty();
            if (w.injected) {
                Instant lastBad = null;
                for (Tick t : rounds) {
                    if (!t.at.isBefore(w.start) && t.at.isBefore(until) && !t.ok) {
                        lastBad = t.at;
                    }
                }
                if (lastBad == null) {
                    rto = Optional.of(Duration.ZERO);
                } else {
                    disrupted = true;
                    for (Tick t : rounds) {
                        if (t.at.isAfter(lastBad) && t.ok) {
                            rto = Optional.of(Duration.between(w.start, t.at));
                            break;
                        }
                    }
                }
            }
            out.add(new FaultWindow(w.step.fault().name(), w.step.fault().kind(), w.step.fault().description(),
                    w.step.share(), w.start, w.end, w.injected, disrupted, rto));
        }
        return out;
    }

    private static Optional<Duration> overallRto(List<FaultWindow> windows) {
        Duration worst = null;
        for (FaultWindow w : windows) {
            if (!w.injected()) {
                continue;
            }
            if (w.rto().isEmpty()) {
                return Optional.empty(); // one window never recovered
            }
            if (worst == null || w.rto().get().compareTo(worst) > 0) {
                worst = w.rto().get();
            }
        }
        return Optional.ofNullable(worst);
    }

    private List<ProbeSummary> summaries(List<ProbeSample> samples) {
        List<ProbeSample> all;
        synchronized (samples) {
            all = new ArrayList<>(samples);
        }
        List<ProbeSummary> out = new ArrayList<>();
        for (Probe p : config.hypothesis().probes()) {
            int n = 0;
            int bad = 0;
            double worst = Double.NaN;
            boolean lowerIsWorse = Double.isNaN(p.tolerance().max());
            for (ProbeSample s : all) {
                if (!s.probe().equals(p.name())) {
                    continue;
                }
                n++;
                bad += s.within() ? 0 : 1;
                if (!Double.isNaN(s.value()) && (Double.isNaN(worst)
                        || (lowerIsWorse ? s.value() < worst : s.value() > worst))) {
                    worst = s.value();
                }
            }
            out.add(new ProbeSummary(p.name(), p.kind().name(), p.unit(), p.tolerance().min(), p.tolerance().max(),
                    n, bad, worst));
        }
        return out;
    }

    @Override
    public String toString() {
        return "ChaosExperiment{" + config.title() + '}';
    }
}
