package io.qudag.resilience.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.disk.FaultyFileChannelFactory;
import io.qudag.resilience.chaos.experiment.Probe;
import io.qudag.resilience.chaos.experiment.SteadyStateHypothesis;
import io.qudag.resilience.chaos.experiment.Tolerance;
import io.qudag.resilience.chaos.report.RecoveryObjective;
import io.qudag.resilience.chaos.report.DataLoss;
import io.qudag.resilience.chaos.report.ReportWriter;
import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.ScrubReport;
import io.qudag.resilience.recovery.spi.RecoverableState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec §5.2 data-corruption drill against the real recovery journal: the journal and its snapshots
 * open every file through the chaos disk, a writer appends under SYNC durability while writes are
 * corrupted, the journal detects every damaged record when it reads it back, the writer answers with
 * snapshot-then-scrub (quarantine, rebuild, resume), and afterwards the journal is reopened on a healthy
 * disk and every acknowledged record is looked up: the RPO is the window of acknowledged records lost.
 */
class JournalCorruptionDrillTest {

    @TempDir
    Path dir;

    private final ChaosSwitch chaos = ChaosSwitch.create("journal-drill", name -> "true");
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private Thread writer;
    private RecoveryManager<TreeSet<Long>> manager;
    private Journal journal;

    /** The state: the ids of every record applied. */
    static final class Ids implements RecoverableState<TreeSet<Long>> {
        @Override
        public TreeSet<Long> empty() {
            return new TreeSet<>();
        }

        @Override
        public TreeSet<Long> apply(TreeSet<Long> state, JournalRecord event) {
            state.add(Long.parseLong(event.payloadAsString()));
            return state;
        }

        @Override
        public byte[] snapshot(TreeSet<Long> state) {
            StringBuilder b = new StringBuilder();
            state.forEach(id -> b.append(id).append('\n'));
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public TreeSet<Long> restore(byte[] image) {
            TreeSet<Long> s = new TreeSet<>();
            for (String line : new String(image, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    s.add(Long.parseLong(line));
                }
            }
            return s;
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        writing.set(false);
        if (writer != null) {
            writer.join(10_000);
        }
        if (manager != null) {
            manager.close();
        }
        if (journal != null) {
            journal.close();
        }
        chaos.disable();
    }

    private Journal open(Path journalDir, FileChannelFactory files) {
        return Journal.open(JournalConfig.builder(journalDir).name("drill").durability(Durability.SYNC)
                .segmentSize(8192).fileChannelFactory(files).build());
    }

    @Test
    void corruptedWritesToTheRealJournal_areDetectedAndRecovered_withoutLosingAnAcknowledgedRecord() throws Exception {
        assertThat(chaos.enable()).isTrue();
        Path journalDir = dir.resolve("journal");
        FaultyFileChannelFactory disk = new FaultyFileChannelFactory(FileChannelFactory.standard(), chaos, 11);
        journal = open(journalDir, disk);
        manager = RecoveryManager.builder(journal, new Ids()).scrubOnSchedule(false).build();

        ConcurrentMap<Long, Instant> acknowledgedAt = new ConcurrentHashMap<>();
        AtomicLong detected = new AtomicLong();
        AtomicLong quarantined = new AtomicLong();
        AtomicLong repairsRetried = new AtomicLong();
        AtomicReference<Throwable> writeError = new AtomicReference<>();
        writer = new Thread(() -> {
            long id = 0;
            int failuresInARow = 0;
            try {
                while (writing.get()) {
                    byte[] payload = Long.toString(id).getBytes(StandardCharsets.UTF_8);
                    try {
                        manager.append(1, payload);
                        acknowledgedAt.put(id, Instant.now());
                        id++;
                        failuresInARow = 0;
                    } catch (JournalException damage) {
                        // read-back found a damaged record: keep the good live state, isolate the damage, retry.
                        // The repair writes too (a new segment header, a snapshot), so it can meet the fault itself:
                        // then the next round finds and repairs that damage; bounded, so a dead disk still fails.
                        detected.incrementAndGet();
                        if (++failuresInARow > 50) {
                            throw damage;
                        }
                        try {
                            manager.snapshot();
                            quarantined.addAndGet(manager.scrub().quarantined().size());
                        } catch (JournalException | IllegalArgumentException repairHitTheFault) {
                            repairsRetried.incrementAndGet();
                        }
                    }
                }
            } catch (Throwable t) {
                writeError.set(t);
            }
        }, "journal-drill-writer");
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledgedAt.size() > 50);

        AtomicReference<ScrubReport> finalScrub = new AtomicReference<>();
        AtomicReference<TreeSet<Long>> recovered = new AtomicReference<>();
        DrillResult r = DisasterRecoveryDrill.dataCorruptionCounted(chaos, disk, 0.02,
                SteadyStateHypothesis.of("writes keep being acknowledged",
                        Probe.custom("writer failures", () -> writeError.get() == null ? 0 : 1, Tolerance.atMost(0),
                                "errors")),
                () -> {
                    writing.set(false);
                    writer.join(10_000);
                    manager.snapshot();
                    finalScrub.set(manager.scrub());
                    manager.close();
                    journal.close();
                    // restart on a healthy disk: what survives is what the journal recovers from its files
                    journal = open(journalDir, FileChannelFactory.standard());
                    manager = RecoveryManager.builder(journal, new Ids()).scrubOnSchedule(false).build();
                    recovered.set(new TreeSet<>(manager.current()));
                },
                () -> DataLoss.measure(acknowledgedAt, recovered.get()))
                .objective(RecoveryObjective.CRITICAL)
                .duration(Duration.ofSeconds(1)).probeInterval(Duration.ofMillis(200))
                .recoveryTimeout(Duration.ofSeconds(10)).run();
        System.out.printf(Locale.ROOT, "MEASURED journal corruption drill: passed %s, RTO %s, RPO %s, acknowledged %d,"
                        + " lost %d, faults %d, damage detected %d times, segments quarantined %d, repairs retried %d, findings %s%n",
                r.passed(), r.report().rto().orElse(null), r.report().rpo().orElse(null), acknowledgedAt.size(),
                r.report().dataLoss().map(DataLoss::lost).orElse(-1L), disk.injected(), detected.get(), quarantined.get(), repairsRetried.get(), r.findings());
        new ReportWriter().writeAll(r.report(), Path.of("target", "chaos-reports", "journal-corruption"));

        assertThat(writeError.get()).as("writer").isNull();
        assertThat(disk.injected()).as("writes corrupted").isPositive();
        assertThat(detected.get()).as("the journal detected the damage").isPositive();
        assertThat(quarantined.get()).as("damaged segments quarantined").isPositive();
        assertThat(finalScrub.get().intact()).as("after recovery a scrub is clean").isTrue();
        assertThat(recovered.get()).as("every acknowledged record survives the restart")
                .containsAll(acknowledgedAt.keySet());
        assertThat(r.report().dataLoss()).hasValue(DataLoss.none(acknowledgedAt.size()));
        assertThat(r.report().rpo()).hasValue(Duration.ZERO);
        assertThat(r.report().rpoMet()).isTrue();
        assertThat(r.passed()).as("%s", r.findings()).isTrue();
    }
}
