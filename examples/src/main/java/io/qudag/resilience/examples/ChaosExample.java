package io.qudag.resilience.examples;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.EnvironmentLookup;
import io.qudag.resilience.chaos.experiment.ChaosExperiment;
import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.report.ReportWriter;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.startup.Tomcat;

/**
 * The chaos module (spec §5.1, §5.2) in one small experiment: two MCP SDK servers on 127.0.0.1, each
 * behind a fault proxy on loopback ({@link TcpFaultProxy}), a {@link ResilientMcpClient} over both, and
 * three callers of a read-only tool. The hypothesis: in every second, at most 10% of the calls fail and
 * the p95 stays under 2 s. The method: partition the primary's proxy for 2 s (half of the endpoints, the
 * blast radius). The client moves the calls to the replica; the report measures the recovery time and
 * is written as JSON, Markdown and one HTML page, whose path is printed. Exits 0 when the experiment
 * passed and the replica took the calls.
 *
 * <p>Chaos is off unless the process environment says so, as everywhere in the chaos module. Run:
 * {@code QUDAG_CHAOS_ENABLED=true java -cp examples/target/qudag-resilience-examples.jar
 * io.qudag.resilience.examples.ChaosExample [report directory]}.
 */
public final class ChaosExample {

    /** What the example saw; {@link #held()} when every point it shows held. */
    record Result(ExperimentStatus status, long faultsInjected, boolean rtoMet, long replicaCallsDuringExperiment,
                  Path html) {
        boolean held() {
            return status == ExperimentStatus.PASSED && faultsInjected == 1 && rtoMet && replicaCallsDuringExperiment > 0
                    && html != null && Files.isRegularFile(html);
        }
    }

    private record Call(long endNanos, boolean ok, long latencyNanos) {
    }

