package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.health.source.MicrometerSources;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One SIGKILL of a real MCP server (a child JVM) that returns within a second, under load: the health
 * module, reading the client's own meters (the documented default wiring), shows the endpoint's score dip
 * and be back above 75 within one score window after the recovery, and no log line prints NaN. The test
 * prints the curve.
 *
 * <p>Time: everything is real (servers, kill, restart, load) except that the health system and the client
 * read a {@link ScaledClock} running {@value #SPEED} times faster, so the default one-minute score window
 * passes in seconds. The scaling is the harsh way round: a one-second outage looks {@value #SPEED}
 * seconds long to the scores.
 */
class McpKillRecoveryTest {

    private static final long SPEED = 10;
    private static final String ENDPOINT = "srv";

    private final ScaledClock clock = new ScaledClock(SPEED);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger qudagLogger = (Logger) LoggerFactory.getLogger("io.qudag");
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private Level previousLevel;
    private ChildProcess first;
    private ChildProcess standby;
    private ResilientMcpClient client;
    private HealthMonitoringSystem health;
    private ScheduledExecutorService scheduler;
    private ExecutorService load;

    @BeforeEach
    void captureLogs() {
        previousLevel = qudagLogger.getLevel();
        qudagLogger.setLevel(Level.DEBUG);
        logs.start();
        qudagLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        loading.set(false);
        if (load != null) {
            load.shutdownNow();
            load.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (health != null) {
            health.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        if (first != null) {
            first.close();
        }
        if (standby != null) {
            standby.close();
        }
        qudagLogger.detachAppender(logs);
        qudagLogger.setLevel(previousLevel);
    }

    @Test
    void oneKillOfAServerThatReturnsWithinASecond_dipsTheScore_andItIsBackAbove75WithinOneWindow()
            throws Exception {
        int port = ChildProcess.freePort();
        // the successor starts with the server and waits, warm, for the kill (a supervisor's hot standby)
        standby = ChildProcess.java(StandbyServerMain.class, String.valueOf(port), "standby");
        first = ChildProcess.java(StandbyServerMain.class, String.valueOf(port));
        first.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(60));

        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http(ENDPOINT, "http://127.0.0.1:" + port + "/mcp").trusted(true).build())
                .clock(clock).meterRegistry(registry)
                .callTimeout(Duration.ofSeconds(5))
                .build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);
        // warm the client and the first server before anything is scored (a cold JVM is no steady state)
        List<CompletableFuture<?>> warm = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            warm.add(client.async().callTool(McpSchema.CallToolRequest.builder("sleep")
                    .arguments(Map.of("ms", 1)).build()));
        }
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        standby.awaitLine("READY"::equals, Duration.ofSeconds(60));

        health = HealthMonitoringSystem.builder().clock(clock)
                .source(ENDPOINT, MicrometerSources.successRate(registry, ENDPOINT))
                .source(ENDPOINT, MicrometerSources.responseTimeP95(registry, ENDPOINT))
                .source(ENDPOINT, MicrometerSources.activeConnections(registry, ENDPOINT))
                .build();
        Duration window = Duration.ofSeconds(60); // the builder's default score window
        scheduler = Executors.newSingleThreadScheduledExecutor();
        health.start(scheduler, Duration.ofMillis(20));

        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean killed = new AtomicBoolean();
        // the server is back when a call is answered after the kill (by the successor)
        AtomicReference<java.time.Instant> firstAnswerAfterKill = new AtomicReference<>();
        load = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
            load.execute(() -> {
                while (loading.get()) {
                    try {
                        client.callTool("sleep", Map.of("ms", 10));
                        ok.incrementAndGet();
                        if (killed.get()) {
                            firstAnswerAfterKill.compareAndSet(null, clock.instant());
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        // a steady state before the kill: 15 s by the scores' clock
        java.time.Instant loadStart = clock.instant();
        await().atMost(Duration.ofSeconds(30)).until(() -> clock.instant().isAfter(loadStart.plusSeconds(15))
                && health.health(ENDPOINT).score().isPresent());
        double beforeKill = health.health(ENDPOINT).score().getAsDouble();
        long failedBefore = failed.get();

        java.time.Instant killedAt = clock.instant();
        long t0 = System.nanoTime();
        first.kill();
        killed.set(true);
        // the successor takes over 800 ms later ("returns within a second"): an outage callers can see. At
        // once, on a quiet machine, the client's reconnect and retry hid the kill entirely (0 failed calls).
        OutputStream go = standby.process().getOutputStream();
        scheduler.schedule(() -> {
            try {
                go.write("go\n".getBytes(StandardCharsets.UTF_8));
                go.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, 800, TimeUnit.MILLISECONDS);
        standby.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(30));
        long restartMillis = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(Duration.ofSeconds(30)).until(() -> firstAnswerAfterKill.get() != null);
        java.time.Instant recoveredAt = firstAnswerAfterKill.get();
        // one window after the recovery, and a few seconds more to see the curve settle
        java.time.Instant end = recoveredAt.plus(window).plusSeconds(10);
        await().atMost(Duration.ofSeconds(60)).until(() -> clock.instant().isAfter(end));
        loading.set(false);

        double[][] curve = health.scoreHistory(ENDPOINT, Duration.ofMinutes(5)); // one point per second
        double min = 100;
        long minAt = 0;
        long backAt = Long.MIN_VALUE;
        for (double[] p : curve) {
            long rel = (long) p[0] - killedAt.toEpochMilli();
            System.out.printf("CURVE t=%+7.1f s score %5.1f%n", rel / 1000.0, p[1]);
            if (rel >= 0 && p[1] < min) {
                min = p[1];
                minAt = rel;
                backAt = Long.MIN_VALUE;
            }
            if (rel > minAt && p[1] > 75 && backAt == Long.MIN_VALUE) {
                backAt = rel;
            } else if (rel > minAt && p[1] <= 75) {
                backAt = Long.MIN_VALUE;
            }
        }
        long recoveredRel = recoveredAt.toEpochMilli() - killedAt.toEpochMilli();
        System.out.printf("MEASURED kill -> restarted server listening: %d ms real; answering again %.1f s (scores'"
                        + " clock, x%d) after the kill; score before %.1f, lowest %.1f at %+.1f s, back above 75"
                        + " for good at %s; calls ok %d, failed %d (before the kill %d)%n", restartMillis,
                recoveredRel / 1000.0, SPEED, beforeKill, min, minAt / 1000.0,
                backAt == Long.MIN_VALUE ? "never" : String.format("%+.1f s", backAt / 1000.0), ok.get(), failed.get(),
                failedBefore);

        // "within a second" when the machine is not loaded; 0.6 to 1.9 s measured at a load of 30 to 50 on 2 cores
        assertThat(restartMillis).as("the server returns within seconds").isLessThan(5_000);
        assertThat(beforeKill).as("healthy before the kill").isGreaterThan(75);
        assertThat(min).as("the kill shows: the score dips").isLessThan(beforeKill - 5);
        assertThat(backAt).as("back above 75 (and staying there) after the dip").isNotEqualTo(Long.MIN_VALUE);
        assertThat(backAt).as("within one window (%s) after the recovery", window)
                .isLessThanOrEqualTo(recoveredRel + window.toMillis());
        assertThat(health.health(ENDPOINT).score().getAsDouble()).isGreaterThan(75);
        List<String> nan = new ArrayList<>();
        List<ILoggingEvent> lines;
        synchronized (logs) { // the appender appends under its own lock, from the client's threads
            lines = new ArrayList<>(logs.list);
        }
        for (ILoggingEvent e : lines) {
            if (e.getFormattedMessage().contains("NaN")) {
                nan.add(e.getFormattedMessage());
            }
        }
        assertThat(nan).as("no log line prints NaN").isEmpty();
    }
}
