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

    /** {@return a builder; only {@link Builder#config config} is required} */
    static Builder builder() {
        return new Builder();
    }

    /** {@return the plan's name: the {@code plan} meter tag and the audit trail's source} */
    String name();

    /** {@return the procedures, time boxes and approval settings the plan runs} */
    DisasterRecoveryPlanConfig config();

    /** {@return the rules that turn signals into a disaster level} */
    IncidentClassifier classifier();

    /** {@return which tools each operating mode serves, and the mode of each disaster level} */
    ContinuityPolicy continuity();

    /**
     * Reports a signal. Classifies on the caller's thread and may open or escalate an incident; never
     * runs a procedure on it and never throws for a failure inside the plan (it is logged).
     *
     * @throws IllegalArgumentException when {@code signal} is null
     * @param signal the observation; non-null
     */
    void signal(IncidentSignal signal);

    /**
     * Declares an incident by hand (e.g. a security breach or a regulatory shutdown, which no signal
     * shows), or escalates the open one to {@code level}.
     *
     * @param level the level to open the incident at, or to escalate the open one to; non-null
     * @param reason words for the audit trail
     */
    void declareIncident(DisasterLevel level, String reason);

    /**
     * Closes the open incident by hand; returns false when none is open.
     *
     * @param reason words for the audit trail
     * @return true when an incident was open and is now closed
     */
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

    /**
     * Approves the manual step {@code procedure} of the open incident; false when it is not waiting.
     *
     * @param procedure the name of the waiting procedure
     * @param approver who approved, for the audit trail
     * @return true when the step was waiting and now runs
     */
    boolean approve(String procedure, String approver);

    /**
     * Denies the manual step {@code procedure} (the incident escalates); false when it is not waiting.
     *
     * @param procedure the name of the waiting procedure
     * @param approver who denied, for the audit trail
     * @return true when the step was waiting and is now denied
     */
    boolean deny(String procedure, String approver);

    /** {@return the open incident, as data} */
    Optional<IncidentSnapshot> currentIncident();

    /** {@return the whole plan state, as data} */
    PlanSnapshot snapshot();

    /** {@return the audit trail: every event so far, oldest first (the last 10 000 are kept)} */
    List<PlanEvent> auditTrail();

    /**
     * Adds a listener for every plan event, called after the event is in the audit trail.
     *
     * @param listener the listener; non-null
     */
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

        /**
         * The plan's name; default {@code "dr-plan"}.
         *
         * @param name not blank
         * @return this builder
         */
        public Builder name(String name) { this.name = name; return this; }
        /**
         * Required.
         *
         * @param config the plan's procedures and time boxes
         * @return this builder
         */
        public Builder config(DisasterRecoveryPlanConfig config) { this.config = config; return this; }
        /**
         * Default {@link IncidentClassifier#defaults()}.
         *
         * @param classifier the incident rules; non-null
         * @return this builder
         */
        public Builder classifier(IncidentClassifier classifier) { this.classifier = classifier; return this; }
        /**
         * Default {@link ContinuityPolicy#builder()} with its defaults.
         *
         * @param continuity the operating-mode policy; non-null
         * @return this builder
         */
        public Builder continuity(ContinuityPolicy continuity) { this.continuity = continuity; return this; }
        /**
         * Default the system UTC clock.
         *
         * @param clock the clock for time boxes and event instants; non-null
         * @return this builder
         */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Where procedures and approval callbacks run; must not run tasks on the submitting thread.
         * Default: a cached pool of daemon threads owned (and closed) by the plan.
         *
         * @param executor the executor, or {@code null} for the plan's own
         * @return this builder
         */
        public Builder executor(Executor executor) { this.executor = executor; return this; }

        /**
         * Where every plan event is also written; default {@link AuditSink#none()}.
         *
         * @param sink the sink; non-null
         * @return this builder
         */
        public Builder auditSink(AuditSink sink) { this.auditSink = sink; return this; }
        /**
         * Default {@link ApprovalCallback#operator()}.
         *
         * @param callback asks for the approval of manual steps; non-null
         * @return this builder
         */
        public Builder approvalCallback(ApprovalCallback callback) { this.approvalCallback = callback; return this; }
        /**
         * Where the {@code qudag.resilience.plan.*} gauges go; default none.
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) { this.meterRegistry = registry; return this; }

        /**
         * Adds a listener for every plan event; repeatable.
         *
         * @param listener the listener; non-null
         * @return this builder
         */
        public Builder listener(PlanEventListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener must not be null, was null");
            }
            listeners.add(listener);
            return this;
        }

        /**
         * Validates the settings and builds the plan.
         *
         * @return the plan, with no incident open
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
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
