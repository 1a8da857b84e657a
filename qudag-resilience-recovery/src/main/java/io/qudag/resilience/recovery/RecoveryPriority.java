package io.qudag.resilience.recovery;

/** In which order data classes are recovered (spec §4.1 data_classification recovery_priority). */
public enum RecoveryPriority {
    /** Recovered first ({@link DataClass#CRITICAL}). */
    HIGHEST,
    /** Recovered second ({@link DataClass#IMPORTANT}). */
    HIGH,
    /** Recovered third ({@link DataClass#STANDARD}). */
    MEDIUM,
    /** Recovered last ({@link DataClass#ARCHIVAL}). */
    LOW
}
