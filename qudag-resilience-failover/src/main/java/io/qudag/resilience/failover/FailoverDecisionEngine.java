package io.qudag.resilience.failover;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.spi.FailoverCoordinator;
import io.qudag.resilience.core.spi.HealthTrendSignal;
import io.qudag.resilience.failover.event.FailoverListener;
import io.qudag.resilience.failover.internal.DefaultEndpointGroup;
import io.qudag.resilience.failover.internal.DefaultFailoverDecisionEngine;
import io.qudag.resilience.failover.internal.LocalFailoverCoordinator;
import io.qudag.resilience.failover.spi.SessionStateReplicator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The automatic failover decision engine of spec §1.2 for one {@link EndpointGroup}.
 * It assesses every endpoint from the primary indicators (response time, error rate, connection
 * success) and the secondary ones (CPU, memory, disk I/O wait) and fires:
 * <ul>
 *   <li>immediate failover (server unreachable, authentication failure, critical service
 *       unavailable): instant redirection, on the thread that reported the outcome;</li>
 *   <li>gradual failover (p95 over its baseline by more than 50%, error rate over 10%, resource
 *       exhaustion): progressive traffic shifting in steps;</li>
 *   <li>predictive failover (a {@link HealthTrendSignal} predicts failure, a maintenance window
 *       approaches, the capacity threshold is exceeded): proactive redistribution.</li>
 * </ul>
 * Each decision is an immutable {@link FailoverDecision} delivered to listeners, logged through SLF4J
 * and written to a JSON-lines audit log; its latencies are Micrometer timers
 * ({@code qudag.resilience.failover.decision.latency}, {@code .execution.latency}). Decisions go
 * through a {@link FailoverCoordinator} (only the leader decides). A decision can be rolled back by
 * hand, one step per call, and is rolled back automatically when its targets do worse than the source
 * within the monitoring window. Manual drain and forced failover are here too.
 */
public interface FailoverDecisionEngine extends AutoCloseable {

    /**
     * {@return a builder for the engine deciding over {@code group}}
     *
     * @param group the endpoints it decides over; non-null
     */
    static Builder builder(EndpointGroup group) {
        return new Builder(group);
    }

    /** {@return the endpoints this engine decides over} */
    EndpointGroup group();

    /** Schedules {@link #evaluate()} every {@code evaluationInterval} on the engine's scheduler. */
    void start();

    /** Runs the group's time-driven work and evaluates every trigger once, at the clock's time. */
    void evaluate();

    /**
     * Reports an immediate condition observed outside the call path (a failed authentication, a health
     * endpoint saying a critical dependency is down, a probe that found the server unreachable).
     *
     * @param endpointId an endpoint of the group
     * @param condition what was observed
     * @param detail words for the audit trail
     * @throws IllegalArgumentException when {@code condition} is not of the IMMEDIATE family
     * @return the decision, or empty when none was made (already out, or not the leader)
     */
    Optional<FailoverDecision> reportCondition(String endpointId, FailoverCondition condition, String detail);

    /**
     * Records a secondary indicator for an endpoint: {@code cpu_utilization}, {@code memory_utilization}
     * or {@code disk_io_wait}, each a fraction 0..1.
     *
     * @param endpointId an endpoint of the group
     * @param metric {@code cpu_utilization}, {@code memory_utilization} or {@code disk_io_wait}
     * @param value the fraction, in [0, 1]
     */
    void recordResource(String endpointId, String metric, double value);

    /**
     * Takes an endpoint out of rotation (never routed to until undrained).
     *
     * @param endpointId an endpoint of the group
     * @return the decision, as audited
     */
    FailoverDecision drain(String endpointId);

    /**
     * Puts a drained endpoint back; it ramps up like a recovering one.
     *
     * @param endpointId an endpoint of the group
     * @return the decision, as audited
     */
    FailoverDecision undrain(String endpointId);

    /**
     * Moves all traffic away from an endpoint now (it then recovers through checks and the ramp).
     *
     * @param endpointId an endpoint of the group
     * @return the decision, as audited
     */
    FailoverDecision forceFailover(String endpointId);

    /**
     * Undoes the most recent decision not yet undone (one step per call); empty when there is none.
     *
     * @return the rollback decision, or empty
     */
    Optional<FailoverDecision> rollback();

