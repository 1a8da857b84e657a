package io.qudag.resilience.examples;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointGroupConfig;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.EndpointStatus;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.FailoverEngineConfig;
import io.qudag.resilience.failover.RecoveryConfig;
import io.qudag.resilience.failover.event.DecisionEvent;
import io.qudag.resilience.failover.event.EndpointStateChangedEvent;
import io.qudag.resilience.failover.event.FailoverConfirmedEvent;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.failover.McpFailover;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Failover across real MCP servers (spec §1.1 tiers, §1.2 decision engine and recovery): three
 * MCP Java SDK servers in child JVMs on 127.0.0.1 — a primary and a replica in the LOCAL tier, a standby
 * in DISASTER_RECOVERY — and a {@link ResilientMcpClient} routing through an {@link EndpointGroup} and
 * its {@link FailoverDecisionEngine}, with 16 callers of a read-only tool (each pausing 20 ms between
 * calls, so the machine keeps room for the servers). The demo SIGKILLs the primary, then the
 * replica, then restarts the primary and watches it ramp back. It prints every
 * decision with its timings and the health of each endpoint, and exits 0 when every behaviour it shows
 * held (1 otherwise).
 *
 * <p>Everything runs in real time, so recovery is configured short for a demo: health checks every
 * 1 s (spec: 10 s; a check must answer within the interval, so a shorter one fails on a loaded
 * machine) and a 3 s monitoring period (spec: 300 s); 3 successful checks and 10% steps as the
 * spec says. At the end it prints where the time went, phase by phase. Run: {@code java -cp
 * examples/target/qudag-resilience-examples.jar io.qudag.resilience.examples.FailoverDemo}.
 */
public final class FailoverDemo {

    private static final int CALLERS = 16;
    /** Calls each phase waits for on the endpoint that should be serving (enough to show where traffic goes). */
    private static final int CALLS = 200;
    /**
     * Each caller's pause between calls: 16 callers offer at most ~800 calls/s instead of saturating the
     * CPU, which on 2 cores also slows the server JVMs, the health checks and the restart the demo waits for.
     */
    private static final long CALLER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final List<String> IDS = List.of("primary", "replica", "dr");

    private final Path dir;
    private final Map<String, Process> servers = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
    private final List<Throwable> callerFailures = new CopyOnWriteArrayList<>();
    private final List<FailoverDecision> decisions = new CopyOnWriteArrayList<>();
    private final List<FailoverConfirmedEvent> confirmations = new CopyOnWriteArrayList<>();
    private final List<EndpointStateChangedEvent> primaryStates = new CopyOnWriteArrayList<>();
    private final List<String> checks = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong slowestCallNanos = new AtomicLong();
    private boolean allHeld = true;
    /** Where the run's time went: each phase with what it waited for. */
    private final List<String> phases = new ArrayList<>();
    private long phaseStart = System.nanoTime();
    private String phaseName;

    private FailoverDemo(Path dir) {
        this.dir = dir;
        IDS.forEach(id -> served.put(id, new LongAdder()));
    }

    public static void main(String[] args) throws Exception {
        System.exit(runDemo() ? 0 : 1);
    }

    /** Runs the demo and ends every server process it started; true when every behaviour shown held. */
    public static boolean runDemo() throws Exception {
        FailoverDemo demo = new FailoverDemo(Files.createTempDirectory("qudag-failover-demo"));
        try {
            return demo.run();
        } finally {
            demo.servers.values().forEach(Process::destroyForcibly);
        }
    }

