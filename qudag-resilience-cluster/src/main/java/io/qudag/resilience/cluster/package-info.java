/**
 * Coordination of several instances over Apache Ratis (spec §1.2 failover coordination, §3.2
 * hierarchical breakers): a Raft group ({@link io.qudag.resilience.cluster.RaftCluster}), a
 * Raft-backed failover coordinator and cluster-wide GLOBAL and REGIONAL breakers.
 */
package io.qudag.resilience.cluster;
