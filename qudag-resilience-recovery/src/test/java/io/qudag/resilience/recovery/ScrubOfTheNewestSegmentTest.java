package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage in the newest (or only) segment, right after a snapshot: the scrub quarantines every record
 * after the snapshot, and the rebuild must still start from that snapshot and count what is gone.
 * (Found by the chaos module's journal corruption drill: the rebuild used to skip the snapshot, restart
 * from an empty state and report nothing lost.)
 */
class ScrubOfTheNewestSegmentTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private Journal journal;
    private RecoveryManager<TreeMap<String, Long>> manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private void open() {
        journal = Journal.open(JournalConfig.builder(dir).clock(clock).durability(Durability.SYNC).build());
        manager = RecoveryManager.builder(journal, new KvState()).scrubOnSchedule(false).build();
    }

    @Test
    void damageInTheOnlySegmentAfterASnapshot_rebuildsFromTheSnapshot_andReportsTheLostRecord() throws IOException {
        open();
        for (int i = 0; i < 40; i++) {
            manager.append(1, KvState.event("k" + (i % 7), 1));
        }
        manager.snapshot();
        TreeMap<String, Long> atSnapshot = new TreeMap<>(manager.current());
        manager.append(1, KvState.event("late", 1));
        SegmentInfo only = journal.segments().get(0);
        JournalTest.flip(only.file(), journal.segments().get(0).sizeBytes() - 3);

        ScrubReport report = manager.scrub();

        assertThat(report.quarantined()).hasSize(1);
        assertThat(report.recovered()).isTrue();
        assertThat(manager.current()).as("rebuilt from the snapshot, not from nothing").isEqualTo(atSnapshot);
        assertThat(report.lostRecords()).as("the damaged record after the snapshot").isEqualTo(1);

        manager.append(1, KvState.event("after", 1));
        manager.close();
        journal.close();
        manager = null;
        open();
        TreeMap<String, Long> expected = new TreeMap<>(atSnapshot);
        expected.put("after", 1L);
        assertThat(manager.current()).as("after a restart").isEqualTo(expected);
    }
}