    private ChaosExample() {
    }

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("qudag-chaos-example");
        Result r = run(EnvironmentLookup.system(), out);
        System.out.println(r.held() ? "ALL BEHAVIOURS HELD" : "SOME BEHAVIOURS DID NOT HOLD: " + r);
        System.exit(r.held() ? 0 : 1);
    }

    /** Runs the experiment; {@code environment} says whether {@code QUDAG_CHAOS_ENABLED} is set. */
    static Result run(EnvironmentLookup environment, Path reportDir) throws Exception {
        ChaosSwitch chaos = ChaosSwitch.create("chaos-example", environment);
        if (!chaos.enable()) {
            System.out.println("chaos is off: set " + ChaosSwitch.GUARD_VARIABLE + "=true in the environment to run"
                    + " the experiment (nothing was injected)");
            return new Result(ExperimentStatus.ABORTED, 0, false, 0, null);
        }
        Path dir = Files.createTempDirectory("qudag-chaos-example-servers");
        Set<Integer> primaryProxyPort = ConcurrentHashMap.newKeySet();
        Set<Integer> replicaProxyPort = ConcurrentHashMap.newKeySet();
        Tomcat primaryServer = FailoverDemoServer.start("primary", 0, dir.resolve("primary.log"), primaryProxyPort);
        Tomcat replicaServer = FailoverDemoServer.start("replica", 0, dir.resolve("replica.log"), replicaProxyPort);
        TcpFaultProxy primary = TcpFaultProxy.start("primary", "127.0.0.1", primaryServer.getConnector().getLocalPort());
        TcpFaultProxy replica = TcpFaultProxy.start("replica", "127.0.0.1", replicaServer.getConnector().getLocalPort());
        primaryProxyPort.add(primary.port());
        replicaProxyPort.add(replica.port());
        System.out.printf("servers behind fault proxies: primary %s, replica %s%n", primary.httpUrl("/mcp"),
                replica.httpUrl("/mcp"));

        ConcurrentLinkedDeque<Call> calls = new ConcurrentLinkedDeque<>();
        Map<Thread, Long> inFlight = new ConcurrentHashMap<>();
        Map<String, LongAdder> servedBy = new ConcurrentHashMap<>(Map.of("primary", new LongAdder(),
                "replica", new LongAdder()));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        try (ResilientMcpClient client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("primary", primary.httpUrl("/mcp")).trusted(true).build())
                .endpoint(McpEndpoint.http("replica", replica.httpUrl("/mcp")).trusted(true).build())
                .pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(700))
                .callTimeout(Duration.ofSeconds(3))
                .build())) {
            client.async().whenReady().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> callLoop(client, calls, inFlight, servedBy, stop), "chaos-example-caller-" + i);
                t.setDaemon(true);
                t.start();
                callers.add(t);
            }
            // the hypothesis must hold before anything is injected: let the callers fill the first window
            waitFor(() -> calls.size() >= 30, Duration.ofSeconds(30));

            long replicaBefore = servedBy.get("replica").sum();
            ExperimentReport report = ChaosExperiment.builder("partition of the primary", chaos)
                    .hypothesis(SteadyStateHypothesis.of("callers get answers within 2 s",
                            Probe.errorRate("error rate (last 1 s)", () -> errorRate(calls, inFlight), 0.10),
                            Probe.p95Latency("p95 latency (last 1 s)", () -> p95(calls, inFlight), Duration.ofSeconds(2))))
                    .fault(primary.partitionFault(chaos), Duration.ofSeconds(2), 0.5)
                    .blastRadius(0.5)
                    .blastRadiusGauge(() -> (primary.partitioned() ? 0.5 : 0) + (replica.partitioned() ? 0.5 : 0))
                    .probeInterval(Duration.ofMillis(250))
                    .abortAfterViolations(20)
                    .recoveryTimeout(Duration.ofSeconds(20))
                    .rollback("heal both proxies", () -> {
                        primary.heal();
                        replica.heal();
                    })
                    .build()
                    .run();
            long replicaCalls = servedBy.get("replica").sum() - replicaBefore;
            Path html = new ReportWriter().writeAll(report, reportDir);
            System.out.printf(Locale.ROOT, "experiment %s: %d fault injected, hypothesis before %s / after %s, RTO %s"
                            + " (objective met: %s), %d calls answered by the replica meanwhile%n", report.status(),
                    report.faultsInjected(), report.hypothesisHeldBefore(), report.hypothesisHeldAfter(),
                    report.rto().map(d -> d.toMillis() + " ms").orElse("n/a"), report.rtoMet(), replicaCalls);
            if (report.rto().filter(Duration::isZero).isPresent()) {
                System.out.println("RTO 0: no probe round saw the hypothesis violated; the client moved the calls to the"
                        + " replica before the callers' error rate or p95 crossed their tolerance");
            }
            report.abortReason().ifPresent(reason -> System.out.println("abort reason: " + reason));
            System.out.println("report: " + html.toAbsolutePath());
            return new Result(report.status(), report.faultsInjected(), report.rtoMet(), replicaCalls, html);
        } finally {
            stop.set(true);
            for (Thread t : callers) {
                t.join(10_000);
            }
            primary.close();
            replica.close();
            for (Tomcat t : List.of(primaryServer, replicaServer)) {
                t.stop();
                t.destroy();
            }
        }
    }

    private static void callLoop(ResilientMcpClient client, ConcurrentLinkedDeque<Call> calls,
                                 Map<Thread, Long> inFlight, Map<String, LongAdder> servedBy, AtomicBoolean stop) {
        while (!stop.get()) {
            long t0 = System.nanoTime();
            inFlight.put(Thread.currentThread(), t0);
            boolean ok;
            try {
                McpSchema.CallToolResult r = client.callTool("search", Map.of("q", "chaos"));
                String text = ((McpSchema.TextContent) r.content().get(0)).text();
                ok = !Boolean.TRUE.equals(r.isError());
                servedBy.get(text.substring(text.lastIndexOf(' ') + 1)).increment();
            } catch (RuntimeException e) {
                ok = false;
            }
            long now = System.nanoTime();
            inFlight.remove(Thread.currentThread());
            calls.add(new Call(now, ok, now - t0));
            while (calls.size() > 10_000) {
                calls.pollFirst();
            }
        }
    }

    /** The calls that ended in the last second, and each call in flight for longer than that (not ok, as old as it is). */
    private static List<Call> lastSecond(ConcurrentLinkedDeque<Call> calls, Map<Thread, Long> inFlight) {
        long now = System.nanoTime();
        long from = now - TimeUnit.SECONDS.toNanos(1);
        List<Call> out = new ArrayList<>(calls.stream().filter(c -> c.endNanos() >= from).toList());
        inFlight.values().stream().filter(start -> start < from).forEach(start -> out.add(new Call(now, false, now - start)));
        return out;
    }

    private static double errorRate(ConcurrentLinkedDeque<Call> calls, Map<Thread, Long> inFlight) {
        List<Call> recent = lastSecond(calls, inFlight);
        return recent.isEmpty() ? 0 : recent.stream().filter(c -> !c.ok()).count() / (double) recent.size();
    }

    private static Duration p95(ConcurrentLinkedDeque<Call> calls, Map<Thread, Long> inFlight) {
        long[] latencies = lastSecond(calls, inFlight).stream().mapToLong(Call::latencyNanos).sorted().toArray();
        return latencies.length == 0 ? Duration.ZERO
                : Duration.ofNanos(latencies[(int) Math.ceil(latencies.length * 0.95) - 1]);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }
}
