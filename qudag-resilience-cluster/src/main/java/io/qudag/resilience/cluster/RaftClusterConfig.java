package io.qudag.resilience.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable configuration of one member of a Raft group (spec §1.2: raft consensus, automatic
 * leader election, quorum-based split-brain prevention). Built and validated by {@link Builder}.
 *
 * <p>A group of one peer is valid (the embedded, single-machine case: it is always the leader). A
 * group of two is refused: its quorum is both peers, so it survives no failure and only adds a way to
 * stop. Use one or at least three.
 */
public final class RaftClusterConfig {

    /** Default lower bound of the randomized election timeout (Ratis' own default). */
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(150);
    /** Default upper bound of the randomized election timeout (Ratis' own default). */
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(300);
    /** Default time a replicated write may take before it is reported as failed. */
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(3);
    /** Default number of applied entries between two snapshots of the replicated state. */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

    private final String groupName;
    private final List<ClusterPeer> peers;
    private final String localPeerId;
    private final Path storageDirectory;
    private final Duration electionTimeoutMin;
    private final Duration electionTimeoutMax;
    private final Duration commitTimeout;
    private final long snapshotThreshold;

    private RaftClusterConfig(Builder b) {
        this.groupName = b.groupName;
        this.peers = List.copyOf(b.peers);
        this.localPeerId = b.localPeerId;
        this.storageDirectory = b.storageDirectory;
        this.electionTimeoutMin = b.electionTimeoutMin;
        this.electionTimeoutMax = b.electionTimeoutMax;
        this.commitTimeout = b.commitTimeout;
        this.snapshotThreshold = b.snapshotThreshold;
    }

    /** {@return a builder with the defaults; peers, local peer id and storage directory are required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the group's name; every member must use the same (it derives the Raft group id)} */
    public String groupName() {
        return groupName;
    }

    /** {@return every member of the group, this one included, in the order given} */
    public List<ClusterPeer> peers() {
        return peers;
    }

    /** {@return the id of the peer this process runs} */
    public String localPeerId() {
        return localPeerId;
    }

    /** {@return this peer} */
    public ClusterPeer localPeer() {
        return peers.stream().filter(p -> p.id().equals(localPeerId)).findFirst().orElseThrow();
    }

    /** {@return where this peer keeps its Raft log and metadata} */
    public Path storageDirectory() {
        return storageDirectory;
    }

    /** {@return the lower bound of the randomized election timeout} */
    public Duration electionTimeoutMin() {
        return electionTimeoutMin;
    }

    /** {@return the upper bound of the randomized election timeout} */
    public Duration electionTimeoutMax() {
        return electionTimeoutMax;
    }

    /** {@return how long a replicated write may take before it counts as not committed} */
    public Duration commitTimeout() {
        return commitTimeout;
    }

    /**
     * {@return applied entries between two snapshots of the replicated state; the Raft log behind a snapshot
     * may then be purged, and a peer that fell behind it catches up from the snapshot}
     */
    public long snapshotThreshold() {
        return snapshotThreshold;
    }

    /** {@return the votes needed for a decision: a strict majority of {@link #peers()}} */
    public int quorumSize() {
        return peers.size() / 2 + 1;
    }

    @Override
    public String toString() {
        return "RaftClusterConfig{group=" + groupName + ", local=" + localPeerId + ", peers=" + peers
                + ", storage=" + storageDirectory + ", electionTimeout=" + electionTimeoutMin.toMillis() + ".."
                + electionTimeoutMax.toMillis() + " ms, commitTimeout=" + commitTimeout.toMillis() + " ms}";
    }

    /** Builds a {@link RaftClusterConfig}; everything is checked in {@link #build()}. */
    public static final class Builder {
        private String groupName = "qudag-resilience";
        private final List<ClusterPeer> peers = new ArrayList<>();
        private String localPeerId;
        private Path storageDirectory;
        private Duration electionTimeoutMin = DEFAULT_ELECTION_TIMEOUT_MIN;
        private Duration electionTimeoutMax = DEFAULT_ELECTION_TIMEOUT_MAX;
        private Duration commitTimeout = DEFAULT_COMMIT_TIMEOUT;
        private long snapshotThreshold = DEFAULT_SNAPSHOT_THRESHOLD;

        private Builder() {
        }

        /**
         * The group's name; every member must use the same.
         *
         * @param groupName the name, not blank
         * @return this builder
         */
        public Builder groupName(String groupName) {
            this.groupName = groupName;
            return this;
        }

        /**
         * Adds a member of the group.
         *
         * @param id   the peer id, unique within the group
         * @param host its host name or IP address
         * @param port its Raft port
         * @return this builder
         * @throws IllegalArgumentException naming the field and value when one is invalid
         */
        public Builder peer(String id, String host, int port) {
            return peer(new ClusterPeer(id, host, port));
        }

