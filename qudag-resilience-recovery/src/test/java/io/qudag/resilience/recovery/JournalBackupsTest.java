package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.spi.FileChannelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalBackupsTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T00:00:00Z"));

    private Journal openJournal(Path dir) {
        return Journal.open(JournalConfig.builder(dir).clock(clock).durability(Durability.GROUP_COMMIT).segmentSize(4096).build());
    }

    private static RecoveryManager<TreeMap<String, Long>> manager(Journal j) {
        return RecoveryManager.builder(j, new KvState()).scrubOnSchedule(false).build();
    }

    @Test
    void fullAndIncrementalBackupsVerifyAndRestoreToTheSameState() throws IOException {
        Path live = tmp.resolve("live");
        Path full = tmp.resolve("b1");
        Path incr = tmp.resolve("b2");
        TreeMap<String, Long> expected;
        BackupManifest m1;
        BackupManifest m2;
        try (Journal j = openJournal(live); RecoveryManager<TreeMap<String, Long>> m = manager(j)) {
            for (int i = 0; i < 600; i++) {
                m.append(1, KvState.event("k" + i % 13, i));
            }
            m.snapshot();
            JournalBackups backups = JournalBackups.of(j, m.snapshots());
            m1 = backups.full(full);
            for (int i = 0; i < 100; i++) {
                m.append(1, KvState.event("k" + i % 5, -i));
            }
            m.snapshot();
            m2 = backups.incremental(incr, full);
            expected = new TreeMap<>(m.current());
        }
        assertThat(m1.kind()).isEqualTo(BackupManifest.Kind.FULL);
        assertThat(m1.lastSequence()).isEqualTo(600);
        assertThat(m2.kind()).isEqualTo(BackupManifest.Kind.INCREMENTAL);
        assertThat(m2.parent()).isEqualTo(full.toAbsolutePath());
        assertThat(m2.lastSequence()).isEqualTo(700);
        assertThat(m2.bytesStored()).isPositive().isLessThan(m1.bytesStored() / 2);
        assertThat(m2.files()).anyMatch(f -> f.storedIn().equals(full.toAbsolutePath()));
        assertThat(full.resolve(JournalBackups.MANIFEST)).exists();

        BackupVerification v1 = JournalBackups.verify(full, tmp, FileChannelFactory.standard());
        assertThat(v1.restorable()).as("%s", v1.problems()).isTrue();
        assertThat(v1.records()).isEqualTo(600);
        BackupVerification v2 = JournalBackups.verify(incr, tmp, FileChannelFactory.standard());
        assertThat(v2.restorable()).as("%s", v2.problems()).isTrue();
        assertThat(v2.lastSequence()).isEqualTo(700);
        assertThat(v2.filesChecked()).isEqualTo(m2.files().size());

        Path restored = tmp.resolve("restored");
        JournalBackups.restore(incr, restored, FileChannelFactory.standard());
        try (Journal j = openJournal(restored); RecoveryManager<TreeMap<String, Long>> m = manager(j)) {
            assertThat(m.current()).isEqualTo(expected);
            assertThat(j.lastSequence()).isEqualTo(700);
        }
    }

    @Test
    void aDamagedBackupFailsVerificationAndRestoreNamingTheFile() throws IOException {
        Path live = tmp.resolve("live");
        Path full = tmp.resolve("b1");
        try (Journal j = openJournal(live)) {
            for (int i = 0; i < 300; i++) {
                j.append(1, KvState.event("k", i));
            }
            JournalBackups.of(j, null).full(full);
            assertThatThrownBy(() -> JournalBackups.of(j, null).full(full))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("target must be an empty or new directory, was " + full);
        }
        Path segment;
        try (var s = Files.list(full)) {
            segment = s.filter(p -> p.toString().endsWith(".qjl")).sorted().findFirst().orElseThrow();
        }
        JournalTest.flip(segment, 100);
        BackupVerification v = JournalBackups.verify(full, tmp, FileChannelFactory.standard());
        assertThat(v.restorable()).isFalse();
        assertThat(v.problems()).singleElement().asString().contains(segment.toString()).contains("checksum");
        assertThatThrownBy(() -> JournalBackups.restore(full, tmp.resolve("r"), FileChannelFactory.standard()))
                .isInstanceOf(JournalCorruptedException.class).hasMessageContaining(segment.toString());
    }
}
