package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.recovery.event.CorruptionDetectedEvent;
import io.qudag.resilience.recovery.event.RecoveryEvent;
import io.qudag.resilience.recovery.event.RecoveryProgressEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryManagerTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<long[]> reference = new ArrayList<>(); // seq, ts, key index, delta
    private final List<RecoveryEvent> events = new CopyOnWriteArrayList<>();
    private Journal journal;
    private RecoveryManager<TreeMap<String, Long>> manager;

    @BeforeEach
    void open() {
        journal = Journal.open(JournalConfig.builder(dir).clock(clock).durability(Durability.ASYNC).segmentSize(8192).build());
        manager = newManager();
    }

    private RecoveryManager<TreeMap<String, Long>> newManager() {
        return RecoveryManager.builder(journal, new KvState()).scrubOnSchedule(false).listener(events::add)
                .objectives(RecoveryPolicy.defaults().objectivesFor("kv", DataClass.IMPORTANT)).build();
    }

    @AfterEach
    void close() {
        manager.close();
        journal.close();
    }

    private void reopen() {
        manager.close();
        journal.close();
        open();
    }

    private static String key(long i) {
        return String.format("key-%04d", i);
    }

    /** Appends n random events, moving the clock 0..1.5 s before each. */
    private void appendRandom(Random random, int n, int keys) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMillis(random.nextInt(1500)));
            int k = random.nextInt(keys);
            long delta = random.nextInt(2001) - 1000;
            long seq = manager.append(1, KvState.event(key(k), delta));
            reference.add(new long[] {seq, clock.millis(), k, delta});
        }
    }

    private TreeMap<String, Long> expected(long maxSeq, long maxTs) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (long[] r : reference) {
            if (r[0] > maxSeq || r[1] > maxTs) {
                break;
            }
            m.merge(key(r[2]), r[3], Long::sum);
        }
        return m;
    }

    private TreeMap<String, Long> expectedAll() {
        return expected(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    @Test
    void restartRecoversFromSnapshotsAndTailAndUsesDifferentialSnapshots() throws IOException {
        Random random = new Random(1);
        appendRandom(random, 1500, 400);
        Snapshot full = manager.snapshot();
        assertThat(full.kind()).isEqualTo(Snapshot.Kind.FULL);
        for (int i = 0; i < 20; i++) {
            long seq = manager.append(1, KvState.event(key(3), 1));
            reference.add(new long[] {seq, clock.millis(), 3, 1});
        }
        Snapshot diff = manager.snapshot();
        assertThat(diff.kind()).isEqualTo(Snapshot.Kind.DIFFERENTIAL);
        assertThat(diff.baseSequence()).isEqualTo(full.lastSequence());
        assertThat(Files.size(diff.file())).isLessThan(Files.size(full.file()) / 2);
        appendRandom(random, 300, 400);
        TreeMap<String, Long> live = new TreeMap<>(manager.current());
        assertThat(live).isEqualTo(expectedAll());

        reopen();
        assertThat(manager.current()).isEqualTo(live);
        assertThat(manager.lastAppliedSequence()).isEqualTo(1820);
        RecoveryResult<TreeMap<String, Long>> r = manager.recover(RecoveryRequest.preview(RecoveryTarget.latest()));
        assertThat(r.snapshot()).isEqualTo(diff);
        assertThat(r.recordsReplayed()).isEqualTo(300);
        try (Stream<Path> s = Files.list(manager.snapshots().directory())) {
            List<Path> files = s.toList();
            assertThat(files).noneMatch(p -> p.toString().endsWith(".tmp"));
            for (Path p : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aDamagedSnapshotIsDetectedAndAnOlderStartingPointUsed() {
        Random random = new Random(2);
        appendRandom(random, 300, 50);
        manager.snapshot();
        appendRandom(random, 300, 50);
        Snapshot newest = manager.snapshot();
        appendRandom(random, 50, 50);
        reopen();
        manager.close();
        try {
            JournalTest.flip(newest.file(), 40);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        events.clear();
        manager = newManager();
        assertThat(manager.current()).isEqualTo(expectedAll());
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(CorruptionDetectedEvent.class,
                c -> assertThat(c.file()).isEqualTo(newest.file())));
    }

    @Test
    void pointInTimeRecoveryEqualsTheReferenceModelAtRandomInstantsAndSequences() {
        Random random = new Random(3);
        for (int round = 0; round < 5; round++) {
            appendRandom(random, 400, 60);
            if (round % 2 == 0) {
                manager.snapshot();
            }
        }
        long first = reference.get(0)[1];
        long last = reference.get(reference.size() - 1)[1];
        for (int i = 0; i < 25; i++) {
            Instant at = Instant.ofEpochMilli(first - 2000 + (long) (random.nextDouble() * (last - first + 4000)));
            long truncated = at.truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
            RecoveryResult<TreeMap<String, Long>> r = manager.recover(RecoveryRequest.preview(RecoveryTarget.instant(at)));
            assertThat(r.state()).as("state at %s", at).isEqualTo(expected(Long.MAX_VALUE, truncated));
            assertThat(r.lastTimestampMillis()).isLessThanOrEqualTo(truncated);

            long seq = random.nextInt(reference.size() + 1);
            RecoveryResult<TreeMap<String, Long>> s = manager.recover(RecoveryRequest.preview(RecoveryTarget.sequence(seq)));
            assertThat(s.state()).as("state at sequence %d", seq).isEqualTo(expected(seq, Long.MAX_VALUE));
            assertThat(s.lastSequence()).isEqualTo(seq);
        }
    }

    @Test
    void previewLeavesTheLiveStateUntouchedAndCommitReplacesItDurably() throws IOException {
        Random random = new Random(4);
        appendRandom(random, 500, 30);
        manager.snapshot();
        appendRandom(random, 500, 30);
        TreeMap<String, Long> before = new TreeMap<>(manager.current());
        long seqBefore = manager.lastAppliedSequence();
        int snapshotsBefore = manager.snapshots().list().size();

        long target = 300;
        RecoveryResult<TreeMap<String, Long>> preview = manager.recover(RecoveryRequest.preview(RecoveryTarget.sequence(target)));
        assertThat(preview.committed()).isFalse();
        assertThat(preview.state()).isEqualTo(expected(target, Long.MAX_VALUE)).isNotEqualTo(before);
        assertThat(manager.current()).isEqualTo(before);
        assertThat(manager.lastAppliedSequence()).isEqualTo(seqBefore);
        assertThat(manager.snapshots().list()).hasSize(snapshotsBefore);

        RecoveryResult<TreeMap<String, Long>> commit = manager.recover(RecoveryRequest.to(RecoveryTarget.sequence(target)));
        assertThat(commit.committed()).isTrue();
        assertThat(manager.current()).isEqualTo(expected(target, Long.MAX_VALUE));
        manager.append(1, KvState.event("after", 7));
        TreeMap<String, Long> afterCommit = new TreeMap<>(manager.current());
        assertThat(afterCommit).containsEntry("after", 7L);
        assertThat(manager.objectives().measurements()).hasSize(1);
        reopen();
        assertThat(manager.current()).isEqualTo(afterCommit);
    }

    @Test
    void selectiveAndParallelRecoveryEqualAFullReplay() {
        Random random = new Random(5);
        appendRandom(random, 1500, 80);
        manager.snapshot();
        appendRandom(random, 6000, 80);
        long seq = 5000;
        TreeMap<String, Long> full = manager.recover(RecoveryRequest.preview(RecoveryTarget.sequence(seq))).state();
        assertThat(full).isEqualTo(expected(seq, Long.MAX_VALUE));

        Set<String> keys = Set.of(key(1), key(7), key(42));
        TreeMap<String, Long> selective = manager.recover(RecoveryRequest.builder().target(RecoveryTarget.sequence(seq))
                .preview(true).keys(keys::contains).build()).state();
        assertThat(selective).isEqualTo(new KvState().select(full, keys::contains)).hasSize(3);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<RecoveryProgressEvent> progress = new CopyOnWriteArrayList<>();
            RecoveryResult<TreeMap<String, Long>> par = manager.recover(RecoveryRequest.builder()
                    .target(RecoveryTarget.sequence(seq)).preview(true).parallel(4, pool)
                    .progressListener(e -> {
                        if (e instanceof RecoveryProgressEvent p) {
                            progress.add(p);
                        }
                    }).build());
            assertThat(par.state()).isEqualTo(full);
            assertThat(par.recordsReplayed()).isEqualTo(seq - 1500);
            assertThat(progress).isNotEmpty();
            RecoveryProgressEvent lastEvent = progress.get(progress.size() - 1);
            assertThat(lastEvent.done()).isEqualTo(seq - 1500);
            assertThat(lastEvent.total()).isEqualTo(seq - 1500);
            assertThat(lastEvent.eta()).isEqualTo(Duration.ZERO);
            assertThat(progress).extracting(RecoveryProgressEvent::done).isSorted();

            // committing a selective recovery rewinds only the selected keys
            TreeMap<String, Long> live = new TreeMap<>(manager.current());
            manager.recover(RecoveryRequest.builder().target(RecoveryTarget.sequence(seq)).keys(keys::contains).build());
            TreeMap<String, Long> mixed = new TreeMap<>(live);
            keys.forEach(mixed::remove);
            mixed.putAll(selective);
            assertThat(manager.current()).isEqualTo(mixed);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void instantsOutsideTheWindowAndBadRequestsAreRefused() {
        appendRandom(new Random(6), 10, 3);
        Instant old = clock.instant().minus(Duration.ofDays(91));
        assertThatThrownBy(() -> manager.recover(RecoveryRequest.preview(RecoveryTarget.instant(old))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point-in-time window of PT2160H")
                .hasMessageContaining("was " + old.truncatedTo(ChronoUnit.SECONDS));
        assertThatThrownBy(() -> RecoveryRequest.builder().parallel(4, null).build())
                .hasMessage("executor must be set when partitions > 1, was null (partitions 4)");
        assertThatThrownBy(() -> RecoveryRequest.builder().parallel(0, null).build())
                .hasMessage("partitions must be in [1, 1024], was 0");
        assertThatThrownBy(() -> RecoveryTarget.sequence(-1)).hasMessage("sequence must be >= 0, was -1");
        assertThatThrownBy(() -> RecoveryManager.builder(journal, new KvState()).maxDiffChain(-1).build())
                .hasMessage("maxDiffChain must be in [0, 1000], was -1");
        assertThatThrownBy(() -> RecoveryManager.builder(journal, new KvState()).pointInTimeWindow(Duration.ZERO).build())
                .hasMessage("pointInTimeWindow must be > 0, was PT0S");
        assertThatThrownBy(() -> manager.append(0xF1, new byte[1])).hasMessageContaining("was 241");
    }

    @Test
    void compactionRemovesCoveredSegmentsOnlyOutsideTheWindow() {
        Random random = new Random(7);
        appendRandom(random, 2000, 40);
        manager.snapshot();
        assertThat(manager.compact()).as("inside the window nothing goes").isEmpty();
        clock.advance(Duration.ofDays(91));
        appendRandom(random, 500, 40);
        int segmentsBefore = journal.segments().size();
        List<SegmentInfo> deleted = manager.compact();
        assertThat(deleted).isNotEmpty();
        assertThat(journal.segments()).hasSize(segmentsBefore - deleted.size());
        assertThat(deleted).allSatisfy(s -> assertThat(s.file()).doesNotExist());
        assertThat(journal.firstSequence()).isGreaterThan(1).isLessThanOrEqualTo(2001);
        TreeMap<String, Long> live = new TreeMap<>(manager.current());
        reopen();
        assertThat(manager.current()).isEqualTo(live).isEqualTo(expectedAll());
        Instant inWindow = Instant.ofEpochMilli(reference.get(2200)[1]);
        assertThat(manager.recover(RecoveryRequest.preview(RecoveryTarget.instant(inWindow))).state())
                .isEqualTo(expected(Long.MAX_VALUE, inWindow.truncatedTo(ChronoUnit.SECONDS).toEpochMilli()));
    }

    @Test
    void validatorsGuardTheCommitAndMeasuredObjectivesAreRecorded() {
        manager.close();
        manager = RecoveryManager.builder(journal, new KvState()).scrubOnSchedule(false)
                .validator(s -> s.getOrDefault("bad", 0L) > 0 ? "bad must not be positive, was " + s.get("bad") : null)
                .objectives(RecoveryPolicy.defaults().objectivesFor("kv", DataClass.CRITICAL)).build();
        manager.append(1, KvState.event("good", 1));
        long goodSeq = manager.append(1, KvState.event("good", 1));
        manager.append(1, KvState.event("bad", 5));
        TreeMap<String, Long> live = new TreeMap<>(manager.current());
        assertThatThrownBy(() -> manager.recover(RecoveryRequest.to(RecoveryTarget.latest())))
                .isInstanceOf(RecoveryFailedException.class).hasMessageContaining("bad must not be positive, was 5");
        assertThat(manager.current()).isEqualTo(live);
        manager.recover(RecoveryRequest.to(RecoveryTarget.sequence(goodSeq)));
        assertThat(manager.current()).containsEntry("good", 2L).doesNotContainKey("bad");
        RecoveryObjectives o = manager.objectives();
        assertThat(o.expectedRto()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.expectedRpo()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.measurements()).hasSize(1);
        assertThat(o.last().met()).isTrue();
        assertThat(o.last().measuredRpo()).isEqualTo(Duration.ZERO);
    }
}