    /**
     * Applies a decision that another instance's engine made and its coordinator committed (this
     * instance follows the leader): moves the endpoint to {@code state} with traffic factor
     * {@code factor} and rebuilds the routing. Nothing is decided or committed here; recovery of the
     * endpoint then runs locally as after any other failover.
     *
     * @param decisionId the committed decision's id
     * @param endpointId the endpoint it moves
     * @param state the endpoint's new state
     * @param factor its traffic factor, in [0, 1]
     * @throws IllegalArgumentException for an id not in the group, a null state or a factor outside [0, 1]
     */
    void applyAgreed(String decisionId, String endpointId, EndpointState state, double factor);

    /**
     * Decisions made so far, oldest first (the most recent 1000).
     *
     * @return the decisions, oldest first
     */
    List<FailoverDecision> decisions();

    /** Stops the schedule (an engine-owned scheduler is shut down) and closes the audit file. */
    @Override
    void close();

    /** Builds a {@link FailoverDecisionEngine}; validates in {@link #build()}. */
    final class Builder {
        private final EndpointGroup group;
        private FailoverEngineConfig config = FailoverEngineConfig.defaults();
        private Clock clock;
        private MeterRegistry meterRegistry;
        private FailoverCoordinator coordinator = new LocalFailoverCoordinator();
        private HealthTrendSignal trendSignal = HealthTrendSignal.none();
        private SessionStateReplicator sessionReplicator;
        private Path auditFile;
        private ScheduledExecutorService scheduler;
        private final List<FailoverListener> listeners = new ArrayList<>();

        private Builder(EndpointGroup group) {
            this.group = group;
        }

        /**
         * Trigger thresholds, shifting and rollback settings; default {@link FailoverEngineConfig#defaults()}.
         *
         * @param config non-null
         * @return this builder
         */
        public Builder config(FailoverEngineConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Defaults to the group's clock.
         *
         * @param clock the clock, or {@code null} for the group's
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Where the engine's meters go; default none.
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Who may decide; defaults to the in-process coordinator (always leader).
         *
         * @param coordinator non-null
         * @return this builder
         */
        public Builder coordinator(FailoverCoordinator coordinator) {
            this.coordinator = coordinator;
            return this;
        }

        /**
         * Source of failure predictions for predictive failover; default {@link HealthTrendSignal#none()}.
         *
         * @param signal non-null
         * @return this builder
         */
        public Builder trendSignal(HealthTrendSignal signal) {
            this.trendSignal = signal;
            return this;
        }

        /**
         * Copies session state to the target of a failover; default none.
         *
         * @param replicator the replicator, or {@code null} for none
         * @return this builder
         */
        public Builder sessionReplicator(SessionStateReplicator replicator) {
            this.sessionReplicator = replicator;
            return this;
        }

        /**
         * Appends every decision and event as one JSON line to this file (created if absent).
         *
         * @param file an appendable file, or {@code null} for none (JSON lines still go to the audit logger)
         * @return this builder
         */
        public Builder auditFile(Path file) {
            this.auditFile = file;
            return this;
        }

        /**
         * Runs {@link #evaluate()}; without one, {@link #start()} creates a single daemon thread.
         *
         * @param scheduler the scheduler, or {@code null} for the engine's own; a scheduler given here is the caller's to shut down
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Adds a listener for decisions and endpoint state changes; repeatable.
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Validates the settings (maintenance windows must name endpoints of the group) and builds.
         *
         * @return the engine, not yet started
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public FailoverDecisionEngine build() {
            if (!(group instanceof DefaultEndpointGroup g)) {
                throw new IllegalArgumentException("group must be built by EndpointGroup.builder(), was "
                        + (group == null ? "null" : group.getClass().getName()));
            }
            if (config == null) {
                throw new IllegalArgumentException("config must not be null, was null");
            }
            if (coordinator == null) {
                throw new IllegalArgumentException("coordinator must not be null, was null");
            }
            if (trendSignal == null) {
                throw new IllegalArgumentException("trendSignal must not be null, was null");
            }
            for (MaintenanceWindow w : config.maintenanceWindows()) {
                if (group.endpoints().stream().noneMatch(e -> e.id().equals(w.endpointId()))) {
                    throw new IllegalArgumentException("maintenanceWindows.endpointId must name an endpoint of group "
                            + group.name() + ", was " + w.endpointId());
                }
            }
            return new DefaultFailoverDecisionEngine(g, config, clock, meterRegistry, coordinator, trendSignal,
                    sessionReplicator, auditFile, scheduler, listeners);
        }
    }
}
