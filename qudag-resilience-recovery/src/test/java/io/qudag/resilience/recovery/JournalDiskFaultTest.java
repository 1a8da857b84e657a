package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.spi.FileChannelFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A failing fsync, injected through the FileChannelFactory seam, fails the append clearly and loses nothing acknowledged. */
class JournalDiskFaultTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "GROUP_COMMIT"})
    void aFailedFsyncFailsTheAppendAndTheJournalRefusesFurtherAppends(Durability durability) {
        AtomicBoolean broken = new AtomicBoolean();
        FileChannelFactory faulty = (p, o, a) -> new FaultyChannel(FileChannel.open(p, o, a), broken::get);
        List<Long> acknowledged = new ArrayList<>();
        try (Journal j = Journal.open(JournalConfig.builder(dir).durability(durability).fileChannelFactory(faulty).build())) {
            for (int i = 0; i < 20; i++) {
                acknowledged.add(j.append(1, ("ok-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            broken.set(true);
            assertThatThrownBy(() -> j.append(1, "lost".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(JournalException.class).hasMessageContaining(dir.toString())
                    .hasMessageContaining("injected fsync failure");
            broken.set(false);
            assertThatThrownBy(() -> j.append(1, "after".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(JournalException.class).hasMessageContaining("failed earlier");
            assertThat(j.durableSequence()).isEqualTo(20);
        }
        try (Journal j = Journal.open(JournalConfig.builder(dir).build()); JournalReader r = j.read(1)) {
            for (long seq : acknowledged) {
                JournalRecord rec = r.next();
                assertThat(rec.sequence()).isEqualTo(seq);
                assertThat(rec.payloadAsString()).isEqualTo("ok-" + (seq - 1));
            }
        }
    }
}
