package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.spi.FileChannelFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot the disk damages on write fails at once and never replaces a good one. */
class SnapshotWriteVerificationTest {

    @TempDir
    Path dir;

    @Test
    void aSnapshotDamagedOnWrite_failsAndLeavesTheOlderSnapshotInPlace() throws Exception {
        AtomicBoolean corrupt = new AtomicBoolean();
        FileChannelFactory disk = (p, o, a) -> new FaultyChannel(FileChannel.open(p, o, a), () -> false,
                () -> corrupt.get() && p.getFileName().toString().endsWith(".tmp"));
        SnapshotStore store = SnapshotStore.open(dir, disk);
        store.write(Snapshot.Kind.FULL, 10, 1000, 0, "good".getBytes());

        corrupt.set(true);
        assertThatThrownBy(() -> store.write(Snapshot.Kind.FULL, 20, 2000, 0, "newer".getBytes()))
                .isInstanceOf(JournalException.class).hasMessageContaining("reads back different");
        corrupt.set(false);

        assertThat(store.list()).extracting(Snapshot::lastSequence).containsExactly(10L);
        assertThat(new String(store.read(store.list().get(0)))).isEqualTo("good");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
