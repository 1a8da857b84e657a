package io.qudag.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RecoveryExample} on a real journal: reopen and point-in-time recovery give the expected counts. */
class RecoveryExampleTest {

    @TempDir
    Path dir;

    @Test
    void reopenRestoresEverythingAndPointInTimeRecoveryDropsTheBadImport() throws Exception {
        RecoveryExample.Result r = RecoveryExample.run(dir);
        assertThat(r.appended()).isEqualTo(310);
        assertThat(r.snapshotSequence()).isEqualTo(200);
        assertThat(r.reopenedOrders()).isEqualTo(10_300);
        assertThat(r.reopenedLastSequence()).isEqualTo(310);
        assertThat(r.recoveredOrders()).as("the state before the bad import").isEqualTo(300);
        assertThat(r.recoveredLastSequence()).isEqualTo(300);
        assertThat(r.replayedAfterSnapshot()).as("records replayed after the snapshot at 200").isEqualTo(100);
        assertThat(r.afterSecondReopen()).isEqualTo(300);
        assertThat(r.held()).isTrue();
    }
}