    private boolean run() throws Exception {
        System.out.println("== Failover demo: 3 MCP SDK servers in child JVMs, " + CALLERS + " callers of a read-only tool");
        phase("start 3 server JVMs (in parallel)");
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (String id : IDS) {
            starting.add(CompletableFuture.runAsync(() -> startServer(id, 0)));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        IDS.forEach(id -> System.out.printf("   %-8s pid %d  http://127.0.0.1:%d/mcp%n", id, servers.get(id).pid(),
                ports.get(id)));

        List<McpEndpoint> mcp = new ArrayList<>();
        for (String id : IDS) {
            mcp.add(McpEndpoint.http(id, "http://127.0.0.1:" + ports.get(id) + "/mcp").trusted(true).build());
        }
        EndpointGroup group = EndpointGroup.builder("demo")
                .tier(FailoverTier.LOCAL, McpFailover.endpoint(mcp.get(0), FailoverTier.LOCAL, 1),
                        McpFailover.endpoint(mcp.get(1), FailoverTier.LOCAL, 1))
                .tier(FailoverTier.DISASTER_RECOVERY,
                        McpFailover.endpoint(mcp.get(2), FailoverTier.DISASTER_RECOVERY, 1))
                // each LOCAL server can carry the whole tier: DR takes load only when LOCAL is gone
                .config(EndpointGroupConfig.builder().overprovisioningFactor(2.0)
                        .recovery(RecoveryConfig.builder().healthCheckInterval(Duration.ofSeconds(1))
                                .successesToReturn(3).rampIncrement(0.10).monitoringPeriod(Duration.ofSeconds(3))
                                .build())
                        .build())
                .healthProbe(McpFailover.pingProbe(Duration.ofSeconds(2)))
                .build();
        Path audit = dir.resolve("failover-audit.jsonl");
        try (group; FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group)
                .config(FailoverEngineConfig.builder().evaluationInterval(Duration.ofMillis(100)).build())
                .auditFile(audit)
                .listener(event -> {
                    if (event instanceof DecisionEvent d) {
                        decisions.add(d.decision());
                        System.out.println("   decision: " + d.decision());
                    } else if (event instanceof FailoverConfirmedEvent c) {
                        confirmations.add(c);
                    } else if (event instanceof EndpointStateChangedEvent s && s.endpointId().equals("primary")) {
                        primaryStates.add(s);
                    }
                })
                .build();
             ResilientMcpClient client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                     .endpoints(mcp)
                     .endpointSelector(McpFailover.selector(engine, mcp))
                     .pingInterval(Duration.ofMillis(100))
                     .callTimeout(Duration.ofSeconds(10))
                     .build())) {
            engine.start();
            phase("client connects to the 3 servers");
            client.async().whenReady().get(60, TimeUnit.SECONDS);
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
            List<CompletableFuture<Void>> callers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                callers.add(CompletableFuture.runAsync(() -> callerLoop(client), pool));
            }
            try {
                scenario(client, group, audit);
            } finally {
                phase("stop the callers, close client and group");
                stop.set(true);
                CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                pool.shutdown();
            }
            check(callerFailures.isEmpty(), "no caller saw a failure (" + total() + " read-only calls, slowest "
                    + String.format(Locale.ROOT, "%.0f ms)", slowestCallNanos.get() / 1e6)
                    + (callerFailures.isEmpty() ? "" : ": " + callerFailures.get(0)));
            printHealth(group, client);
        }
        phase(null);
        System.out.println("   audit log: " + audit);
        System.out.println("   where the time went:");
        phases.forEach(p -> System.out.println("     " + p));
        System.out.println();
        checks.forEach(c -> System.out.println(c));
        System.out.println(allHeld ? "ALL BEHAVIOURS HELD" : "SOME BEHAVIOURS DID NOT HOLD");
        return allHeld;
    }

    private void scenario(ResilientMcpClient client, EndpointGroup group, Path audit) throws Exception {
        System.out.println("-- steady state");
        phase("steady state: " + CALLS + " calls on each LOCAL server");
        waitFor(() -> served("primary") >= CALLS && served("replica") >= CALLS, Duration.ofSeconds(60));
        printServed();
        check(served("dr") == 0, "the DR standby takes no traffic while LOCAL is healthy");
        printHealth(group, client);

        System.out.println("-- a destructive call in flight on the primary, then SIGKILL of the primary");
        phase("destructive calls until one runs on the primary");
        Map<String, CompletableFuture<McpSchema.CallToolResult>> deletes = new ConcurrentHashMap<>();
        String onPrimary = null;
        for (int k = 0; k < 10 && onPrimary == null; k++) {
            String id = "delete-" + k;
            deletes.put(id, client.async().callTool(McpSchema.CallToolRequest.builder("delete_record")
                    .arguments(Map.of("id", id, "holdMs", 30_000)).build(), Duration.ofSeconds(40)));
            waitFor(() -> executions(id) == 1, Duration.ofSeconds(10));
            if (journal("primary").contains("delete " + id)) {
                onPrimary = id;
            }
        }
        phase("SIGKILL primary: detection, decision, first success on the replica");
        Instant killedAt = Instant.now();
        servers.get("primary").destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        FailoverDecision primaryDown = awaitDecision("primary", killedAt, Duration.ofSeconds(10));
        FailoverConfirmedEvent firstSuccess = awaitConfirmation(primaryDown, Duration.ofSeconds(10));
        if (primaryDown != null && firstSuccess != null) {
            System.out.printf(Locale.ROOT, "   kill -> detection %.1f ms, detection -> decision %.3f ms, decision -> "
                            + "first success on %s %.1f ms%n", ms(killedAt, primaryDown.detectedAt()),
                    primaryDown.decisionLatency().toNanos() / 1e6, firstSuccess.endpointId(),
                    firstSuccess.sinceDecision().toNanos() / 1e6);
            check(primaryDown.decisionLatency().compareTo(Duration.ofMillis(100)) < 0,
                    "detection -> decision under 100 ms");
            check("replica".equals(firstSuccess.endpointId())
                            && firstSuccess.sinceDecision().compareTo(Duration.ofMillis(500)) < 0,
                    "decision -> first success on the replica under 500 ms");
        }
        String deleteId = onPrimary;
        check(deleteId != null, "a destructive call was in flight on the primary at the kill");
        if (deleteId != null) {
            Throwable error = deletes.get(deleteId).handle((r, e) -> e).get(10, TimeUnit.SECONDS);
            System.out.println("   destructive call " + deleteId + " -> " + error);
            check(error instanceof McpConnectionLostException, "the destructive call surfaced a typed error");
        }
        phase(CALLS + " more calls on the replica");
        long replicaBefore = served("replica");
        waitFor(() -> served("replica") >= replicaBefore + CALLS, Duration.ofSeconds(30));
        printServed();

        System.out.println("-- SIGKILL of the replica too");
        phase("SIGKILL replica: decision, " + CALLS + " calls on DR");
        Instant replicaKilledAt = Instant.now();
        servers.get("replica").destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        FailoverDecision replicaDown = awaitDecision("replica", replicaKilledAt, Duration.ofSeconds(10));
        if (replicaDown != null) {
            System.out.printf(Locale.ROOT, "   kill -> decision %.1f ms%n", ms(replicaKilledAt, replicaDown.decidedAt()));
        }
        long drBefore = served("dr");
        check(waitFor(() -> served("dr") >= drBefore + CALLS, Duration.ofSeconds(30)),
                "traffic reaches the DISASTER_RECOVERY tier");
        printServed();
        for (String id : deletes.keySet()) {
            deletes.get(id).handle((r, e) -> e).get(10, TimeUnit.SECONDS);
            check(executions(id) == 1, "destructive call " + id + " ran exactly once (journals of all servers)");
        }
        printHealth(group, client);

        System.out.println("-- restart of the primary on port " + ports.get("primary"));
        int statesBefore = primaryStates.size();
        phase("restart the primary's JVM");
        startServer("primary", ports.get("primary"));
        phase("3 successful health checks, then the 10-step ramp to HEALTHY");
        boolean healthy = waitFor(() -> group.status("primary").state() == EndpointState.HEALTHY,
                Duration.ofSeconds(30));
        List<EndpointStateChangedEvent> back = primaryStates.subList(statesBefore, primaryStates.size());
        Instant t0 = back.isEmpty() ? Instant.now() : back.get(0).at();
        List<Double> steps = new ArrayList<>();
        for (EndpointStateChangedEvent s : back) {
            System.out.printf(Locale.ROOT, "   +%5.0f ms  %-11s factor %.1f  %s%n", ms(t0, s.at()), s.to(),
                    s.trafficFactor(), s.reason());
            if (s.to() == EndpointState.RAMPING) {
                steps.add(s.trafficFactor());
            }
        }
        check(healthy && steps.equals(List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)),
                "after 3 successful checks the primary's share rose in 10% steps back to HEALTHY " + steps);
        phase(CALLS + " calls on the restarted primary");
        long primaryBefore = served("primary");
        check(waitFor(() -> served("primary") >= primaryBefore + CALLS, Duration.ofSeconds(30)),
                "the restarted primary serves calls again");
        printServed();
    }

    // ------------------------------------------------------------------ callers and servers

    private void callerLoop(ResilientMcpClient client) {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (int i = 0; i < 1_000_000 && !stop.get() && System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            try {
                McpSchema.CallToolResult r = client.callTool("search", Map.of("q", "mcp"));
                String text = ((McpSchema.TextContent) r.content().get(0)).text();
                served.get(text.substring(text.lastIndexOf(' ') + 1)).increment();
            } catch (RuntimeException e) {
                callerFailures.add(e);
            }
            slowestCallNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
            LockSupport.parkNanos(CALLER_PAUSE_NANOS);
        }
    }

    private void startServer(String id, int port) {
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                    // Tomcat seeds its session-id SecureRandom at start-up; the non-blocking source keeps that short
                    "-Djava.security.egd=file:/dev/./urandom",
                    "-cp", System.getProperty("java.class.path"), FailoverDemoServer.class.getName(), id,
                    String.valueOf(port), dir.resolve("journal-" + id + ".log").toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            servers.put(id, p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
                // skip anything else the server prints
            }
            if (line == null) {
                throw new IllegalStateException("server " + id + " exited before listening");
            }
            ports.put(id, Integer.parseInt(line.substring(5).trim()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start server " + id, e);
        }
    }

    private List<String> journal(String id) {
        try {
            Path p = dir.resolve("journal-" + id + ".log");
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long executions(String callId) {
        return IDS.stream().flatMap(id -> journal(id).stream()).filter(("delete " + callId)::equals).count();
    }

    // ------------------------------------------------------------------ reporting

    /** The first decision about {@code source} taken at or after {@code since} (earlier ones, e.g. a slowdown, do not count). */
    private FailoverDecision awaitDecision(String source, Instant since, Duration timeout) {
        java.util.function.Predicate<FailoverDecision> about = x -> x.sourceEndpointId().equals(source)
                && !x.decidedAt().isBefore(since);
        waitFor(() -> decisions.stream().anyMatch(about), timeout);
        FailoverDecision d = decisions.stream().filter(about).findFirst().orElse(null);
        check(d != null, source + " failed over (" + (d == null ? "no decision" : d.condition() + " "
                + d.action() + " to " + d.targets().keySet()) + ")");
        return d;
    }

    private FailoverConfirmedEvent awaitConfirmation(FailoverDecision d, Duration timeout) {
        if (d == null) {
            return null;
        }
        waitFor(() -> confirmations.stream().anyMatch(c -> c.decisionId().equals(d.id())), timeout);
        return confirmations.stream().filter(c -> c.decisionId().equals(d.id())).findFirst().orElse(null);
    }

    private void printHealth(EndpointGroup group, ResilientMcpClient client) {
        System.out.println("   endpoint  tier               state        share  client: connection  ok/failed  ping ms  score");
        for (EndpointStatus s : group.statuses()) {
            EndpointHealth h = client.health(s.id());
            System.out.printf(Locale.ROOT, "   %-8s  %-17s  %-11s  %5.2f          %-10s  %d/%d  %7.1f  %s%n", s.id(),
                    s.endpoint().tier(), s.state(), s.share(), h.state(), h.successes(), h.failures(),
                    h.lastPingMillis(), h.score().hasData() ? String.format(Locale.ROOT, "%.0f %s",
                            h.score().value(), h.score().grade()) : "-");
        }
    }

    private void printServed() {
        System.out.printf("   calls served: primary %d, replica %d, dr %d%n", served("primary"), served("replica"),
                served("dr"));
    }

    private long served(String id) {
        return served.get(id).sum();
    }

    private long total() {
        return IDS.stream().mapToLong(this::served).sum();
    }

    /** Ends the running phase (recording how long it took) and starts {@code next} (none: null). */
    private void phase(String next) {
        long now = System.nanoTime();
        if (phaseName != null) {
            phases.add(String.format(Locale.ROOT, "%5.1f s  %s", (now - phaseStart) / 1e9, phaseName));
        }
        phaseName = next;
        phaseStart = now;
    }

    private void check(boolean held, String what) {
        checks.add((held ? "[held]   " : "[FAILED] ") + what);
        allHeld &= held;
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes. */
    private static boolean waitFor(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return true;
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
