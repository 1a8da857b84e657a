package io.qudag.resilience.failover;

import java.time.Instant;
import java.util.Objects;

/**
 * A planned maintenance of one endpoint (spec §1.2 predictive trigger
 * {@code maintenance_window_approaching}): from {@code lead} before {@link #start()} its traffic is
 * moved away in steps so that it carries none at the start; it stays out until {@link #end()}, then
 * recovers like any returning endpoint.
 */
public record MaintenanceWindow(String endpointId, Instant start, Instant end) {
    /**
     * Checks the window.
     *
     * @param endpointId the endpoint under maintenance; not blank, an endpoint of the engine's group
     * @param start when the maintenance starts; non-null
     * @param end when it ends; after {@code start}
     * @throws IllegalArgumentException naming the field and the value when a component is invalid
     */
    public MaintenanceWindow {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("maintenanceWindow.endpointId must not be blank, was " + endpointId);
        }
        Objects.requireNonNull(start, "maintenanceWindow.start");
        Objects.requireNonNull(end, "maintenanceWindow.end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("maintenanceWindow[" + endpointId + "].end must be after start ("
                    + start + "), was " + end);
        }
    }
}
