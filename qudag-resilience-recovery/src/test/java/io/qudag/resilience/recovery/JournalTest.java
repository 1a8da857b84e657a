package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.internal.SegmentFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<JournalRecord> readAll(Journal j, long from) {
        List<JournalRecord> out = new ArrayList<>();
        try (JournalReader r = j.read(from)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void appendsAreReadBackInOrderAndSurviveReopen(Durability durability) {
        JournalConfig cfg = JournalConfig.builder(dir).durability(durability).segmentSize(8192).build();
        try (Journal j = Journal.open(cfg)) {
            for (int i = 1; i <= 500; i++) {
                assertThat(j.append(1 + i % 3, bytes("event-" + i))).isEqualTo(i);
            }
            assertThat(j.lastSequence()).isEqualTo(500);
            if (durability != Durability.ASYNC) {
                assertThat(j.durableSequence()).isEqualTo(500);
            }
            List<JournalRecord> all = readAll(j, 1);
            assertThat(all).hasSize(500);
            assertThat(all.get(41).payloadAsString()).isEqualTo("event-42");
            assertThat(all.get(41).type()).isEqualTo(1 + 42 % 3);
            assertThat(j.segments().size()).isGreaterThan(1);
        }
        try (Journal j = Journal.open(cfg)) {
            assertThat(j.lastSequence()).isEqualTo(500);
            List<JournalRecord> tail = readAll(j, 480);
            assertThat(tail).extracting(JournalRecord::sequence).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(480, 500).boxed().toList());
            assertThat(j.append(1, bytes("after"))).isEqualTo(501);
        }
    }

    @Test
    void concurrentAppendersGetDistinctContiguousSequencesAndShareForces() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JournalConfig cfg = JournalConfig.builder(dir).durability(Durability.GROUP_COMMIT).segmentSize(64 * 1024)
                .meterRegistry(registry).name("concurrent").build();
        int threads = 8;
        int each = 300;
        Map<Long, String> written = new ConcurrentHashMap<>();
        try (Journal j = Journal.open(cfg)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String p = "t" + id + "-" + i;
                        long seq = j.append(1, bytes(p));
                        assertThat(j.durableSequence()).isGreaterThanOrEqualTo(seq);
                        written.put(seq, p);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<JournalRecord> all = readAll(j, 1);
            assertThat(all).hasSize(threads * each);
            for (int i = 0; i < all.size(); i++) {
                JournalRecord r = all.get(i);
                assertThat(r.sequence()).isEqualTo(i + 1);
                assertThat(r.payloadAsString()).isEqualTo(written.get(r.sequence()));
            }
            long forces = registry.get("qudag.resilience.recovery.journal.fsync").tag("journal", "concurrent").timer().count();
            System.out.println("group commit: " + threads * each + " appends, " + forces + " forces");
            assertThat(forces).isPositive().isLessThan(threads * each);
            assertThat(registry.get("qudag.resilience.recovery.journal.appends").counter().count()).isEqualTo(threads * each);
        }
    }

    @Test
    void aReaderFollowsAppendsAsTheyHappen() throws Exception {
        JournalConfig cfg = JournalConfig.builder(dir).durability(Durability.ASYNC).segmentSize(4096).build();
        try (Journal j = Journal.open(cfg)) {
            AtomicLong seen = new AtomicLong();
            AtomicInteger bad = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try (JournalReader r = j.read(1)) {
                    long expect = 1;
                    while (expect <= 2000) {
                        if (r.hasNext()) {
                            JournalRecord rec = r.next();
                            if (rec.sequence() != expect || !rec.payloadAsString().equals("r" + expect)) {
                                bad.incrementAndGet();
                            }
                            seen.set(expect++);
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                }
            });
            reader.start();
            for (int i = 1; i <= 2000; i++) {
                j.append(2, bytes("r" + i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.get() == 2000);
            reader.join(5000);
            assertThat(bad.get()).isZero();
        }
    }

    @Test
    void segmentsRollBySizeAndABigRecordGetsItsOwnSegment() throws IOException {
        JournalConfig cfg = JournalConfig.builder(dir).durability(Durability.SYNC).segmentSize(4096).build();
        try (Journal j = Journal.open(cfg)) {
            for (int i = 0; i < 100; i++) {
                j.append(1, new byte[100]);
            }
            j.append(1, new byte[10_000]);
            j.append(1, new byte[100]);
            List<SegmentInfo> segs = j.segments();
            assertThat(segs.size()).isGreaterThanOrEqualTo(4);
            long big = segs.stream().filter(s -> s.sizeBytes() > 4096).count();
            assertThat(big).isEqualTo(1);
            assertThat(segs.get(segs.size() - 1).active()).isTrue();
            assertThat(readAll(j, 1)).hasSize(102);
            assertThat(readAll(j, 101).get(0).payloadLength()).isEqualTo(10_000);
        }
    }

    private Path onlySegment() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".qjl")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void aTornTailIsTruncatedToTheLastWholeRecord() throws IOException {
        JournalConfig cfg = JournalConfig.builder(dir).durability(Durability.SYNC).build();
        try (Journal j = Journal.open(cfg)) {
            for (int i = 1; i <= 10; i++) {
                j.append(1, bytes("record-" + i));
            }
        }
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5); // cut into record 10
            ch.write(ByteBuffer.allocate(300), size - 5); // and zeros after it, as a crash can leave
        }
        try (Journal j = Journal.open(cfg)) {
            assertThat(j.lastSequence()).isEqualTo(9);
            assertThat(readAll(j, 1)).hasSize(9).last().extracting(JournalRecord::payloadAsString).isEqualTo("record-9");
            assertThat(j.append(1, bytes("record-10b"))).isEqualTo(10);
        }
        try (Journal j = Journal.open(cfg)) {
            assertThat(readAll(j, 10)).singleElement().extracting(JournalRecord::payloadAsString).isEqualTo("record-10b");
        }
    }

    @Test
    void aDamagedRecordBeforeTheTailFailsOpenNamingFileAndOffset() throws IOException {
        JournalConfig cfg = JournalConfig.builder(dir).durability(Durability.SYNC).build();
        try (Journal j = Journal.open(cfg)) {
            for (int i = 1; i <= 10; i++) {
                j.append(1, bytes("record-" + i));
            }
        }
        Path seg = onlySegment();
        long secondRecord = SegmentFormat.HEADER_SIZE + SegmentFormat.RECORD_HEADER_SIZE + bytes("record-1").length;
        flip(seg, secondRecord + SegmentFormat.RECORD_HEADER_SIZE + 2);
        assertThatThrownBy(() -> Journal.open(cfg)).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining(seg.toString()).hasMessageContaining("offset " + secondRecord)
                .hasMessageContaining("checksum");
    }

    static void flip(Path file, long pos) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            b.position(0);
            ch.write(b, pos);
        }
    }

    @Test
    void anUnknownRecordTypeFailsNamingFileAndOffset() throws IOException {
        try (Journal j = Journal.open(JournalConfig.builder(dir).build())) {
            j.append(1, bytes("a"));
            j.append(7, bytes("b"));
        }
        long offset = SegmentFormat.HEADER_SIZE + SegmentFormat.RECORD_HEADER_SIZE + 1;
        Path seg = onlySegment();
        JournalConfig strict = JournalConfig.builder(dir).recordTypes(1, 2).build();
        assertThatThrownBy(() -> Journal.open(strict)).isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("unknown record type 7").hasMessageContaining(seg.toString())
                .hasMessageContaining("offset " + offset)
                .satisfies(e -> assertThat(((JournalFormatException) e).offset()).isEqualTo(offset));
        assertThatThrownBy(() -> {
            try (Journal j = Journal.open(strict)) {
                j.append(7, bytes("c"));
            }
        }).isInstanceOf(JournalFormatException.class);
    }

    @Test
    void anUnknownFormatVersionFailsNamingFileAndOffset() throws IOException {
        try (Journal j = Journal.open(JournalConfig.builder(dir).build())) {
            j.append(1, bytes("a"));
        }
        Path seg = onlySegment();
        ByteBuffer h = SegmentFormat.header(1);
        h.putShort(4, (short) 9);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(h.array(), 0, 20);
        h.putInt(20, (int) crc.getValue());
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(h, 0);
        }
        assertThatThrownBy(() -> Journal.open(JournalConfig.builder(dir).build()))
                .isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("unsupported journal format version 9").hasMessageContaining(seg.toString())
                .hasMessageContaining("offset 4");
    }

    @Test
    void aDirectoryThatCannotBeWrittenFailsAtOpenNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path under = file.resolve("journal");
        assertThatThrownBy(() -> Journal.open(JournalConfig.builder(under).build()))
                .isInstanceOf(JournalException.class).hasMessageContaining(under.toString());

        Path denied = dir.resolve("denied");
        FileChannelFactory refuse = (p, o, a) -> {
            throw new AccessDeniedException(p.toString());
        };
        assertThatThrownBy(() -> Journal.open(JournalConfig.builder(denied).fileChannelFactory(refuse).build()))
                .isInstanceOf(JournalException.class).hasMessageContaining("journal directory " + denied)
                .hasMessageContaining("not writable");
    }

    @Test
    void aReadOnlyDirectoryFailsAtOpenNamingIt() throws IOException {
        Assumptions.assumeTrue(FileSystemsSupport.posixAndNotRoot(dir), "root ignores permission bits");
        Path ro = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
        assertThatThrownBy(() -> Journal.open(JournalConfig.builder(ro).build()))
                .isInstanceOf(JournalException.class).hasMessageContaining(ro.toString()).hasMessageContaining("not writable");
    }

    /**
     * The same refusal as the read-only directory above, as the operating system reports it to any user
     * (root included, whom permission bits do not stop): creating a file in the directory is denied.
     */
    @Test
    void aDirectoryThatRefusesNewFilesFailsAtOpenNamingIt() {
        FileChannelFactory denying = (p, o, a) -> {
            throw new java.nio.file.AccessDeniedException(p.toString());
        };
        assertThatThrownBy(() -> Journal.open(JournalConfig.builder(dir).fileChannelFactory(denying).build()))
                .isInstanceOf(JournalException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("not writable");
    }

    @Test
    void filesAreOwnerOnlyAndOpenedThroughTheFactory() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        List<Path> opened = new ArrayList<>();
        FileChannelFactory counting = (p, o, a) -> {
            synchronized (opened) {
                opened.add(p);
            }
            return FileChannel.open(p, o, a);
        };
        try (Journal j = Journal.open(JournalConfig.builder(dir).fileChannelFactory(counting).segmentSize(4096).build())) {
            for (int i = 0; i < 100; i++) {
                j.append(1, new byte[100]);
            }
            for (SegmentInfo s : j.segments()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file()))).isEqualTo("rw-------");
                assertThat(opened).contains(s.file());
            }
            readAll(j, 1);
        }
        assertThat(opened.stream().filter(p -> p.getFileName().toString().endsWith(".qjl")).count())
                .isGreaterThan(4);
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        try (Journal j = Journal.open(JournalConfig.builder(dir).build())) {
            assertThatThrownBy(() -> Journal.open(JournalConfig.builder(dir).build()))
                    .isInstanceOf(JournalException.class).hasMessageContaining("already open");
        }
    }

    @Test
    void appendsAfterCloseAndBadInputFailClearly() {
        Journal j = Journal.open(JournalConfig.builder(dir).maxRecordSize(10).build());
        assertThatThrownBy(() -> j.append(0, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> j.append(1, new byte[11])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 11");
        assertThatThrownBy(() -> j.append(1, (byte[]) null)).isInstanceOf(IllegalArgumentException.class);
        j.close();
        assertThatThrownBy(() -> j.append(1, new byte[1])).isInstanceOf(JournalException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void builderValidatesEveryField() {
        assertThatThrownBy(() -> JournalConfig.builder(null).build()).hasMessage("directory must not be null, was null");
        assertThatThrownBy(() -> JournalConfig.builder(dir).segmentSize(10).build())
                .hasMessageStartingWith("segmentSize must be in [4096,").hasMessageEndingWith("was 10");
        assertThatThrownBy(() -> JournalConfig.builder(dir).groupCommitMaxBatch(0).build())
                .hasMessageContaining("groupCommitMaxBatch").hasMessageEndingWith("was 0");
        assertThatThrownBy(() -> JournalConfig.builder(dir).groupCommitMaxDelay(Duration.ZERO).build())
                .hasMessage("groupCommitMaxDelay must be > 0, was PT0S");
        assertThatThrownBy(() -> JournalConfig.builder(dir).groupCommitMaxDelay(Duration.ofSeconds(5)).build())
                .hasMessage("groupCommitMaxDelay must be at most PT1S, was PT5S");
        assertThatThrownBy(() -> JournalConfig.builder(dir).asyncFlushInterval(Duration.ofMillis(-1)).build())
                .hasMessageContaining("asyncFlushInterval must be > 0");
        assertThatThrownBy(() -> JournalConfig.builder(dir).recordTypes(0x100)).hasMessageEndingWith("was 256");
        assertThatThrownBy(() -> JournalConfig.builder(dir).durability(null).build())
                .hasMessage("durability must not be null, was null");
        assertThatThrownBy(() -> JournalConfig.builder(dir).name(" ").build()).hasMessage("name must not be blank, was ' '");
        assertThatThrownBy(() -> JournalConfig.builder(dir).maxRecordSize(0).build()).hasMessageEndingWith("was 0");
    }
}
