package io.qudag.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterExample}: a shared breaker crosses peers, and a stopped leader is replaced. */
class ClusterExampleTest {

    @TempDir
    Path dir;

    @Test
    void aSharedBreakerIsSeenOnAnotherPeerAndANewLeaderIsElected() throws Exception {
        ClusterExample.Result r = ClusterExample.run(dir);
        assertThat(r.firstLeader()).isNotNull();
        assertThat(r.openSeenOnAnotherPeer()).isTrue();
        assertThat(r.newLeader()).isNotNull().isNotEqualTo(r.firstLeader());
        assertThat(r.newLeaderDecides()).as("2 of 3 peers still commit").isTrue();
        assertThat(r.held()).isTrue();
    }
}
