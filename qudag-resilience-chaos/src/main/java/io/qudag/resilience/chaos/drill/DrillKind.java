package io.qudag.resilience.chaos.drill;

import java.time.Duration;

/**
 * The disaster-recovery drills of spec §5.2 that this module runs against an MCP setup, each with the
 * time it holds its fault by default.
 */
public enum DrillKind {
    /** One component (a server process, an in-process server) fails ("random_component_failures"). */
    COMPONENT_FAILURE(Duration.ofSeconds(5)),
    /** A service's endpoints stop answering: partitioned or frozen ("third_party_service_outages"). */
    SERVICE_DISRUPTION(Duration.ofSeconds(5)),
    /** A whole endpoint tier is partitioned ("regional_network_outage", "complete_data_center_failure"). */
    REGIONAL_OUTAGE(Duration.ofSeconds(10)),
    /** Storage writes are corrupted or fail; the store must detect the damage and recover. */
    DATA_CORRUPTION(Duration.ofSeconds(2));

    private final Duration defaultDuration;

    DrillKind(Duration defaultDuration) {
        this.defaultDuration = defaultDuration;
    }

    /** {@return how long this kind of drill holds its fault unless told otherwise} */
    public Duration defaultDuration() {
        return defaultDuration;
    }
}
