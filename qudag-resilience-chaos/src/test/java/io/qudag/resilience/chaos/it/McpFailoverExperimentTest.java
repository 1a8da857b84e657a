package io.qudag.resilience.chaos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.experiment.ChaosExperiment;
import io.qudag.resilience.chaos.experiment.ChaosScheduler;
import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.report.FaultWindow;
import io.qudag.resilience.chaos.report.ReportWriter;
import io.qudag.resilience.chaos.testing.ChildJvm;
import io.qudag.resilience.chaos.testing.LoadGenerator;
import io.qudag.resilience.chaos.testing.McpServerMain;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Chaos experiments against a real setup: two MCP SDK servers in child JVMs, each behind a NetCrusher
 * proxy on loopback, and the library's resilient MCP client failing over from the primary to the
 * replica (its default priority selector), with three callers of a read-only tool. The probes read what
 * the callers saw in the last second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpFailoverExperimentTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

    private final ChaosSwitch chaos = ChaosSwitch.create("e2e", name -> "true");
    private ChildJvm primaryJvm;
    private ChildJvm replicaJvm;
    private TcpFaultProxy primary;
    private TcpFaultProxy replica;
    private ResilientMcpClient client;
    private LoadGenerator load;
    private ChaosScheduler scheduler;

    @BeforeAll
    void startServersProxiesAndClient() throws Exception {
        primaryJvm = ChildJvm.start(McpServerMain.class, "primary");
        replicaJvm = ChildJvm.start(McpServerMain.class, "replica");
        int primaryPort = port(primaryJvm);
        int replicaPort = port(replicaJvm);
        primary = TcpFaultProxy.start("primary", "127.0.0.1", primaryPort);
        replica = TcpFaultProxy.start("replica", "127.0.0.1", replicaPort);
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("primary", primary.httpUrl("/mcp")).trusted(true).build())
                .endpoint(McpEndpoint.http("replica", replica.httpUrl("/mcp")).trusted(true).build())
                .pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofMillis(700))
                .callTimeout(Duration.ofSeconds(3))
                .build());
        client.async().whenReady().get(60, TimeUnit.SECONDS);
        chaos.enable();
        scheduler = new ChaosScheduler();
    }

    private static int port(ChildJvm jvm) throws InterruptedException {
        String line = jvm.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(90));
        return Integer.parseInt(line.substring(5).trim());
    }

    @BeforeEach
    void startCallers() {
        load = new LoadGenerator(client, 3);
        load.start();
        long before = load.servedBy("primary");
        await().atMost(Duration.ofSeconds(30)).until(() -> load.servedBy("primary") > before + 10);
        // start from a steady state: the previous experiment's disruption has left the probe window
        await().atMost(Duration.ofSeconds(30)).until(() -> load.errorRate(WINDOW) == 0
                && load.p95(WINDOW).compareTo(Duration.ofSeconds(1)) < 0);
    }

    @AfterEach
    void stopCallersAndHeal() throws Exception {
        load.stop();
        primary.heal();
        replica.heal();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (client != null) {
            client.close();
        }
        for (TcpFaultProxy p : new TcpFaultProxy[] {primary, replica}) {
            if (p != null) {
                p.close();
            }
        }
        for (ChildJvm jvm : new ChildJvm[] {primaryJvm, replicaJvm}) {
            if (jvm != null) {
                jvm.close(); // SIGKILL by PID
            }
        }
    }

    private SteadyStateHypothesis hypothesis() {
        return SteadyStateHypothesis.of("callers see answers within 2 s",
                Probe.errorRate("error rate (1 s)", () -> load.errorRate(WINDOW), 0.10),
                Probe.p95Latency("p95 latency (1 s)", () -> load.p95(WINDOW), Duration.ofSeconds(2)));
    }

    /** The share of the two endpoints cut off at the network now. */
    private double endpointsCut() {
        int cut = (primary.partitioned() || primary.frozen() ? 1 : 0) + (replica.partitioned() || replica.frozen() ? 1 : 0);
        return cut / 2.0;
    }

    private ChaosExperiment.Builder experiment(String title) {
        return ChaosExperiment.builder(title, chaos).hypothesis(hypothesis()).probeInterval(PROBE_INTERVAL)
                .abortAfterViolations(20).recoveryTimeout(Duration.ofSeconds(30)).blastRadius(0.5)
                .blastRadiusGauge(this::endpointsCut)
                .rollback("heal both proxies", () -> {
                    primary.heal();
                    replica.heal();
                });
    }

    private static Path reportDir(String name) {
        return Path.of("target", "chaos-reports", name);
    }

    private static void print(ExperimentReport r) {
        System.out.printf(Locale.ROOT, "MEASURED %s: status %s, RTO %s, faults %s, blast radius %.2f%n", r.title(),
                r.status(), r.rto().map(Duration::toMillis).map(ms -> ms + " ms").orElse("n/a"),
                r.faults().stream().map(w -> w.name() + " rto=" + w.rto().map(Duration::toMillis).orElse(-1L)
                        + "ms disrupted=" + w.disrupted()).toList(), r.blastRadiusReached());
    }

    @Test
    void partitionOfThePrimary_failsOverToTheReplica_reportHasAMeasuredRtoAndAPassedHypothesis() throws Exception {
        long replicaBefore = load.servedBy("replica");
        ExperimentReport r = scheduler.submit(experiment("partition of the primary")
                .fault(primary.partitionFault(chaos), Duration.ofSeconds(2), 0.5).build()).get(120, TimeUnit.SECONDS);
        print(r);
        new ReportWriter().writeAll(r, reportDir("partition"));
        assertThat(r.status()).as("status; errors %s, abort %s", r.errors(), r.abortReason()).isEqualTo(ExperimentStatus.PASSED);
        assertThat(r.hypothesisHeldBefore()).isTrue();
        assertThat(r.hypothesisHeldAfter()).isTrue();
        assertThat(r.faultsInjected()).isEqualTo(1);
        assertThat(r.rto()).isPresent();
        assertThat(r.rtoMet()).as("RTO %s under the critical objective", r.rto()).isTrue();
        assertThat(load.servedBy("replica")).as("calls the replica answered").isGreaterThan(replicaBefore + 10);
        assertThat(primary.partitioned()).as("rolled back").isFalse();
        assertThat(reportDir("partition").resolve("report.html")).exists();
    }

    @Test
    void freezeOfThePrimary_connectionOpenNoBytes_isMeasuredTheSameWay() throws Exception {
        long replicaBefore = load.servedBy("replica");
        ExperimentReport r = scheduler.submit(experiment("freeze of the primary")
                .fault(primary.freezeFault(chaos), Duration.ofSeconds(4), 0.5).build()).get(120, TimeUnit.SECONDS);
        print(r);
        new ReportWriter().writeAll(r, reportDir("freeze"));
        assertThat(r.status()).as("status; errors %s, abort %s", r.errors(), r.abortReason()).isEqualTo(ExperimentStatus.PASSED);
        assertThat(r.faultsInjected()).isEqualTo(1);
        assertThat(r.rto()).isPresent();
        assertThat(r.rtoMet()).isTrue();
        assertThat(load.servedBy("replica")).as("calls the replica answered").isGreaterThan(replicaBefore);
        assertThat(primary.frozen()).isFalse();
    }

    @Test
    void wideningTheBlastRadiusPastItsLimit_abortsAndRollsBackWithinOneProbeInterval() throws Exception {
        Fault wholeTier = Fault.all("partition-local-tier", chaos,
                List.of(primary.partitionFault(chaos), replica.partitionFault(chaos)));
        ExperimentReport r = scheduler.submit(experiment("widening past the blast radius")
                .fault(primary.partitionFault(chaos), Duration.ofMillis(500), 0.5)
                .fault(wholeTier, Duration.ofSeconds(20), 0.5).build()).get(120, TimeUnit.SECONDS);
        print(r);
        assertThat(r.status()).isEqualTo(ExperimentStatus.ABORTED);
        assertThat(r.abortReason()).hasValueSatisfying(s -> assertThat(s).contains("blast radius measured 1.0"));
        FaultWindow widened = r.faults().get(1);
        assertThat(widened.injected()).isTrue();
        java.time.Instant abortedAt = r.abortedAt().orElseThrow();
        long roundsBeforeAbort = r.samples().stream().map(s -> s.at())
                .filter(t -> t.isAfter(widened.start()) && !t.isAfter(abortedAt)).distinct().count();
        assertThat(roundsBeforeAbort).as("probe rounds from widening to abort").isLessThanOrEqualTo(1);
        assertThat(Duration.between(abortedAt, r.rolledBackAt().orElseThrow())).as("abort to rolled back")
                .isLessThanOrEqualTo(PROBE_INTERVAL);
        assertThat(Duration.between(widened.start(), r.rolledBackAt().get())).as("widening to rolled back (wall clock)")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(primary.partitioned()).isFalse();
        assertThat(replica.partitioned()).isFalse();
        assertThat(r.blastRadiusReached()).isEqualTo(1.0);
    }

    @Test
    void dryRun_injectsNothing() throws Exception {
        long primaryBefore = load.servedBy("primary");
        ExperimentReport r = scheduler.submit(experiment("dry run")
                .fault(primary.partitionFault(chaos), Duration.ofSeconds(30), 0.5)
                .fault(primary.freezeFault(chaos), Duration.ofSeconds(30), 0.5).dryRun(true).build())
                .get(60, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(ExperimentStatus.DRY_RUN);
        assertThat(r.faultsInjected()).isZero();
        assertThat(r.faults()).hasSize(2).noneMatch(FaultWindow::injected);
        assertThat(primary.partitioned() || primary.frozen()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> load.servedBy("primary") > primaryBefore + 20);
        assertThat(new ReportWriter().markdown(r)).contains("dry run: nothing injected");
        CompletableFuture.runAsync(() -> { }).get();
    }
}
