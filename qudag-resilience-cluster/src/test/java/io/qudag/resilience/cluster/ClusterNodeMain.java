package io.qudag.resilience.cluster;

import static io.qudag.resilience.core.FailoverTier.LOCAL;

import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One instance of a service in its own JVM, for the multi-process test: a Raft peer, an endpoint
 * group, a decision engine and the Raft coordinator. Answers one line on stdout per command line read
 * from stdin; logs go to stderr. Args: local peer id, storage root, peers as {@code id=host:port,...}.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // every log line to stderr; stdout is the protocol
        String local = args[0];
        Path root = Path.of(args[1]);
        List<ClusterPeer> peers = new ArrayList<>();
        for (String p : args[2].split(",")) {
            String[] idAddr = p.split("=");
            String[] hostPort = idAddr[1].split(":");
            peers.add(new ClusterPeer(idAddr[0], hostPort[0], Integer.parseInt(hostPort[1])));
        }
        RaftClusterConfig config = RaftClusterConfig.builder().groupName("process-group").peers(peers)
                .localPeerId(local).storageDirectory(root.resolve(local)).build(); // default timeouts
        RaftCluster cluster = RaftCluster.builder(config).build();
        EndpointGroup group = EndpointGroup.builder("search")
                .tier(LOCAL, Endpoint.of("a", LOCAL, "http://a/mcp"), Endpoint.of("b", LOCAL, "http://b/mcp"),
                        Endpoint.of("c", LOCAL, "http://c/mcp"))
                .build();
        RaftFailoverCoordinator coordinator = RaftFailoverCoordinator.create(cluster);
        FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group).coordinator(coordinator).build();
        coordinator.bind(engine);
        cluster.start();
        protocol.println("READY " + local);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            String answer;
            try {
                answer = switch (cmd[0]) {
                    case "status" -> status(cluster, coordinator);
                    case "decide" -> "OK " + toggle(engine, group).id();
                    case "bench" -> bench(engine, group, Integer.parseInt(cmd[1]));
                    default -> "ERR unknown command " + cmd[0];
                };
            } catch (RuntimeException e) {
                answer = "ERR " + e.getMessage().replace('\n', ' ');
            }
            protocol.println(answer);
        }
        engine.close();
        coordinator.close();
        cluster.close();
    }

    private static String status(RaftCluster cluster, RaftFailoverCoordinator coordinator) {
        ClusterStatus s = cluster.status();
        List<String> decisions = coordinator.agreedDecisions("search");
        String last = decisions.isEmpty() ? "-" : decisions.get(decisions.size() - 1)
                .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        return "OK role=" + s.role() + " leader=" + s.leaderId() + " term=" + s.term() + " quorum="
                + s.quorumAvailable() + " applied=" + s.lastAppliedIndex() + " decisions=" + decisions.size()
                + " last=" + last + " coordinator=" + coordinator.role("search") + " reason="
                + coordinator.status("search").reason();
    }

    /** One decision: drains endpoint a, or undrains it when drained. */
    private static FailoverDecision toggle(FailoverDecisionEngine engine, EndpointGroup group) {
        return group.status("a").state() == EndpointState.DRAINED ? engine.undrain("a") : engine.drain("a");
    }

    /**
     * {@code n} decisions, timed; a decision refused because the quorum looked lost for a moment (a
     * loaded machine) is counted and tried again, up to {@code n} refusals.
     */
    private static String bench(FailoverDecisionEngine engine, EndpointGroup group, int n) {
        long[] micros = new long[n];
        String last = "-";
        int refused = 0;
        for (int i = 0; i < n; ) {
            long t0 = System.nanoTime();
            try {
                last = toggle(engine, group).id();
            } catch (IllegalStateException e) {
                if (++refused > n) {
                    throw e;
                }
                continue;
            }
            micros[i++] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(micros);
        return String.format(Locale.ROOT, "OK n=%d p50us=%d p99us=%d maxus=%d refused=%d last=%s", n, micros[n / 2],
                micros[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)], micros[n - 1], refused, last);
    }
}
