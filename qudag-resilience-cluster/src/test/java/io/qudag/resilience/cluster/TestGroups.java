package io.qudag.resilience.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds groups of peers on loopback with free ports and short (but valid) timeouts. */
final class TestGroups {

    /** Above Ratis' 150-300 ms: three peers in one JVM on a loaded machine pause together. */
    static final Duration ELECTION_MIN = Duration.ofMillis(250);
    static final Duration ELECTION_MAX = Duration.ofMillis(500);

    private TestGroups() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ClusterPeer> peers(int n) {
        List<ClusterPeer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ClusterPeer("p" + i, "127.0.0.1", freePort()));
        }
        return out;
    }

    static RaftClusterConfig config(List<ClusterPeer> peers, String local, Path root) {
        return builder(peers, local, root).build();
    }

    static RaftClusterConfig.Builder builder(List<ClusterPeer> peers, String local, Path root) {
        return RaftClusterConfig.builder()
                .groupName("test-group")
                .peers(peers)
                .localPeerId(local)
                .storageDirectory(root.resolve(local))
                .electionTimeout(ELECTION_MIN, ELECTION_MAX)
                .commitTimeout(Duration.ofSeconds(3));
    }
}
