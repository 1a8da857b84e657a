package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash test: a child JVM appends under SYNC or GROUP_COMMIT and is killed with SIGKILL at random
 * moments; after every reopen every acknowledged record is present, intact and the sequences are
 * contiguous. A further run pipelines {@link Journal#appendAsync(int, byte[])} under GROUP_COMMIT and
 * acknowledges a record when its future completes (fewer cycles: it adds to the suite's time).
 */
class JournalCrashTest {

    private static final int CYCLES = 50;
    private static final int ASYNC_CYCLES = 15;

    @TempDir
    Path dir;

    private final Map<String, Process> children = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children.values()) {
            if (child.isAlive()) {
                ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Both policies at once (one child JVM each at a time), so the test takes the time of one. */
    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> sync = pool.submit(() -> crashCycles(Durability.SYNC, false, CYCLES, dir.resolve("sync")));
            Future<String> group = pool.submit(() -> crashCycles(Durability.GROUP_COMMIT, false, CYCLES,
                    dir.resolve("group")));
            // a backstop against a hang, not a speed bound: one cycle is a JVM start, which takes
            // seconds on an overloaded 2-core machine (load 40+ made 50 cycles exceed 170 s)
            System.out.println(sync.get(300, TimeUnit.SECONDS));
            System.out.println(group.get(300, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Pipelined appends under GROUP_COMMIT: every future that completed names a record that survives. */
    @Test
    void everyCompletedAppendAsyncFutureSurvivesSigkill() throws Exception {
        System.out.println(crashCycles(Durability.GROUP_COMMIT, true, ASYNC_CYCLES, dir.resolve("group-async")));
    }

    private String crashCycles(Durability durability, boolean async, int cycles, Path dir) throws Exception {
        String mode = durability + (async ? " appendAsync" : "");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<Long, String> acknowledged = new HashMap<>();
        long recovered = 0;
        long totalAcks = 0;
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int cycle = 0; cycle < cycles; cycle++) {
            // pipelined appends are acknowledged in batches: kill among a few thousand of them
            int killAfter = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(async ? 1000 : 40);
            ProcessBuilder pb = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-XX:-UsePerfData",
                    "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-cp", System.getProperty("java.class.path"),
                    JournalCrashChild.class.getName(), dir.toString(), durability.name(), "4", async ? "async" : "sync")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Process child = pb.start();
            children.put(mode, child);
            int acks = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("A ")) {
                        int sp = line.indexOf(' ', 2);
                        acknowledged.put(Long.parseLong(line.substring(2, sp)), line.substring(sp + 1));
                        acks++;
                    }
                    if ((line.startsWith("OPEN") && killAfter == 0) || acks >= killAfter && killAfter > 0) {
                        child.toHandle().destroyForcibly(); // SIGKILL on Linux; leaves the pipe readable
                        // lines already printed are acknowledged records too: keep reading them
                        killAfter = Integer.MAX_VALUE;
                    }
                }
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child ended").isTrue();
            totalAcks += acks;
            try (Journal j = Journal.open(JournalConfig.builder(dir).durability(durability).build());
                 JournalReader r = j.read(1)) {
                long expected = 1;
                long count = 0;
                while (r.hasNext()) {
                    JournalRecord rec = r.next();
                    assertThat(rec.sequence()).as("contiguous (seed %d, cycle %d)", seed, cycle).isEqualTo(expected++);
                    String ack = acknowledged.get(rec.sequence());
                    if (ack != null) {
                        assertThat(rec.payloadAsString()).as("intact record %d", rec.sequence()).isEqualTo(ack);
                    }
                    count++;
                }
                long maxAck = acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
                assertThat(j.lastSequence()).as("every acknowledged record present (seed %d, cycle %d)", seed, cycle)
                        .isGreaterThanOrEqualTo(maxAck);
                assertThat(count).isEqualTo(j.lastSequence());
                recovered = count;
            }
        }
        assertThat(recovered).isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(acknowledged).isNotEmpty();
        return String.format("crash test %s: %d cycles, %d acknowledged, %d recovered (seed %d)", mode, cycles,
                totalAcks, recovered, seed);
    }
}
