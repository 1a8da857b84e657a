package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.recovery.event.CorruptionDetectedEvent;
import io.qudag.resilience.recovery.event.RecoveryEvent;
import io.qudag.resilience.recovery.event.RecoveryResumedEvent;
import io.qudag.resilience.recovery.event.RecoveryStartedEvent;
import io.qudag.resilience.recovery.event.SegmentQuarantinedEvent;
import io.qudag.resilience.recovery.event.ValidationEvent;
import io.qudag.resilience.recovery.internal.RecoveryAudit;
import io.qudag.resilience.recovery.internal.SegmentFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final List<RecoveryEvent> events = new CopyOnWriteArrayList<>();
    private Journal journal;
    private RecoveryManager<TreeMap<String, Long>> manager;
    private ScheduledExecutorService scheduler;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void open(boolean scheduled) {
        journal = Journal.open(JournalConfig.builder(dir).clock(clock).durability(Durability.ASYNC).segmentSize(4096).build());
        RecoveryManager.Builder<TreeMap<String, Long>> b = RecoveryManager.builder(journal, new KvState()).listener(events::add)
                .validator(s -> s.values().stream().anyMatch(v -> v < 0) ? "counters must not be negative" : null)
                .objectives(RecoveryPolicy.defaults().objectivesFor("kv", DataClass.IMPORTANT));
        if (scheduled) {
            scheduler = Executors.newSingleThreadScheduledExecutor();
            b.scheduler(scheduler).scrubInterval(Duration.ofMillis(50));
        } else {
            b.scrubOnSchedule(false);
        }
        manager = b.build();
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMillis(100));
            manager.append(1, KvState.event("k" + (i % 17), 1));
        }
    }

    private SegmentInfo middleSegment() {
        List<SegmentInfo> segs = journal.segments();
        assertThat(segs.size()).isGreaterThanOrEqualTo(5);
        return segs.get(segs.size() / 2);
    }

    @Test
    void aDamagedMiddleSegmentIsQuarantinedAndTheStateRebuiltFromSnapshotAndGoodRecords() throws IOException {
        open(false);
        fill(1500);
        manager.snapshot();
        fill(300);
        TreeMap<String, Long> live = new TreeMap<>(manager.current());
        SegmentInfo victim = middleSegment();
        assertThat(manager.scrub().intact()).isTrue();
        JournalTest.flip(victim.file(), SegmentFormat.HEADER_SIZE + 200);

        ScrubReport report = manager.scrub();
        assertThat(report.intact()).isFalse();
        assertThat(report.recovered()).isTrue();
        assertThat(report.lostRecords()).isZero();
        assertThat(report.quarantined()).singleElement().satisfies(p -> {
            assertThat(p).exists().hasParent(dir.resolve("quarantine"));
            assertThat(p.getFileName().toString()).startsWith(victim.file().getFileName().toString());
        });
        assertThat(victim.file()).doesNotExist();
        assertThat(manager.current()).isEqualTo(live);
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsSubsequence(
                "CorruptionDetectedEvent", "SegmentQuarantinedEvent", "RecoveryStartedEvent", "RecoveryCompletedEvent",
                "ValidationEvent", "RecoveryResumedEvent");
        CorruptionDetectedEvent c = (CorruptionDetectedEvent) events.stream()
                .filter(e -> e instanceof CorruptionDetectedEvent).findFirst().orElseThrow();
        assertThat(c.file()).isEqualTo(victim.file());
        assertThat(c.problem()).contains("checksum");
        assertThat(events).filteredOn(e -> e instanceof ValidationEvent).allMatch(e -> ((ValidationEvent) e).passed());
        String audit = Files.readString(dir.resolve(RecoveryAudit.FILE_NAME));
        assertThat(audit).contains("\"event\":\"CorruptionDetectedEvent\"", "\"event\":\"SegmentQuarantinedEvent\"",
                "\"event\":\"ValidationEvent\"", "\"event\":\"RecoveryResumedEvent\"", victim.file().getFileName().toString());
        assertThat(manager.objectives().last()).isNotNull();

        // it resumes: appends go on, a restart gives the same state
        manager.append(1, KvState.event("k1", 1));
        live.merge("k1", 1L, Long::sum);
        manager.close();
        journal.close();
        open(false);
        assertThat(manager.current()).isEqualTo(live);
        assertThat(manager.scrub().intact()).isTrue();
    }

    @Test
    void withoutACoveringSnapshotTheLostRecordsAreCountedAndTheRestReplayed() throws IOException {
        open(false);
        fill(1500);
        SegmentInfo victim = middleSegment();
        List<SegmentInfo> before = journal.segments();
        long lostFrom = victim.baseSequence();
        long lostTo = before.get(before.indexOf(victim) + 1).baseSequence() - 1;
        JournalTest.flip(victim.file(), SegmentFormat.HEADER_SIZE + 3);

        ScrubReport report = manager.scrub();
        assertThat(report.recovered()).isTrue();
        assertThat(report.lostRecords()).isEqualTo(lostTo - lostFrom + 1);
        TreeMap<String, Long> expected = new TreeMap<>();
        for (long seq = 1; seq <= 1500; seq++) {
            if (seq < lostFrom || seq > lostTo) {
                expected.merge("k" + ((seq - 1) % 17), 1L, Long::sum);
            }
        }
        assertThat(manager.current()).isEqualTo(expected);
        RecoveryResumedEvent resumed = (RecoveryResumedEvent) events.stream().filter(e -> e instanceof RecoveryResumedEvent)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(resumed.lostRecords()).isEqualTo(report.lostRecords());
        assertThat(manager.objectives().last().measuredRpo()).isGreaterThan(Duration.ZERO);
    }

    @Test
    void theScrubberRunsOnItsScheduleAndFindsDamageByItself() throws IOException {
        open(true);
        fill(800);
        manager.snapshot();
        fill(10);
        SegmentInfo victim = middleSegment();
        JournalTest.flip(victim.file(), SegmentFormat.HEADER_SIZE + 50);
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e instanceof RecoveryResumedEvent));
        assertThat(events).anyMatch(e -> e instanceof SegmentQuarantinedEvent q && q.file().equals(victim.file()));
        assertThat(events).anyMatch(e -> e instanceof RecoveryStartedEvent s && s.reason().equals("corruption"));
    }
}
