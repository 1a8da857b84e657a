package io.qudag.resilience.cluster;

/**
 * One member of a Raft group (spec §1.2, failover coordination): its id and the address its Raft
 * server listens on.
 *
 * @param id   unique within the group; letters, digits, {@code -}, {@code _} and {@code .}
 * @param host host name or IP address
 * @param port TCP port, 1..65535
 */
public record ClusterPeer(String id, String host, int port) {

    /**
     * Validates the components.
     *
     * @param id   unique within the group; letters, digits, {@code -}, {@code _} and {@code .}
     * @param host host name or IP address
     * @param port TCP port, 1..65535
     * @throws IllegalArgumentException naming the field and value when one is invalid
     */
    public ClusterPeer {
        if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("peer.id must be letters, digits, '.', '_' or '-', was "
                    + (id == null ? "null" : '"' + id + '"'));
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("peers[" + id + "].host must not be blank, was "
                    + (host == null ? "null" : '"' + host + '"'));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peers[" + id + "].port must be in 1..65535, was " + port);
        }
    }

    /** {@return {@code host:port}} */
    public String address() {
        return host + ':' + port;
    }
}
