package io.qudag.resilience.cluster;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.health.http.HealthReport;
import java.util.List;

/**
 * The health module's JSON report (spec §2.1, §2.2 health status reporting) with this instance's
 * place in the Raft group beside it (spec §1.2): the report's fields unchanged at the top level, and a
 * {@code cluster} section with role, term, leader, members, quorum (and why not) and last applied
 * index.
 *
 * <pre>{@code
 * String json = ClusterHealthReport.of(HealthReport.of(system, Duration.ofMinutes(10)), cluster).toJson();
 * }</pre>
 *
 * @param health  the health module's report
 * @param cluster this peer's cluster status
 */
public record ClusterHealthReport(@JsonUnwrapped HealthReport health, Cluster cluster) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The cluster section.
     *
     * @param status           UP with a quorum, DOWN without (this peer can decide nothing)
     * @param peer             this peer's id
     * @param role             LEADER, FOLLOWER, CANDIDATE or STOPPED
     * @param leader           the leader this peer knows of, null when none
     * @param term             the Raft term
     * @param members          the group's members
     * @param quorum           whether this peer can get a decision committed now
     * @param reason           why not (or a short description when it can)
     * @param lastAppliedIndex the last log index applied on this peer
     */
    public record Cluster(String status, String peer, String role, String leader, long term, List<String> members,
                          boolean quorum, String reason, long lastAppliedIndex) {

        /**
         * {@return the section for {@code s}}
         *
         * @param s a peer's status
         * @throws IllegalArgumentException when {@code s} is null
         */
        public static Cluster of(ClusterStatus s) {
            if (s == null) {
                throw new IllegalArgumentException("status must not be null, was null");
            }
            return new Cluster(s.quorumAvailable() ? "UP" : "DOWN", s.localPeerId(), s.role().name(), s.leaderId(),
                    s.term(), s.members(), s.quorumAvailable(), s.reason(), s.lastAppliedIndex());
        }
    }

    /**
     * {@return the report {@code health} with {@code cluster}'s status now}
     *
     * @param health  the health report
     * @param cluster the cluster whose status is added
     * @throws IllegalArgumentException when either is null
     */
    public static ClusterHealthReport of(HealthReport health, RaftCluster cluster) {
        if (health == null || cluster == null) {
            throw new IllegalArgumentException("health and cluster must not be null, were " + health + ", " + cluster);
        }
        return new ClusterHealthReport(health, Cluster.of(cluster.status()));
    }

    /** {@return the report as JSON: the health report's fields and {@code "cluster": {...}}} */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cluster health report not serialisable", e);
        }
    }
}
