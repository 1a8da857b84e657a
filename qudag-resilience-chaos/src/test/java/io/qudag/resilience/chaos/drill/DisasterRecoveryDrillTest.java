package io.qudag.resilience.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.disk.FaultyFileChannelFactory;
import io.qudag.resilience.chaos.experiment.FunctionalityCheck;
import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.chaos.process.ProcessSignals;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.report.FeatureClass;
import io.qudag.resilience.chaos.report.RecoveryObjective;
import io.qudag.resilience.chaos.report.ReportWriter;
import io.qudag.resilience.chaos.testing.ChecksummedLog;
import io.qudag.resilience.chaos.testing.LoadGenerator;
import io.qudag.resilience.chaos.testing.McpServerMain;
import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec §5.2 drills against an MCP setup in this JVM: three SDK servers (primary and replica in the
 * LOCAL tier, a standby for disaster recovery) on embedded Tomcat, each behind a NetCrusher proxy, and
 * the resilient client trying them in that order; plus a data-corruption drill against a checksummed log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DisasterRecoveryDrillTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private final ChaosSwitch chaos = ChaosSwitch.create("drills", name -> "true");
    private final AtomicReference<McpServerMain> primaryServer = new AtomicReference<>();
    private McpServerMain replicaServer;
    private McpServerMain drServer;
    private int primaryPort;
    private TcpFaultProxy primary;
    private TcpFaultProxy replica;
    private TcpFaultProxy dr;
    private ResilientMcpClient client;
    private LoadGenerator load;

    @TempDir
    Path dir;

    @BeforeAll
    void startSetup() throws Exception {
        primaryServer.set(McpServerMain.start("primary"));
        primaryPort = primaryServer.get().port();
        replicaServer = McpServerMain.start("replica");
        drServer = McpServerMain.start("dr");
        primary = TcpFaultProxy.start("primary", "127.0.0.1", primaryPort);
        replica = TcpFaultProxy.start("replica", "127.0.0.1", replicaServer.port());
        dr = TcpFaultProxy.start("dr", "127.0.0.1", drServer.port());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("primary", primary.httpUrl("/mcp")).trusted(true).build())
                .endpoint(McpEndpoint.http("replica", replica.httpUrl("/mcp")).trusted(true).build())
                .endpoint(McpEndpoint.http("dr", dr.httpUrl("/mcp")).trusted(true).build())
                .pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(3)).build());
        client.async().whenReady().get(60, TimeUnit.SECONDS);
        chaos.enable();
        load = new LoadGenerator(client, 2);
        load.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.servedBy("primary") > 20);
    }

    @org.junit.jupiter.api.BeforeEach
    void steadyState() {
        await().atMost(Duration.ofSeconds(30)).until(() -> load.errorRate(WINDOW) == 0
                && load.p95(WINDOW).compareTo(Duration.ofSeconds(1)) < 0);
    }

    @AfterEach
    void heal() {
        primary.heal();
        replica.heal();
        dr.heal();
    }

    @AfterAll
    void stopSetup() throws Exception {
        if (load != null) {
            load.stop();
        }
        if (client != null) {
            client.close();
        }
        for (TcpFaultProxy p : new TcpFaultProxy[] {primary, replica, dr}) {
            if (p != null) {
                p.close();
            }
        }
        for (McpServerMain s : new McpServerMain[] {primaryServer.get(), replicaServer, drServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private SteadyStateHypothesis callersServed() {
        return SteadyStateHypothesis.of("callers are served within 2 s",
                Probe.errorRate("error rate (1 s)", () -> load.errorRate(WINDOW), 0.10),
                Probe.p95Latency("p95 latency (1 s)", () -> load.p95(WINDOW), Duration.ofSeconds(2)));
    }

    private FunctionalityCheck readsWork(long failuresBefore, long callsBefore) {
        return new FunctionalityCheck("read tool", FeatureClass.IMPORTANT, () -> {
            long calls = load.servedBy("primary") + load.servedBy("replica") + load.servedBy("dr") - callsBefore;
            long failed = load.failures() - failuresBefore;
            return calls + failed == 0 ? 0 : 100.0 * calls / (calls + failed);
        });
    }

    private long served() {
        return load.servedBy("primary") + load.servedBy("replica") + load.servedBy("dr");
    }

    private static void print(DrillResult r) {
        System.out.printf(Locale.ROOT, "MEASURED drill %s: passed %s, status %s, RTO %s, RPO %s, functionality %s, findings %s%n",
                r.kind(), r.passed(), r.report().status(), r.report().rto().orElse(null),
                r.report().rpo().orElse(null), r.report().functionality(), r.findings());
    }

    @Test
    void componentFailure_stopOfTheInProcessPrimary_isAnsweredByTheReplica() throws Exception {
        long replicaBefore = load.servedBy("replica");
        Fault stopPrimary = ProcessSignals.serverStopFault("primary-server", () -> primaryServer.get().close(),
                () -> primaryServer.set(McpServerMain.start("primary", primaryPort)), chaos);
        DrillResult r = DisasterRecoveryDrill.componentFailure(chaos, stopPrimary, callersServed())
                .duration(Duration.ofMillis(1500)).probeInterval(Duration.ofMillis(250))
                .functionality(readsWork(load.failures(), served())).run();
        print(r);
        assertThat(r.kind()).isEqualTo(DrillKind.COMPONENT_FAILURE);
        assertThat(r.report().status()).as("%s", r.findings()).isEqualTo(ExperimentStatus.PASSED);
        assertThat(r.report().rto()).isPresent();
        assertThat(r.report().rtoMet()).isTrue();
        assertThat(r.report().functionality()).hasSize(1);
        assertThat(load.servedBy("replica")).isGreaterThan(replicaBefore);
        assertThat(stopPrimary.injected()).as("the server was restarted").isFalse();
    }

    @Test
    void regionalOutage_wholeLocalTierPartitioned_trafficReachesTheDrStandby_rtoMeasured() throws Exception {
        long drBefore = load.servedBy("dr");
        DrillResult r = DisasterRecoveryDrill.regionalOutage(chaos, List.of(primary, replica), callersServed())
                .duration(Duration.ofMillis(1500)).probeInterval(Duration.ofMillis(250))
                .objective(RecoveryObjective.CRITICAL).run();
        print(r);
        new ReportWriter().writeAll(r.report(), Path.of("target", "chaos-reports", "regional-outage"));
        assertThat(r.report().status()).as("%s", r.findings()).isEqualTo(ExperimentStatus.PASSED);
        assertThat(r.report().faults().get(0).description()).contains("primary", "replica");
        assertThat(r.report().rto()).isPresent();
        assertThat(r.report().rtoMet()).isTrue();
        assertThat(load.servedBy("dr")).as("calls the DR standby answered").isGreaterThan(drBefore);
        assertThat(primary.partitioned() || replica.partitioned()).isFalse();
    }

    @Test
    void serviceDisruption_freezeOfTheDrStandbyAlone_isHarmless() {
        DrillResult r = DisasterRecoveryDrill.serviceDisruption(chaos, List.of(dr), true, callersServed())
                .duration(Duration.ofSeconds(1)).probeInterval(Duration.ofMillis(250)).run();
        print(r);
        assertThat(r.passed()).as("%s", r.findings()).isTrue();
        assertThat(r.report().rto()).contains(Duration.ZERO);
        assertThat(dr.frozen()).isFalse();
    }

    @Test
    void dataCorruption_theLogDetectsTheDamageAndRecovers_reportShowsTheRpo() throws Exception {
        Path file = dir.resolve("journal.log");
        FaultyFileChannelFactory disk = new FaultyFileChannelFactory(FileChannelFactory.standard(), chaos, 11);
        ChecksummedLog log = new ChecksummedLog(file, disk);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> writeError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                while (writing.get()) {
                    log.append(System.currentTimeMillis(), ("record-" + System.nanoTime()).getBytes());
                }
            } catch (Throwable t) {
                writeError.set(t);
            }
        }, "drill-writer");
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> log.lastAcknowledgedMillis() > 0);
        AtomicReference<ChecksummedLog.Recovery> recovery = new AtomicReference<>();
        DrillResult r = DisasterRecoveryDrill.dataCorruption(chaos, disk, 0.02,
                SteadyStateHypothesis.of("writes keep being acknowledged",
                        Probe.custom("write errors", () -> writeError.get() == null ? 0 : 1, 
                                io.qudag.resilience.chaos.experiment.Tolerance.atMost(0), "errors")),
                () -> {
                    writing.set(false);
                    writer.join(10_000);
                    log.close();
                    recovery.set(ChecksummedLog.recover(file));
                },
                () -> Duration.ofMillis(Math.max(0, log.lastAcknowledgedMillis() - recovery.get().lastGoodMillis())))
                .duration(Duration.ofSeconds(1)).probeInterval(Duration.ofMillis(200)).run();
        print(r);
        new ReportWriter().writeAll(r.report(), Path.of("target", "chaos-reports", "data-corruption"));
        assertThat(disk.injected()).as("writes corrupted").isPositive();
        assertThat(recovery.get().damageFound()).as("the log found the damage").isTrue();
        assertThat(recovery.get().goodRecords()).isPositive();
        assertThat(ChecksummedLog.recover(file).damageFound()).as("recovered: a second scan is clean").isFalse();
        assertThat(r.report().rpo()).hasValueSatisfying(rpo -> assertThat(rpo).isPositive());
        assertThat(r.report().rpoMet()).as("RPO %s under 5 s", r.report().rpo()).isTrue();
        assertThat(r.passed()).as("%s", r.findings()).isTrue();
        assertThat(writeError.get()).isNull();
    }

    @Test
    void aDrillDryRun_injectsNothing() {
        DrillResult r = DisasterRecoveryDrill.regionalOutage(chaos, List.of(primary, replica), callersServed())
                .dryRun(true).run();
        assertThat(r.report().status()).isEqualTo(ExperimentStatus.DRY_RUN);
        assertThat(r.report().faultsInjected()).isZero();
        assertThat(primary.partitioned()).isFalse();
    }

    @Test
    void badDrillDefinitions() {
        assertThatThrownBy(() -> DisasterRecoveryDrill.regionalOutage(chaos, List.of(), callersServed()))
                .hasMessage("endpoints must not be empty, was []");
        assertThatThrownBy(() -> DisasterRecoveryDrill.serviceDisruption(chaos, List.of(dr), false, callersServed())
                .duration(Duration.ZERO).run()).hasMessage("step duration must be positive, was PT0S");
    }
}
