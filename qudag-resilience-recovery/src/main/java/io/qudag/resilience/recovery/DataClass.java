package io.qudag.resilience.recovery;

import java.time.Duration;

/**
 * How valuable a kind of data is (spec §4.1 data classification): replication factor, backup
 * frequency and recovery priority.
 */
public enum DataClass {
    /** Authentication, transactions, DAG structure: 5 replicas, backed up in real time, highest priority. */
    CRITICAL(5, Duration.ZERO, RecoveryPriority.HIGHEST),
    /** Profiles, application logs, metrics: 3 replicas, backup every 5 min, high priority. */
    IMPORTANT(3, Duration.ofMinutes(5), RecoveryPriority.HIGH),
    /** Caches, temporary files, sessions: 2 replicas, hourly backup, medium priority. */
    STANDARD(2, Duration.ofHours(1), RecoveryPriority.MEDIUM),
    /** Historical logs, compliance and analytics data: 1 replica, daily backup, low priority. */
    ARCHIVAL(1, Duration.ofDays(1), RecoveryPriority.LOW);

    private final int replicationFactor;
    private final Duration backupFrequency;
    private final RecoveryPriority priority;

    DataClass(int replicationFactor, Duration backupFrequency, RecoveryPriority priority) {
        this.replicationFactor = replicationFactor;
        this.backupFrequency = backupFrequency;
        this.priority = priority;
    }

    /** {@return how many copies of the data the spec asks for} */
    public int replicationFactor() {
        return replicationFactor;
    }

    /** {@return how often a backup is taken; {@link Duration#ZERO} means continuously (every record, "real time")} */
    public Duration backupFrequency() {
        return backupFrequency;
    }

    /** {@return the order in which this class is recovered after a disaster} */
    public RecoveryPriority priority() {
        return priority;
    }
}
