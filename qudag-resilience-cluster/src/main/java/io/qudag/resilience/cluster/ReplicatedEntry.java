package io.qudag.resilience.cluster;

/**
 * One committed value of the replicated state: the latest value of {@code key} in {@code namespace}
 * as of Raft log entry {@code index} (spec §1.2 and §3.2: what every instance applies).
 *
 * @param namespace who owns the key (e.g. {@code failover}, {@code breaker})
 * @param key       the key within the namespace (e.g. an endpoint group's name)
 * @param value     the value, one JSON document
 * @param origin    the peer that proposed it
 * @param term      the Raft term it was committed in
 * @param index     its Raft log index
 */
public record ReplicatedEntry(String namespace, String key, String value, String origin, long term, long index) {
}
