package io.qudag.resilience.cluster.internal;

import io.qudag.resilience.cluster.ClusterPeer;
import io.qudag.resilience.cluster.ClusterRole;
import io.qudag.resilience.cluster.ClusterStatus;
import io.qudag.resilience.cluster.RaftClusterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every Raft server of this module shares (spec §1.2): the group and the Ratis properties derived
 * from a {@link RaftClusterConfig}, starting and closing a peer's server and client, and the reading of
 * a peer's {@link ClusterStatus} from its Ratis division.
 */
final class RaftSupport {

    private static final Logger log = LoggerFactory.getLogger(RaftSupport.class);

    private RaftSupport() {
    }

    /** The Raft group of {@code config}: its peers, and an id derived from the group name. */
    static RaftGroup group(RaftClusterConfig config) {
        List<RaftPeer> peers = new ArrayList<>();
        for (ClusterPeer p : config.peers()) {
            peers.add(RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build());
        }
        UUID gid = UUID.nameUUIDFromBytes(config.groupName().getBytes(StandardCharsets.UTF_8));
        return RaftGroup.valueOf(RaftGroupId.valueOf(gid), peers);
    }

    /** Creates {@code config}'s storage directory and proves it writable, else an error naming it. */
    static void requireWritableStorage(RaftClusterConfig config) {
        Path dir = config.storageDirectory();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("storageDirectory must be a writable directory, was " + dir + ": " + e,
                    e);
        }
    }

    /** Builds and starts the local peer's server, recovering its storage. */
    static RaftServer startServer(RaftClusterConfig config, RaftGroup group, RaftProperties properties,
            StateMachine stateMachine) throws IOException {
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(config.localPeerId()))
                .setGroup(group)
                .setProperties(properties)
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        return server;
    }

    /**
     * The local peer's client of the group: retried every 100 ms for twice the commit timeout, so that
     * the caller's commit timeout, not the client giving up first, ends a proposal that cannot commit.
     */
    static RaftClient client(RaftClusterConfig config, RaftGroup group, RaftProperties properties) {
        int attempts = (int) Math.max(1, 2 * config.commitTimeout().toMillis() / 100);
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /** Closes a peer's client, then its server, logging (not throwing) what fails; {@code what} names the peer. */
    static void closeQuietly(RaftClient client, RaftServer server, String what) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing the raft client of {} failed: {}", what, e.toString());
            }
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing the raft server of {} failed: {}", what, e.toString());
            }
        }
    }

    /** The Ratis properties of {@code config}'s local peer: Netty transport, storage, timeouts, snapshots. */
    static RaftProperties properties(RaftClusterConfig config) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        ClusterPeer local = config.localPeer();
        NettyConfigKeys.Server.setHost(p, local.host());
        NettyConfigKeys.Server.setPort(p, local.port());
        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDirectory().toFile()));
        TimeDuration min = TimeDuration.valueOf(config.electionTimeoutMin().toMillis(), TimeUnit.MILLISECONDS);
        TimeDuration max = TimeDuration.valueOf(config.electionTimeoutMax().toMillis(), TimeUnit.MILLISECONDS);
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, min);
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, max);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, min);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, max);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(
                Math.max(config.electionTimeoutMax().toMillis() * 2, 1000), TimeUnit.MILLISECONDS));
        return p;
    }

    /**
     * This peer's status as its Ratis division sees it now; {@code stopped} is the reason when the
     * peer does not run (then {@code server} is ignored), null when it runs.
     */
    static ClusterStatus status(RaftClusterConfig config, RaftServer server, RaftGroupId groupId, String stopped,
                                long appliedFallback) {
        List<String> members = config.peers().stream().map(ClusterPeer::id).toList();
        if (stopped != null || server == null) {
            return new ClusterStatus(config.localPeerId(), ClusterRole.STOPPED, null, 0, members, false,
                    stopped == null ? "peer is stopped" : stopped, appliedFallback);
        }
        DivisionInfo info;
        try {
            info = server.getDivision(groupId).getInfo();
        } catch (IOException | RuntimeException e) {
            return new ClusterStatus(config.localPeerId(), ClusterRole.STOPPED, null, 0, members, false,
                    "raft division unavailable: " + e, appliedFallback);
        }
        long term = info.getCurrentTerm();
        long applied = info.getLastAppliedIndex();
        RaftPeerId leaderId = info.getLeaderId();
        String leader = leaderId == null ? null : leaderId.toString();
        if (!info.isAlive()) {
            return new ClusterStatus(config.localPeerId(), ClusterRole.STOPPED, null, term, members, false,
                    "raft server is " + info.getLifeCycleState(), applied);
        }
        // A peer counts as reachable if heard from within two election timeouts: a loaded machine delays
        // heartbeats, and Raft itself (the leader steps down, a commit needs a quorum) is the real guard.
        long fresh = 2 * config.electionTimeoutMax().toMillis();
        RaftProtos.RoleInfoProto ri = info.getRoleInfoProto();
        if (info.isLeader()) {
            int live = 1;
            for (RaftProtos.ServerRpcProto f : ri.getLeaderInfo().getFollowerInfoList()) {
                if (f.getLastRpcElapsedTimeMs() <= fresh) {
                    live++;
                }
            }
            boolean ready = info.isLeaderReady();
            boolean quorum = ready && live >= config.quorumSize();
            String why = !ready ? "leader elected but not ready (its first entry of the term is not committed yet)"
                    : quorum ? "leader; " + live + " of " + members.size() + " peers heard within " + fresh + " ms"
                    : "leader has heard from only " + live + " of " + members.size() + " peers within " + fresh
                    + " ms; quorum is " + config.quorumSize();
            return new ClusterStatus(config.localPeerId(), ClusterRole.LEADER, config.localPeerId(), term, members,
                    quorum, why, applied);
        }
        if (info.isFollower() || info.isListener()) {
            long since = ri.hasFollowerInfo() ? ri.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs()
                    : Long.MAX_VALUE;
            boolean quorum = leader != null && since <= fresh;
            String why = quorum ? "follower of " + leader
                    : leader == null ? "follower without a known leader"
                    : "no heartbeat from leader " + leader + " for " + since + " ms (limit " + fresh + " ms)";
            return new ClusterStatus(config.localPeerId(), ClusterRole.FOLLOWER, leader, term, members, quorum, why,
                    applied);
        }
        return new ClusterStatus(config.localPeerId(), ClusterRole.CANDIDATE, null, term, members, false,
                "no leader: election in progress for " + ri.getRoleElapsedTimeMs() + " ms (needs votes from "
                        + config.quorumSize() + " of " + members.size() + " peers)", applied);
    }

    /** Committed log entries this peer has not applied yet; 0 when it does not run. */
    static double applyLag(RaftServer server, RaftGroupId groupId) {
        if (server == null) {
            return 0;
        }
        try {
            var d = server.getDivision(groupId);
            return Math.max(0, d.getRaftLog().getLastCommittedIndex() - d.getInfo().getLastAppliedIndex());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