        /**
         * Adds a member of the group.
         *
         * @param peer the member
         * @return this builder
         */
        public Builder peer(ClusterPeer peer) {
            peers.add(Objects.requireNonNull(peer, "peer"));
            return this;
        }

        /**
         * Adds members of the group, in order.
         *
         * @param all the members
         * @return this builder
         */
        public Builder peers(List<ClusterPeer> all) {
            all.forEach(this::peer);
            return this;
        }

        /**
         * The id of the peer this process runs; it must be one of the peers.
         *
         * @param id the peer id
         * @return this builder
         */
        public Builder localPeerId(String id) {
            this.localPeerId = id;
            return this;
        }

        /**
         * Where this peer keeps its Raft log and metadata. Required.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder storageDirectory(Path dir) {
            this.storageDirectory = dir;
            return this;
        }

        /**
         * The randomized election timeout's bounds; {@code min} must be below {@code max}.
         *
         * @param min the lower bound, at least 50 ms (default 150 ms)
         * @param max the upper bound (default 300 ms)
         * @return this builder
         */
        public Builder electionTimeout(Duration min, Duration max) {
            this.electionTimeoutMin = min;
            this.electionTimeoutMax = max;
            return this;
        }

        /**
         * How long a replicated write may take before it counts as not committed. Default 3 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder commitTimeout(Duration timeout) {
            this.commitTimeout = timeout;
            return this;
        }

        /**
         * Applied entries between two snapshots of the replicated state. Default 10,000, at least 10.
         *
         * @param entries the number of entries
         * @return this builder
         */
        public Builder snapshotThreshold(long entries) {
            this.snapshotThreshold = entries;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the field and value when one is missing or invalid
         */
        public RaftClusterConfig build() {
            if (groupName == null || groupName.isBlank()) {
                throw new IllegalArgumentException("groupName must not be blank, was "
                        + (groupName == null ? "null" : '"' + groupName + '"'));
            }
            if (peers.isEmpty()) {
                throw new IllegalArgumentException("peers must not be empty, was []");
            }
            if (peers.size() == 2) {
                throw new IllegalArgumentException("peers must number 1 or at least 3 (a group of 2 cannot survive "
                        + "the loss of either peer), was 2: " + peers);
            }
            Set<String> ids = new HashSet<>();
            Set<String> addresses = new HashSet<>();
            for (ClusterPeer p : peers) {
                if (!ids.add(p.id())) {
                    throw new IllegalArgumentException("peers ids must be unique, was duplicate \"" + p.id() + '"');
                }
                if (!addresses.add(p.address())) {
                    throw new IllegalArgumentException("peers addresses must be unique, was duplicate \""
                            + p.address() + "\" (peer " + p.id() + ')');
                }
            }
            if (localPeerId == null || !ids.contains(localPeerId)) {
                throw new IllegalArgumentException("localPeerId must name one of the peers " + ids + ", was "
                        + (localPeerId == null ? "null" : '"' + localPeerId + '"'));
            }
            if (storageDirectory == null) {
                throw new IllegalArgumentException("storageDirectory must not be null, was null");
            }
            checkWritable(storageDirectory);
            positive("electionTimeoutMin", electionTimeoutMin);
            positive("electionTimeoutMax", electionTimeoutMax);
            if (electionTimeoutMin.compareTo(electionTimeoutMax) >= 0) {
                throw new IllegalArgumentException("electionTimeoutMin must be below electionTimeoutMax, was "
                        + electionTimeoutMin.toMillis() + " ms >= " + electionTimeoutMax.toMillis() + " ms");
            }
            if (electionTimeoutMin.toMillis() < 50) {
                throw new IllegalArgumentException("electionTimeoutMin must be at least 50 ms, was "
                        + electionTimeoutMin.toMillis() + " ms");
            }
            positive("commitTimeout", commitTimeout);
            if (snapshotThreshold < 10) {
                throw new IllegalArgumentException("snapshotThreshold must be at least 10 entries, was "
                        + snapshotThreshold);
            }
            return new RaftClusterConfig(this);
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
        }

        /** The directory must be writable, or creatable under its nearest existing ancestor. */
        private static void checkWritable(Path dir) {
            Path p = dir.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.isDirectory(p) || !Files.isWritable(p)) {
                throw new IllegalArgumentException("storageDirectory must be a writable directory, was " + dir
                        + (p == null ? "" : " (" + p + (Files.isDirectory(p) ? " is not writable)"
                        : " is not a directory)")));
            }
        }
    }
}
