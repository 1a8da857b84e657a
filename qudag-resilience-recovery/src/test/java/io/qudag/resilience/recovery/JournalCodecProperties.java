package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.internal.SegmentFormat;
import io.qudag.resilience.recovery.internal.SegmentVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The journal codec under jqwik: every single flipped byte is found at its record; every torn tail is cut. */
class JournalCodecProperties {

    private static Path write(List<@Size(max = 120) byte[]> payloads) throws IOException {
        Path dir = Files.createTempDirectory("journal-prop");
        try (Journal j = Journal.open(JournalConfig.builder(dir).durability(Durability.ASYNC).build())) {
            for (byte[] p : payloads) {
                j.append(1, p);
            }
        }
        return dir;
    }

    private static Path segment(Path dir) {
        return dir.resolve(SegmentFormat.fileName(1));
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The start offset of every record, and the end of the last one as the final element. */
    private static List<Long> offsets(List<byte[]> payloads) {
        List<Long> out = new ArrayList<>();
        long off = SegmentFormat.HEADER_SIZE;
        for (byte[] p : payloads) {
            out.add(off);
            off += SegmentFormat.RECORD_HEADER_SIZE + p.length;
        }
        out.add(off);
        return out;
    }

    @Property(tries = 200)
    void anyFlippedByteIsDetectedAtItsRecord(@ForAll @Size(min = 1, max = 12) List<@Size(max = 120) byte[]> payloads,
            @ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int mask)
            throws IOException {
        Path dir = write(payloads);
        try {
            List<Long> offsets = offsets(payloads);
            long end = offsets.get(offsets.size() - 1);
            long pos = SegmentFormat.HEADER_SIZE + where % (end - SegmentFormat.HEADER_SIZE);
            int record = 0;
            while (offsets.get(record + 1) <= pos) {
                record++;
            }
            Path seg = segment(dir);
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                ch.read(b, pos);
                b.put(0, (byte) (b.get(0) ^ mask)).position(0);
                ch.write(b, pos);
            }
            SegmentVerifier.Result r = SegmentVerifier.verify(FileChannelFactory.standard(), seg, 1 << 20, Long.MAX_VALUE);
            assertThat(r.intact()).as("flip at %d detected", pos).isFalse();
            assertThat(r.damageOffset()).as("flip at %d named at its record", pos).isEqualTo(offsets.get(record));
            assertThat(r.records()).isEqualTo(record);
        } finally {
            delete(dir);
        }
    }

    @Property(tries = 100)
    void aTornTailIsCutToTheLastWholeRecord(@ForAll @Size(min = 1, max = 12) List<@Size(max = 120) byte[]> payloads,
            @ForAll @IntRange(min = 1, max = 1_000_000) int cut) throws IOException {
        Path dir = write(payloads);
        try {
            List<Long> offsets = offsets(payloads);
            long end = offsets.get(offsets.size() - 1);
            long newSize = end - 1 - cut % (end - SegmentFormat.HEADER_SIZE);
            int whole = 0;
            while (offsets.get(whole + 1) <= newSize) {
                whole++;
            }
            try (FileChannel ch = FileChannel.open(segment(dir), StandardOpenOption.WRITE)) {
                ch.truncate(newSize);
            }
            try (Journal j = Journal.open(JournalConfig.builder(dir).build()); JournalReader r = j.read(1)) {
                assertThat(j.lastSequence()).isEqualTo(whole);
                for (int i = 0; i < whole; i++) {
                    assertThat(r.next().payload()).isEqualTo(payloads.get(i));
                }
                assertThat(r.hasNext()).isFalse();
                assertThat(Files.size(segment(dir))).isEqualTo(offsets.get(whole));
            }
        } finally {
            delete(dir);
        }
    }
}
