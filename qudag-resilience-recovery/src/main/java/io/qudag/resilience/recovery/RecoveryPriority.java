package io.qudag.resilience.recovery;

/** In which order data classes are recovered (spec §4.1 data_classification recovery_priority). */
public enum RecoveryPriority {
    HIGHEST, HIGH, MEDIUM, LOW
}
