package io.qudag.resilience.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.experiment.Tolerance;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.report.FaultWindow;
import io.qudag.resilience.chaos.report.IncidentReport;
import io.qudag.resilience.chaos.report.RecoveryObjective;
import io.qudag.resilience.chaos.report.ReportWriter;
import io.qudag.resilience.chaos.testing.Chromium;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.IncidentStatus;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.RecoveryProcedures;
import io.qudag.resilience.core.plan.StepSnapshot;
import io.qudag.resilience.core.plan.StepStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service-disruption drill against a real disaster-recovery plan: a TCP echo service on loopback
 * behind a NetCrusher proxy is partitioned; the drill's probe feeds the plan, which opens a level-2
 * incident, isolates the service's breaker in a {@link BreakerHierarchy} while the fault is on, and
 * validates the service until it answers again; the report shows the incident's phases with their
 * measured durations against the time boxes.
 */
class DisasterRecoveryDrillPlanTest {

    private static final BreakerPath SERVICE = BreakerPath.parse("global/region:eu-west/service:echo");

    @TempDir
    Path dir;

    private final ChaosSwitch chaos = ChaosSwitch.create("drill-plan", name -> "true");
    private final ExecutorService echoThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-server");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket echo;
    private TcpFaultProxy proxy;
    private DisasterRecoveryPlan plan;

