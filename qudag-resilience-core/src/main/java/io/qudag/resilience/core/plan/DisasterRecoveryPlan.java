package io.qudag.resilience.core.plan;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.event.PlanEventListener;
import io.qudag.resilience.core.plan.internal.DisasterRecoveryPlanImpl;
import io.qudag.resilience.core.plan.spi.ApprovalCallback;
import io.qudag.resilience.core.plan.spi.AuditSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/**
 * The disaster-recovery plan of spec §4.3 at run time. Signals go to its {@link IncidentClassifier};
 * a new failure opens an incident at the level they amount to, a graver classification escalates it.
 * For the incident's level the plan runs the configured procedures phase by phase (immediate
 * response, short-term, medium-term, long-term), one at a time in registration order, each at most
 * once per incident, on its executor. It closes the incident when every procedure of the level has
 * succeeded (each attempt is validated by its procedure); a level without procedures closes when no
 * signal fails any more.
 *
 * <p>Escalation to the next level, audited: a procedure that failed its last attempt, a manual step
 * denied or not approved within the approval timeout, a phase still running at the end of its time
 * box. The escalated level's procedures then run from its first phase; the old level's steps that had
 * not started are skipped. At level 4 the plan reports that an operator is required instead.
 *
 * <p>Time-driven rules (attempt timeouts, retry backoffs, approval timeouts, time boxes) run in
 * {@link #tick()}: schedule it (see {@link #scheduleTicks}) or call it from tests with an injected
 * clock. Every transition is a {@link PlanEvent}, kept in {@link #auditTrail()}, handed to the
 * {@link AuditSink} and to listeners. The operating mode of its {@link ContinuityPolicy} follows the
 * incident's level. With a meter registry: gauges {@code qudag.resilience.plan.level{plan}} (0 without
 * incident, else 1–4), {@code qudag.resilience.plan.phase{plan}} (0, else 1–4 in phase order) and
 * {@code qudag.resilience.plan.mode{plan}} (0 FULL, 1 REDUCED, 2 EMERGENCY).
 */
public interface DisasterRecoveryPlan extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    String name();

    DisasterRecoveryPlanConfig config();

    IncidentClassifier classifier();

    ContinuityPolicy continuity();

    /**
     * Reports a signal. Classifies on the caller's thread and may open or escalate an incident; never
     * runs a procedure on it and never throws for a failure inside the plan (it is logged).
     *
     * @throws IllegalArgumentException when {@code signal} is null
     */
    void signal(IncidentSignal signal);

    /**
     * Declares an incident by hand (e.g. a security breach or a regulatory shutdown, which no signal
     * shows), or escalates the open one to {@code level}.
     */
    void declareIncident(DisasterLevel level, String reason);

    /** Closes the open incident by hand; returns false when none is open. */
    boolean resolveIncident(String reason);

    /** Runs the time-driven rules now. Never throws. */
    void tick();

    /**
     * Calls {@link #tick()} every {@code period} on {@code scheduler}.
     *
     * @param scheduler runs the ticks; the caller owns it and shuts it down
     * @param period time between two ticks; must be positive
     * @return the repeating task; cancel it to stop ticking
     */
    default ScheduledFuture<?> scheduleTicks(ScheduledExecutorService scheduler, Duration period) {
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        return scheduler.scheduleAtFixedRate(this::tick, period.toMillis(), period.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Approves the manual step {@code procedure} of the open incident; false when it is not waiting. */
    boolean approve(String procedure, String approver);

    /** Denies the manual step {@code procedure} (the incident escalates); false when it is not waiting. */
    boolean deny(String procedure, String approver);

    /** {@return the open incident, as data} */
    Optional<IncidentSnapshot> currentIncident();

    /** {@return the whole plan state, as data} */
    PlanSnapshot snapshot();

    /** {@return the audit trail: every event so far, oldest first (the last 10 000 are kept)} */
    List<PlanEvent> auditTrail();

    void addListener(PlanEventListener listener);

    /** Removes the meters and stops the executor the plan created (an injected one is left alone). */
    @Override
    void close();

    /** Builds a {@link DisasterRecoveryPlan}. */
    final class Builder {
        private String name = "dr-plan";
        private DisasterRecoveryPlanConfig config;
        private IncidentClassifier classifier;
        private ContinuityPolicy continuity;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private AuditSink auditSink = AuditSink.none();
        private ApprovalCallback approvalCallback = ApprovalCallback.operator();
        private MeterRegistry meterRegistry;
        private final List<PlanEventListener> listeners = new ArrayList<>();

        private Builder() {
        }

        public Builder name(String name) { this.name = name; return this; }
        /** Required. */
        public Builder config(DisasterRecoveryPlanConfig config) { this.config = config; return this; }
        /** Default {@link IncidentClassifier#defaults()}. */
        public Builder classifier(IncidentClassifier classifier) { this.classifier = classifier; return this; }
        /** Default {@link ContinuityPolicy#builder()} with its defaults. */
        public Builder continuity(ContinuityPolicy continuity) { this.continuity = continuity; return this; }
        /** Default the system UTC clock. */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Where procedures and approval callbacks run; must not run tasks on the submitting thread.
         * Default: a cached pool of daemon threads owned (and closed) by the plan.
         */
        public Builder executor(Executor executor) { this.executor = executor; return this; }

        public Builder auditSink(AuditSink sink) { this.auditSink = sink; return this; }
        /** Default {@link ApprovalCallback#operator()}. */
        public Builder approvalCallback(ApprovalCallback callback) { this.approvalCallback = callback; return this; }
        public Builder meterRegistry(MeterRegistry registry) { this.meterRegistry = registry; return this; }

        public Builder listener(PlanEventListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener must not be null, was null");
            }
            listeners.add(listener);
            return this;
        }

        public DisasterRecoveryPlan build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            if (config == null) {
                throw new IllegalArgumentException("config must not be null, was null");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            if (auditSink == null) {
                throw new IllegalArgumentException("auditSink must not be null, was null");
            }
            if (approvalCallback == null) {
                throw new IllegalArgumentException("approvalCallback must not be null, was null");
            }
            return new DisasterRecoveryPlanImpl(name, config,
                    classifier == null ? IncidentClassifier.defaults() : classifier,
                    continuity == null ? ContinuityPolicy.builder().build() : continuity,
                    clock, executor, auditSink, approvalCallback, meterRegistry, listeners);
        }
    }
}
