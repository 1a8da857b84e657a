package io.qudag.resilience.chaos.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.FaultKind;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.report.FaultWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChaosExperimentTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private final ChaosSwitch armed = ChaosSwitch.create("exp", n -> "true");
    private final AtomicInteger injections = new AtomicInteger();
    private final AtomicBoolean on = new AtomicBoolean();
    private final AtomicLong injectedAtNanos = new AtomicLong();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger rolledBack = new AtomicInteger();

    ChaosExperimentTest() {
        armed.enable();
    }

    private Fault fault(String name) {
        return Fault.of(name, FaultKind.NETWORK, "test fault " + name, armed, () -> {
            injections.incrementAndGet();
            injectedAtNanos.set(System.nanoTime());
            on.set(true);
        }, () -> on.set(false));
    }

    /** An error rate that is 1.0 for {@code disruption} after the fault goes on, then 0 (a failover). */
    private Probe errorRate(Duration disruption) {
        return Probe.errorRate("error-rate", () -> on.get()
                && System.nanoTime() - injectedAtNanos.get() < disruption.toNanos() ? 1.0 : 0.0, 0.05);
    }

    private ChaosExperiment.Builder base(Probe probe) {
        return ChaosExperiment.builder("exp", armed).hypothesis(SteadyStateHypothesis.of("errors stay low", probe))
                .probeInterval(INTERVAL).recoveryTimeout(Duration.ofSeconds(5))
                .rollback("count", rolledBack::incrementAndGet).resource(closed::incrementAndGet);
    }

    @Test
    void aDisruptionThatRecovers_passes_withAMeasuredRto() {
        ExperimentReport r = base(errorRate(Duration.ofMillis(200))).abortAfterViolations(20)
                .fault(fault("partition"), Duration.ofMillis(600), 0.5).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.PASSED);
        assertThat(r.hypothesisHeldBefore()).isTrue();
        assertThat(r.hypothesisHeldAfter()).isTrue();
        FaultWindow w = r.faults().get(0);
        assertThat(w.injected()).isTrue();
        assertThat(w.disrupted()).isTrue();
        // A probe round is stamped on the experiment's clock before its probes are read, and this fault times
        // its disruption on System.nanoTime: the RTO can read a few microseconds under the 200 ms disruption.
        assertThat(r.rto()).hasValueSatisfying(rto -> assertThat(rto)
                .isBetween(Duration.ofMillis(195), Duration.ofMillis(200).plus(INTERVAL.multipliedBy(6))));
        assertThat(r.rtoMet()).isTrue();
        assertThat(on).isFalse();
        assertThat(rolledBack).hasValue(1);
        assertThat(closed).hasValue(1);
        assertThat(r.samples()).hasSizeGreaterThan(5);
    }

    @Test
    void hypothesisViolatedNProbesInARow_aborts_andRollsBack() {
        long t0 = System.nanoTime();
        ExperimentReport r = base(errorRate(Duration.ofHours(1))).abortAfterViolations(3)
                .fault(fault("freeze"), Duration.ofSeconds(20), 0.5).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.ABORTED);
        assertThat(r.abortReason()).hasValueSatisfying(s -> assertThat(s).contains("violated for 3 probes"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(on).as("healed").isFalse();
        assertThat(rolledBack).hasValue(1);
        assertThat(closed).hasValue(1);
        assertThat(r.rto()).isEmpty();
    }

    @Test
    void aStepAboveTheBlastRadius_isNeverInjected_andAborts() {
        ExperimentReport r = base(errorRate(Duration.ZERO)).blastRadius(0.5)
                .fault(fault("small"), Duration.ofMillis(100), 0.25)
                .fault(fault("wide"), Duration.ofMillis(100), 0.8).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.ABORTED);
        assertThat(injections).hasValue(1);
        assertThat(r.abortReason()).hasValueSatisfying(s -> assertThat(s).contains("above the blast radius 0.5"));
        assertThat(r.faults()).extracting(FaultWindow::name).containsExactly("small");
    }

    @Test
    void aMeasuredBlastRadiusPastItsLimit_abortsAndRollsBackWithinOneProbeInterval() {
        ExperimentReport r = base(errorRate(Duration.ZERO)).blastRadius(0.5)
                .blastRadiusGauge(() -> on.get() ? 1.0 : 0.0)
                .fault(fault("widening"), Duration.ofSeconds(20), 0.25).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.ABORTED);
        assertThat(r.blastRadiusReached()).isEqualTo(1.0);
        java.time.Instant injected = r.faults().get(0).start();
        java.time.Instant abortedAt = r.abortedAt().orElseThrow();
        long rounds = r.samples().stream().map(s -> s.at()).filter(t -> t.isAfter(injected) && !t.isAfter(abortedAt))
                .distinct().count();
        assertThat(rounds).as("probe rounds from widening to abort").isLessThanOrEqualTo(1);
        assertThat(Duration.between(abortedAt, r.rolledBackAt().orElseThrow())).as("abort to rolled back")
                .isLessThanOrEqualTo(INTERVAL);
        assertThat(Duration.between(injected, r.rolledBackAt().get())).isLessThan(Duration.ofSeconds(2));
        assertThat(on).isFalse();
    }

    @Test
    void dryRun_reportsThePlan_andInjectsNothing() {
        ExperimentReport r = base(errorRate(Duration.ZERO)).dryRun(true)
                .fault(fault("a"), Duration.ofSeconds(30), 0.5).pause(Duration.ofSeconds(5))
                .fault(fault("b"), Duration.ofSeconds(30), 0.5).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.DRY_RUN);
        assertThat(injections).hasValue(0);
        assertThat(r.faults()).hasSize(2).allSatisfy(w -> assertThat(w.injected()).isFalse());
        assertThat(Duration.between(r.faults().get(0).start(), r.faults().get(1).start())).isEqualTo(Duration.ofSeconds(35));
        assertThat(rolledBack).as("nothing to roll back").hasValue(0);
        assertThat(closed).hasValue(1);
    }

    @Test
    void chaosOff_injectsNothing() {
        ChaosSwitch off = ChaosSwitch.create("off", n -> null);
        off.enable();
        ExperimentReport r = ChaosExperiment.builder("off", off)
                .hypothesis(SteadyStateHypothesis.of("h", errorRate(Duration.ZERO)))
                .fault(fault("a"), Duration.ofSeconds(30), 0.5).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.CHAOS_OFF);
        assertThat(injections).hasValue(0);
    }

    @Test
    void notSteadyBefore_injectsNothing() {
        ExperimentReport r = base(Probe.errorRate("bad", () -> 0.9, 0.1))
                .fault(fault("a"), Duration.ofSeconds(30), 0.5).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.NOT_STEADY);
        assertThat(injections).hasValue(0);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aFaultThatFailsToInject_endsInError_rollsBack_andReleasesResources() {
        Fault broken = Fault.of("broken", FaultKind.DISK, "d", armed, () -> {
            throw new java.io.IOException("no disk");
        }, () -> { });
        ExperimentReport r = base(errorRate(Duration.ZERO)).fault(fault("first"), Duration.ofMillis(50), 0.1)
                .fault(broken, Duration.ofSeconds(10), 0.1).build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.ERROR);
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("no disk"));
        assertThat(rolledBack).hasValue(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aProbeThatThrows_readsAsAViolation() {
        Probe p = Probe.custom("throws", () -> {
            throw new IllegalStateException("x");
        }, io.qudag.resilience.chaos.experiment.Tolerance.atMost(1), "");
        assertThat(Double.isNaN(p.measure())).isTrue();
        assertThat(p.tolerance().accepts(p.measure())).isFalse();
    }

    @Test
    void badDefinitions_failAtBuild_namingFieldAndValue() {
        Probe ok = errorRate(Duration.ZERO);
        assertThatThrownBy(() -> SteadyStateHypothesis.of("h")).hasMessage("hypothesis probes must not be empty, was []");
        assertThatThrownBy(() -> ChaosExperiment.builder("x", armed).fault(fault("a"), Duration.ofSeconds(1), 0.1).build())
                .hasMessage("hypothesis must not be empty, was null");
        assertThatThrownBy(() -> base(ok).blastRadius(1.5).fault(fault("a"), Duration.ofSeconds(1), 0.1).build())
                .hasMessage("blastRadius must be above 0 and at most 1, was 1.5");
        assertThatThrownBy(() -> base(ok).blastRadius(0).fault(fault("a"), Duration.ofSeconds(1), 0.1).build())
                .hasMessage("blastRadius must be above 0 and at most 1, was 0.0");
        assertThatThrownBy(() -> base(ok).fault(fault("a"), Duration.ZERO, 0.1))
                .hasMessage("step duration must be positive, was PT0S");
        assertThatThrownBy(() -> base(ok).fault(fault("a"), Duration.ofSeconds(-3), 0.1))
                .hasMessage("step duration must be positive, was PT-3S");
        assertThatThrownBy(() -> base(ok).fault(fault("a"), Duration.ofSeconds(1), 1.2))
                .hasMessage("step share must be between 0 and 1, was 1.2");
        assertThatThrownBy(() -> base(ok).probeInterval(Duration.ZERO).fault(fault("a"), Duration.ofSeconds(1), 0.1).build())
                .hasMessage("probeInterval must be positive, was PT0S");
        assertThatThrownBy(() -> base(ok).abortAfterViolations(0).fault(fault("a"), Duration.ofSeconds(1), 0.1).build())
                .hasMessage("abortAfterViolations must be at least 1, was 0");
        assertThatThrownBy(() -> base(ok).build()).hasMessage("method must have at least one step, was empty");
        assertThatThrownBy(() -> Probe.errorRate("e", () -> 0, 2)).hasMessage("error rate max must be between 0 and 1, was 2.0");
        assertThatThrownBy(() -> Tolerance.between(3, 1)).hasMessage("tolerance min must not exceed max, was 3.0 > 1.0");
    }

    @Test
    void theSchedulerNeverRunsTwoExperimentsAtOnce() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        List<CompletableFuture<ExperimentReport>> runs = new ArrayList<>();
        try (ChaosScheduler scheduler = new ChaosScheduler()) {
            for (int i = 0; i < 3; i++) {
                Fault f = Fault.of("f" + i, FaultKind.LATENCY, "f", armed, () -> {
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                }, concurrent::decrementAndGet);
                runs.add(scheduler.submit(ChaosExperiment.builder("e" + i, armed)
                        .hypothesis(SteadyStateHypothesis.of("h", Probe.errorRate("e", () -> 0, 0.1)))
                        .probeInterval(INTERVAL).fault(f, Duration.ofMillis(150), 0.1).build()));
            }
            for (CompletableFuture<ExperimentReport> run : runs) {
                assertThat(run.get(30, TimeUnit.SECONDS).status()).isEqualTo(ExperimentStatus.PASSED);
            }
            // while one runs, a direct run is refused
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Fault holding = Fault.of("hold", FaultKind.LATENCY, "h", armed, () -> {
                inside.countDown();
                release.await(10, TimeUnit.SECONDS);
            }, () -> { });
            ChaosExperiment slow = ChaosExperiment.builder("slow", armed)
                    .hypothesis(SteadyStateHypothesis.of("h", Probe.errorRate("e", () -> 0, 0.1)))
                    .fault(holding, Duration.ofMillis(10), 0.1).build();
            CompletableFuture<ExperimentReport> slowRun = scheduler.submit(slow);
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(scheduler.running()).contains(slow);
            assertThatThrownBy(() -> scheduler.runExclusive(slow)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is running");
            release.countDown();
            assertThat(slowRun.get(30, TimeUnit.SECONDS).status()).isEqualTo(ExperimentStatus.PASSED);
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.running().isEmpty());
        }
        assertThat(maxConcurrent).hasValue(1);
    }

    @Test
    void noProbeThreadOutlivesTheExperiment() {
        base(errorRate(Duration.ofHours(1))).abortAfterViolations(2)
                .fault(fault("x"), Duration.ofSeconds(10), 0.1).build().run();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("qudag-chaos-probe-") && t.isAlive())).isEmpty();
    }
}