    @BeforeEach
    void startService() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress("127.0.0.1", 0));
        echoThreads.execute(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    echoThreads.execute(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        proxy = TcpFaultProxy.start("echo", "127.0.0.1", echo.getLocalPort());
        chaos.enable();
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
            }
        } catch (IOException gone) {
            // client left
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (plan != null) {
            plan.close();
        }
        proxy.close();
        echo.close();
        echoThreads.shutdownNow();
    }

    /** 1 when one byte makes the round trip through the proxy within 500 ms, else 0. */
    private double roundTrip() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 500);
            s.setSoTimeout(500);
            s.getOutputStream().write(42);
            s.getOutputStream().flush();
            return s.getInputStream().read() == 42 ? 1 : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void level2Drill_isolatesWhileTheFaultIsOn_closesAfterIt_andTheReportShowsPhasesAgainstTimeBoxes() throws Exception {
        BreakerHierarchy hierarchy = BreakerHierarchy.builder().build();
        AtomicReference<String> breakerDuringValidation = new AtomicReference<>();
        DisasterRecoveryPlanConfig config = DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.isolate("isolate-echo-service", hierarchy,
                                RecoveryProcedures.paths(SERVICE), Duration.ofMinutes(1))
                        .level(DisasterLevel.SERVICE_DISRUPTION).timeout(Duration.ofSeconds(5)).build())
                .procedure(RecoveryProcedures.builder("validate-echo-service")
                        .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.SHORT_TERM)
                        .timeout(Duration.ofSeconds(2))
                        .action(ctx -> breakerDuringValidation.set(hierarchy.node(SERVICE).state().name()))
                        .validation(ctx -> roundTrip() == 1)
                        .retry(RetryPolicy.builder().maxAttempts(200).initialBackoff(Duration.ofMillis(50))
                                .maxBackoff(Duration.ofMillis(100)).build())
                        .build())
                .build();
        plan = DisasterRecoveryPlan.builder().name("echo-plan").config(config).build();

        SteadyStateHypothesis served = SteadyStateHypothesis.of("the echo service answers",
                Probe.custom("echo round trip", this::roundTrip, Tolerance.atLeast(1), "ok"));
        DrillResult result = DisasterRecoveryDrill.serviceDisruption(chaos, List.of(proxy), false, served)
                .duration(Duration.ofMillis(1500)).probeInterval(Duration.ofMillis(100))
                .recoveryTimeout(Duration.ofSeconds(20))
                .plan(plan, DisasterLevel.SERVICE_DISRUPTION).planSettleTimeout(Duration.ofSeconds(20))
                .run();

        assertThat(result.report().status()).isEqualTo(ExperimentStatus.PASSED);
        FaultWindow fault = result.report().faults().get(0);
        assertThat(fault.injected()).isTrue();
        assertThat(result.report().incident()).as("the plan's incident is in the report").isPresent();
        IncidentReport incident = result.report().incident().get();

        // level 2, closed after the fault ended
        assertThat(incident.level()).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(incident.status()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(incident.openedAt()).isAfterOrEqualTo(fault.start()).isBefore(fault.end());
        assertThat(incident.closedAt()).isAfter(fault.end());
        assertThat(incident.mode()).isIn(OperatingMode.REDUCED, OperatingMode.FULL);

        // isolation ran while the fault was on; validation passed only once it was healed
        StepSnapshot isolate = step(incident, "isolate-echo-service");
        assertThat(isolate.status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(isolate.endedAt()).isBefore(fault.end());
        assertThat(breakerDuringValidation.get()).isEqualTo("OPEN");
        assertThat(hierarchy.node(SERVICE).state().rejectsAll()).as("the breaker stays isolated").isTrue();
        StepSnapshot validate = step(incident, "validate-echo-service");
        assertThat(validate.status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(validate.attempts()).as("validation retried while the fault was on").isGreaterThan(1);
        assertThat(validate.endedAt()).isAfter(fault.end());

        // phases with measured durations against their time boxes
        assertThat(incident.phases()).extracting(IncidentReport.PhaseResult::phase)
                .containsExactly(RecoveryPhase.IMMEDIATE_RESPONSE, RecoveryPhase.SHORT_TERM);
        for (IncidentReport.PhaseResult p : incident.phases()) {
            assertThat(p.measured()).isPositive().isLessThan(p.allowed());
            assertThat(p.overran()).isFalse();
        }
        assertThat(incident.phases().get(0).timeBox()).isEqualTo(Duration.ofMinutes(15));
        assertThat(incident.phases().get(1).timeBox()).isEqualTo(Duration.ofHours(4));
        Duration shortTerm = incident.phases().get(1).measured();
        assertThat(incident.phases().get(1).enteredAt().plus(shortTerm)).isAfter(fault.end());
        assertThat(result.passed()).as("findings: %s", result.findings()).isTrue();

        // JSON and Markdown
        ReportWriter writer = new ReportWriter();
        JsonNode json = new ObjectMapper().readTree(writer.json(result.report()));
        assertThat(json.get("incident").get("level").asInt()).isEqualTo(2);
        assertThat(json.get("incident").get("status").asText()).isEqualTo("CLOSED");
        assertThat(json.get("incident").get("phases").get(1).get("phase").asText()).isEqualTo("SHORT_TERM");
        assertThat(json.get("incident").get("phases").get(1).get("timeBoxMs").asLong()).isEqualTo(4 * 3_600_000L);
        assertThat(json.get("incident").get("phases").get(1).get("measuredMs").asDouble())
                .isEqualTo(shortTerm.toNanos() / 1e6);
        assertThat(writer.markdown(result.report())).contains("## Disaster-recovery incident",
                "| 2 | SHORT_TERM | " + fmt(shortTerm) + " | 4.0 h |", "| isolate-echo-service | 2 | IMMEDIATE_RESPONSE | SUCCEEDED |");

        // as a person sees it
        Chromium.require();
        Path page = writer.writeAll(result.report(), dir);
        String dom = Chromium.dumpDom(page, dir);
        assertThat(dom).containsPattern("id=\"incident-status\"[^>]*>CLOSED<");
        assertThat(dom).containsPattern("id=\"incident-level\"[^>]*>2 SERVICE_DISRUPTION<");
        assertThat(dom).contains("id=\"phase-bars\"", "data-phase=\"IMMEDIATE_RESPONSE\"", "data-phase=\"SHORT_TERM\"");
        assertThat(dom).contains("<td>SHORT_TERM</td><td class=\"measured\">" + fmt(shortTerm)
                + "</td><td class=\"time-box\">4.0 h</td>");
        assertThat(dom).contains("<td class=\"time-box\">15.0 min</td>");
        assertThat(dom).contains("isolate-echo-service", "validate-echo-service");
    }

    @Test
    void withoutALevel_theDrillSendsNoSignal_butReportsTheIncidentTheUsersWiringRaised() throws Exception {
        plan = DisasterRecoveryPlan.builder().name("wired-plan").config(DisasterRecoveryPlanConfig.builder()
                .procedure(RecoveryProcedures.builder("validate-echo-service")
                        .level(DisasterLevel.SERVICE_DISRUPTION).phase(RecoveryPhase.IMMEDIATE_RESPONSE)
                        .timeout(Duration.ofSeconds(2)).action(ctx -> { }).validation(ctx -> roundTrip() == 1)
                        .retry(RetryPolicy.builder().maxAttempts(200).initialBackoff(Duration.ofMillis(50))
                                .maxBackoff(Duration.ofMillis(100)).build())
                        .build())
                .build()).build();
        // the user's own wiring: a health checker reporting the one endpoint of service "echo"
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
        try {
            checker.scheduleWithFixedDelay(() -> plan.signal(roundTrip() == 1
                    ? IncidentSignal.endpointUp("echo-1", "echo", null)
                    : IncidentSignal.endpointDown("echo-1", "echo", null)), 0, 50, TimeUnit.MILLISECONDS);
            DrillResult result = DisasterRecoveryDrill.serviceDisruption(chaos, List.of(proxy), false,
                            SteadyStateHypothesis.of("up",
                                    Probe.custom("echo round trip", this::roundTrip, Tolerance.atLeast(1), "ok")))
                    .duration(Duration.ofMillis(1000)).probeInterval(Duration.ofMillis(100))
                    .plan(plan, null).planSettleTimeout(Duration.ofSeconds(20)).run();

            IncidentReport incident = result.report().incident().orElseThrow();
            assertThat(incident.level()).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
            assertThat(incident.status()).isEqualTo(IncidentStatus.CLOSED);
            assertThat(incident.reasons()).anyMatch(r -> r.contains("echo-1"))
                    .noneMatch(r -> r.contains("chaos probe"));
            assertThat(incident.closedAt()).isAfter(result.report().faults().get(0).end());
            assertThat(result.passed()).as("findings: %s", result.findings()).isTrue();
        } finally {
            checker.shutdownNow();
        }
    }

    @Test
    void badPlanSettings_failEarly_namingFieldAndValue() {
        DisasterRecoveryDrill drill = DisasterRecoveryDrill.serviceDisruption(chaos, List.of(proxy), false,
                SteadyStateHypothesis.of("up", Probe.custom("round trip", this::roundTrip, Tolerance.atLeast(1), "ok")));
        assertThatThrownBy(() -> drill.plan(null, DisasterLevel.SERVICE_DISRUPTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("plan must not be null, was null");
        assertThatThrownBy(() -> drill.planSettleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("planSettleTimeout must not be negative, was PT-1S");
    }

    @Test
    void judge_findsAnIncidentStillOpen_andAPhaseThatOverranItsTimeBox() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        IncidentReport open = new IncidentReport("p", t0.plusSeconds(1200), "p-1", IncidentStatus.ACTIVE,
                DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.SHORT_TERM, OperatingMode.REDUCED, t0, null, List.of("x"),
                List.of(new IncidentReport.PhaseResult(DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.IMMEDIATE_RESPONSE,
                        t0, t0.plusSeconds(960), Duration.ofSeconds(960), Duration.ofMinutes(15), t0.plusSeconds(900),
                        Duration.ofMinutes(15), true)),
                List.of());
        ExperimentReport passed = new ExperimentReport(
                "d", ExperimentStatus.PASSED, false, t0, t0.plusSeconds(5), "h", true, true, 1, 0, Duration.ofMillis(100),
                List.of(), List.of(), List.of(), Optional.of(Duration.ofSeconds(1)), Optional.empty(),
                RecoveryObjective.CRITICAL, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of());
        assertThat(DrillResult.judge(DrillKind.SERVICE_DISRUPTION, passed, false).passed()).isTrue();

        DrillResult judged = DrillResult.judge(DrillKind.SERVICE_DISRUPTION, passed.withIncident(open), false);
        assertThat(judged.passed()).isFalse();
        assertThat(judged.findings()).containsExactly(
                "incident p-1 still ACTIVE at level 2, phase SHORT_TERM",
                "phase IMMEDIATE_RESPONSE of level 2 overran its time box PT15M");
    }

    private static StepSnapshot step(IncidentReport incident, String name) {
        return incident.steps().stream().filter(s -> s.procedure().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + incident.steps()));
    }

    /** The report's duration format. */
    private static String fmt(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0);
    }

}
