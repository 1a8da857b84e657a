package io.qudag.resilience.core.plan.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.hierarchy.ApprovalDecision;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.ApprovalRequest;
import io.qudag.resilience.core.plan.Classification;
import io.qudag.resilience.core.plan.ContinuityPolicy;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentClassifier;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.IncidentStatus;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.PhaseSnapshot;
import io.qudag.resilience.core.plan.PlanSnapshot;
import io.qudag.resilience.core.plan.RecoveryContext;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.StepSnapshot;
import io.qudag.resilience.core.plan.StepStatus;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.event.PlanEvent.Type;
import io.qudag.resilience.core.plan.event.PlanEventListener;
import io.qudag.resilience.core.plan.spi.ApprovalCallback;
import io.qudag.resilience.core.plan.spi.AuditSink;
import io.qudag.resilience.core.plan.spi.RecoveryProcedure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DisasterRecoveryPlan} (spec §4.3). All incident state is guarded by one lock; procedures
 * run on the executor and report back under the lock. Events are queued under the lock and handed to
 * the audit sink and listeners after it is released, in order.
 */
public final class DisasterRecoveryPlanImpl implements DisasterRecoveryPlan {

    private static final Logger log = LoggerFactory.getLogger(DisasterRecoveryPlanImpl.class);
    private static final int TRAIL_CAPACITY = 10_000;

    private final String name;
    private final DisasterRecoveryPlanConfig config;
    private final IncidentClassifier classifier;
    private final ContinuityPolicy continuity;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final AuditSink auditSink;
    private final ApprovalCallback approvalCallback;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final List<PlanEventListener> listeners;

    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<PlanEvent> outbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<PlanEvent> trail = new ArrayDeque<>();
    private long sequence;
    private long incidentCount;
    private Incident current;
    private Incident last;
    private volatile int levelGauge;
    private volatile int phaseGauge;

    public DisasterRecoveryPlanImpl(String name, DisasterRecoveryPlanConfig config, IncidentClassifier classifier,
            ContinuityPolicy continuity, Clock clock, Executor executor, AuditSink auditSink,
            ApprovalCallback approvalCallback, MeterRegistry registry, List<PlanEventListener> listeners) {
        this.name = name;
        this.config = config;
        this.classifier = classifier;
        this.continuity = continuity;
        this.clock = clock;
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            this.ownedExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "qudag-plan-" + name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = executor;
        }
        this.auditSink = auditSink;
        this.approvalCallback = approvalCallback;
        this.registry = registry;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        continuity.addModeListener(this::onModeChange);
        if (registry != null) {
            meters.add(Gauge.builder("qudag.resilience.plan.level", this, p -> p.levelGauge).tag("plan", name)
                    .description("Disaster level of the open incident, 0 without incident").register(registry));
            meters.add(Gauge.builder("qudag.resilience.plan.phase", this, p -> p.phaseGauge).tag("plan", name)
                    .description("Recovery phase of the open incident (1-4), 0 without incident").register(registry));
            meters.add(Gauge.builder("qudag.resilience.plan.mode", continuity, c -> c.mode().ordinal()).tag("plan", name)
                    .description("Operating mode: 0 FULL, 1 REDUCED, 2 EMERGENCY").register(registry));
        }
    }

    // ------------------------------------------------------------------------------------ state

    private static final class Incident {
        final String id;
        final Instant openedAt;
        final List<String> reasons = new ArrayList<>();
        final Map<String, Step> steps = new LinkedHashMap<>();
        final List<PhaseRecord> phases = new ArrayList<>();
        DisasterLevel level;
        Instant levelEnteredAt;
        RecoveryPhase phase;
        Instant phaseEnteredAt;
        IncidentStatus status = IncidentStatus.ACTIVE;
        Instant closedAt;
        boolean operatorRequired;
        boolean declared;

        Incident(String id, Instant openedAt) {
            this.id = id;
            this.openedAt = openedAt;
        }

        PhaseRecord currentPhase() {
            return phases.get(phases.size() - 1);
        }
    }

    private static final class PhaseRecord {
        final DisasterLevel level;
        final RecoveryPhase phase;
        final Instant enteredAt;
        final Instant deadline;
        Instant endedAt;
        boolean overran;

        PhaseRecord(DisasterLevel level, RecoveryPhase phase, Instant enteredAt, Instant deadline) {
            this.level = level;
            this.phase = phase;
            this.enteredAt = enteredAt;
            this.deadline = deadline;
        }
    }

    private static final class Step {
        final RecoveryProcedure procedure;
        StepStatus status = StepStatus.PENDING;
        int attempts;
        Instant startedAt;
        Instant attemptStartedAt;
        Instant endedAt;
        Instant nextAttemptAt;
        Instant approvalRequestedAt;
        boolean approved;
        boolean superseded;
        String outcome;
        FutureTask<Void> task;

        Step(RecoveryProcedure procedure) {
            this.procedure = procedure;
        }

        StepSnapshot snapshot() {
            return new StepSnapshot(procedure.name(), procedure.level(), procedure.phase(), status, procedure.manual(),
                    attempts, startedAt, endedAt, outcome);
        }
    }

    // ------------------------------------------------------------------------------------ API

    @Override
    public String name() {
        return name;
    }

    @Override
    public DisasterRecoveryPlanConfig config() {
        return config;
    }

    @Override
    public IncidentClassifier classifier() {
        return classifier;
    }

    @Override
    public ContinuityPolicy continuity() {
        return continuity;
    }

    @Override
    public void signal(IncidentSignal signal) {
        if (signal == null) {
            throw new IllegalArgumentException("signal must not be null, was null");
        }
        try {
            Classification c = classifier.accept(signal);
            lock.lock();
            try {
                Instant now = clock.instant();
                Incident inc = current;
                if (inc == null) {
                    if (c.newFailure()) {
                        open(c.level(), c.reasons(), now);
                    }
                } else {
                    if (c.level() != null && c.level().isAbove(inc.level)) {
                        escalate(inc, c.level(), "classification: " + c.reasons().get(0), now);
                    }
                    if (c.level() == null && !hasProcedures(inc) && !inc.declared) {
                        close(inc, "no signal fails any more (level " + inc.level.number() + " has no procedure)", now);
                    } else {
                        advance(inc, now);
                    }
                }
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            log.error("Plan {} failed to handle signal {}", name, signal, e);
        }
        flush();
    }

    @Override
    public void declareIncident(DisasterLevel level, String reason) {
        if (level == null) {
            throw new IllegalArgumentException("level must not be null, was null");
        }
        String why = "declared: " + (reason == null ? "by an operator" : reason);
        lock.lock();
        try {
            Instant now = clock.instant();
            if (current == null) {
                open(level, List.of(why), now);
                if (current != null) {
                    current.declared = true;
                }
            } else {
                escalate(current, level, why, now);
                advance(current, now);
            }
        } finally {
            lock.unlock();
        }
        flush();
    }

    @Override
    public boolean resolveIncident(String reason) {
        lock.lock();
        try {
            if (current == null) {
                return false;
            }
            close(current, "resolved: " + (reason == null ? "by an operator" : reason), clock.instant());
            return true;
        } finally {
            lock.unlock();
            flush();
        }
    }

    @Override
    public void tick() {
        try {
            lock.lock();
            try {
                Incident inc = current;
                if (inc != null) {
                    tick(inc, clock.instant());
                }
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            log.error("Plan {} failed in tick", name, e);
        }
        flush();
    }

    @Override
    public boolean approve(String procedure, String approver) {
        return resolveApproval(null, procedure, ApprovalDecision.APPROVED, approver == null ? "an operator" : approver);
    }

    @Override
    public boolean deny(String procedure, String approver) {
        return resolveApproval(null, procedure, ApprovalDecision.DENIED, approver == null ? "an operator" : approver);
    }

    @Override
    public Optional<IncidentSnapshot> currentIncident() {
        lock.lock();
        try {
            return current == null ? Optional.empty() : Optional.of(snapshot(current, clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PlanSnapshot snapshot() {
        DisasterLevel classified = classifier.current().level();
        lock.lock();
        try {
            Instant now = clock.instant();
            return new PlanSnapshot(name, now, continuity.mode(), continuity.operatorMode().orElse(null), classified,
                    current == null ? null : snapshot(current, now), last == null ? null : snapshot(last, now));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PlanEvent> auditTrail() {
        lock.lock();
        try {
            return List.copyOf(trail);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addListener(PlanEventListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null, was null");
        }
        listeners.add(listener);
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "DisasterRecoveryPlan{" + name + ", level=" + levelGauge + ", phase=" + phaseGauge + ", mode="
                + continuity.mode() + "}";
    }

    // ------------------------------------------------------------------------------------ transitions (under lock)

    private void open(DisasterLevel level, List<String> reasons, Instant now) {
        Incident inc = new Incident(name + "-" + (++incidentCount), now);
        inc.reasons.addAll(reasons);
        inc.level = level;
        current = inc;
        levelGauge = level.number();
        emit(Type.INCIDENT_OPENED, inc, null, 0, "level " + level.number() + " (" + level + "): " + String.join("; ", reasons),
                null, now);
        continuity.followLevel(level);
        enterLevel(inc, now);
        advance(inc, now);
    }

    private void enterLevel(Incident inc, Instant now) {
        inc.levelEnteredAt = now;
        for (RecoveryProcedure p : config.procedures(inc.level)) {
            inc.steps.putIfAbsent(p.name(), new Step(p));
        }
        RecoveryPhase first = nextPhaseWithSteps(inc, null);
        enterPhase(inc, first == null ? RecoveryPhase.IMMEDIATE_RESPONSE : first, now);
    }

    private void enterPhase(Incident inc, RecoveryPhase phase, Instant now) {
        inc.phase = phase;
        inc.phaseEnteredAt = now;
        inc.phases.add(new PhaseRecord(inc.level, phase, now, inc.levelEnteredAt.plus(config.timeBox(phase))));
        phaseGauge = phase.ordinal() + 1;
        emit(Type.PHASE_ENTERED, inc, null, 0, phase + ", time box ends " + inc.currentPhase().deadline, null, now);
    }

    private RecoveryPhase nextPhaseWithSteps(Incident inc, RecoveryPhase after) {
        for (RecoveryPhase p : RecoveryPhase.values()) {
            if (after != null && p.ordinal() <= after.ordinal()) {
                continue;
            }
            if (!stepsOf(inc, inc.level, p).isEmpty()) {
                return p;
            }
        }
        return null;
    }

    private boolean hasProcedures(Incident inc) {
        return nextPhaseWithSteps(inc, null) != null;
    }

    private static List<Step> stepsOf(Incident inc, DisasterLevel level, RecoveryPhase phase) {
        List<Step> out = new ArrayList<>();
        for (Step s : inc.steps.values()) {
            if (s.procedure.level() == level && s.procedure.phase() == phase) {
                out.add(s);
            }
        }
        return out;
    }

    /** Moves the incident as far as it can go now: starts the next step, completes phases, closes. */
    private void advance(Incident inc, Instant now) {
        while (inc.status == IncidentStatus.ACTIVE && current == inc) {
            if (!hasProcedures(inc)) {
                return; // closed by the signal that clears the last failure, or by an operator
            }
            for (Step s : stepsOf(inc, inc.level, inc.phase)) {
                switch (s.status) {
                    case SUCCEEDED, SKIPPED -> {
                        continue;
                    }
                    case FAILED, RUNNING, AWAITING_APPROVAL -> {
                        return;
                    }
                    case WAITING_RETRY -> {
                        if (now.isBefore(s.nextAttemptAt)) {
                            return;
                        }
                        start(inc, s, now);
                        return;
                    }
                    case PENDING -> {
                        if (s.procedure.manual() && !s.approved) {
                            requestApproval(inc, s, now);
                        } else {
                            start(inc, s, now);
                        }
                        return;
                    }
                    default -> throw new IllegalStateException("unknown step status " + s.status);
                }
            }
            PhaseRecord record = inc.currentPhase();
            record.endedAt = now;
            Duration took = Duration.between(record.enteredAt, now);
            emit(Type.PHASE_COMPLETED, inc, null, 0, inc.phase + " done in " + took
                    + (now.isAfter(record.deadline) ? ", after its time box" : ", within its time box"), took, now);
            RecoveryPhase next = nextPhaseWithSteps(inc, inc.phase);
            if (next == null) {
                close(inc, "every procedure of level " + inc.level.number() + " succeeded and was validated", now);
                return;
            }
            enterPhase(inc, next, now);
        }
    }

    private void start(Incident inc, Step s, Instant now) {
        s.status = StepStatus.RUNNING;
        int attempt = ++s.attempts;
        s.attemptStartedAt = now;
        if (s.startedAt == null) {
            s.startedAt = now;
        }
        emit(Type.PROCEDURE_STARTED, inc, s.procedure.name(), attempt, "attempt " + attempt + " of "
                + s.procedure.retry().maxAttempts() + ", timeout " + s.procedure.timeout(), null, now);
        RecoveryContext ctx = new RecoveryContext(name, inc.id, inc.level, s.procedure.phase(), attempt,
                classifier.failing(), clock);
        FutureTask<Void> task = new FutureTask<>(() -> {
            runAttempt(inc, s, attempt, ctx);
            return null;
        });
        s.task = task;
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            finishAttempt(inc, s, attempt, false, "executor rejected the attempt: " + e.getMessage(), now);
        }
    }

    /** Runs on the executor. */
    private void runAttempt(Incident inc, Step s, int attempt, RecoveryContext ctx) {
        boolean ok;
        String outcome;
        try {
            s.procedure.execute(ctx);
            ok = s.procedure.validate(ctx);
            outcome = ok ? "succeeded, validated" : "validation failed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
            outcome = "interrupted";
        } catch (Exception | LinkageError | AssertionError e) {
            ok = false;
            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            finishAttempt(inc, s, attempt, ok, outcome, now);
            advance(inc, now);
        } catch (RuntimeException e) {
            log.error("Plan {} failed to record the end of {}", name, s.procedure.name(), e);
        } finally {
            lock.unlock();
        }
        flush();
    }

    private void finishAttempt(Incident inc, Step s, int attempt, boolean ok, String outcome, Instant now) {
        if (s.status != StepStatus.RUNNING || s.attempts != attempt) {
            log.debug("Plan {}: late end of {} attempt {} ignored ({})", name, s.procedure.name(), attempt, outcome);
            return;
        }
        s.task = null;
        s.endedAt = now;
        s.outcome = outcome;
        Duration took = Duration.between(s.attemptStartedAt, now);
        if (ok) {
            s.status = StepStatus.SUCCEEDED;
            emit(Type.PROCEDURE_SUCCEEDED, inc, s.procedure.name(), attempt, outcome, took, now);
            return;
        }
        emit(Type.PROCEDURE_FAILED, inc, s.procedure.name(), attempt, outcome, took, now);
        if (s.superseded || inc.status != IncidentStatus.ACTIVE) {
            s.status = StepStatus.FAILED;
            return;
        }
        RetryPolicy retry = s.procedure.retry();
        if (attempt < retry.maxAttempts()) {
            s.status = StepStatus.WAITING_RETRY;
            s.nextAttemptAt = now.plus(backoff(retry, attempt));
            emit(Type.PROCEDURE_RETRY_SCHEDULED, inc, s.procedure.name(), attempt,
                    "attempt " + (attempt + 1) + " at " + s.nextAttemptAt, null, now);
            return;
        }
        s.status = StepStatus.FAILED;
        escalate(inc, inc.level.next(), "procedure " + s.procedure.name() + " failed after " + attempt + " attempt(s): "
                + outcome, now);
    }

    static Duration backoff(RetryPolicy retry, int attempt) {
        double millis = retry.initialBackoff().toMillis() * Math.pow(retry.multiplier(), attempt - 1);
        long capped = (long) Math.min(millis, retry.maxBackoff().toMillis());
        return Duration.ofMillis(capped);
    }

    private void requestApproval(Incident inc, Step s, Instant now) {
        s.status = StepStatus.AWAITING_APPROVAL;
        s.approvalRequestedAt = now;
        ApprovalRequest request = new ApprovalRequest(name, inc.id, s.procedure.name(), inc.level, s.procedure.phase(), now,
                now.plus(config.approvalTimeout()));
        emit(Type.APPROVAL_REQUESTED, inc, s.procedure.name(), 0, "approval needed before " + request.deadline(), null, now);
        try {
            executor.execute(() -> {
                try {
                    CompletionStage<ApprovalDecision> answer = approvalCallback.request(request);
                    if (answer != null) {
                        answer.whenComplete((decision, error) -> {
                            if (error != null) {
                                log.warn("Plan {}: approval callback failed for {}", name, request.procedure(), error);
                            } else if (decision != null) {
                                resolveApproval(request.incidentId(), request.procedure(), decision, "approval callback");
                            }
                        });
                    }
                } catch (RuntimeException e) {
                    log.warn("Plan {}: approval callback failed for {}", name, request.procedure(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("Plan {}: could not ask for approval of {}: {}", name, request.procedure(), e.getMessage());
        }
    }

    private boolean resolveApproval(String incidentId, String procedure, ApprovalDecision decision, String by) {
        boolean resolved;
        lock.lock();
        try {
            Incident inc = current;
            Step s = inc == null ? null : inc.steps.get(procedure);
            if (inc == null || (incidentId != null && !incidentId.equals(inc.id)) || s == null
                    || s.status != StepStatus.AWAITING_APPROVAL) {
                return false;
            }
            Instant now = clock.instant();
            switch (decision) {
                case APPROVED -> {
                    s.approved = true;
                    s.status = StepStatus.PENDING;
                    emit(Type.APPROVAL_GRANTED, inc, procedure, 0, "approved by " + by, null, now);
                    advance(inc, now);
                }
                case DENIED -> {
                    s.status = StepStatus.FAILED;
                    s.outcome = "approval denied by " + by;
                    s.endedAt = now;
                    emit(Type.APPROVAL_DENIED, inc, procedure, 0, s.outcome, null, now);
                    escalate(inc, inc.level.next(), "approval of " + procedure + " denied by " + by, now);
                    advance(inc, now);
                }
                case HOLD -> {
                    // keep waiting
                }
                default -> throw new IllegalStateException("unknown decision " + decision);
            }
            resolved = true;
        } finally {
            lock.unlock();
        }
        flush();
        return resolved;
    }

    private void tick(Incident inc, Instant now) {
        for (Step s : new ArrayList<>(inc.steps.values())) {
            if (s.status == StepStatus.RUNNING && !now.isBefore(s.attemptStartedAt.plus(s.procedure.timeout()))) {
                FutureTask<Void> task = s.task;
                if (task != null) {
                    task.cancel(true);
                }
                finishAttempt(inc, s, s.attempts, false, "timed out after " + s.procedure.timeout(), now);
            } else if (s.status == StepStatus.AWAITING_APPROVAL
                    && !now.isBefore(s.approvalRequestedAt.plus(config.approvalTimeout()))) {
                s.status = StepStatus.FAILED;
                s.endedAt = now;
                s.outcome = "no approval within " + config.approvalTimeout();
                emit(Type.APPROVAL_TIMED_OUT, inc, s.procedure.name(), 0, s.outcome, null, now);
                escalate(inc, inc.level.next(), "approval of " + s.procedure.name() + " timed out", now);
            }
        }
        if (inc.status == IncidentStatus.ACTIVE) {
            PhaseRecord record = inc.currentPhase();
            if (!record.overran && !now.isBefore(record.deadline)) {
                record.overran = true;
                emit(Type.TIME_BOX_OVERRUN, inc, null, 0, inc.phase + " still running at the end of its time box "
                        + config.timeBox(inc.phase) + " (level " + inc.level.number() + " since " + inc.levelEnteredAt + ")",
                        Duration.between(record.enteredAt, now), now);
                escalate(inc, inc.level.next(), inc.phase + " overran its time box", now);
            }
        }
        advance(inc, now);
    }

    private void escalate(Incident inc, DisasterLevel to, String reason, Instant now) {
        if (inc.status != IncidentStatus.ACTIVE) {
            return;
        }
        if (to == null || !to.isAbove(inc.level)) {
            if (inc.level == DisasterLevel.GLOBAL_CATASTROPHE && to == null) {
                inc.reasons.add(reason);
                emit(Type.OPERATOR_REQUIRED, inc, null, 0, "cannot escalate beyond level 4: " + reason, null, now);
                inc.operatorRequired = true;
            }
            return;
        }
        DisasterLevel from = inc.level;
        for (Step s : inc.steps.values()) {
            if (s.procedure.level() != to) {
                if (s.status == StepStatus.PENDING || s.status == StepStatus.WAITING_RETRY
                        || s.status == StepStatus.AWAITING_APPROVAL) {
                    s.status = StepStatus.SKIPPED;
                    s.outcome = "superseded by escalation to level " + to.number();
                    emit(Type.PROCEDURE_SKIPPED, inc, s.procedure.name(), s.attempts, s.outcome, null, now);
                } else if (s.status == StepStatus.RUNNING) {
                    s.superseded = true;
                }
            }
        }
        PhaseRecord record = inc.currentPhase();
        if (record.endedAt == null) {
            record.endedAt = now;
        }
        inc.level = to;
        inc.reasons.add(reason);
        levelGauge = to.number();
        emit(Type.LEVEL_ESCALATED, inc, null, 0, "level " + from.number() + " -> " + to.number() + ": " + reason, null, now);
        continuity.followLevel(to);
        enterLevel(inc, now);
    }

    private void close(Incident inc, String reason, Instant now) {
        inc.status = IncidentStatus.CLOSED;
        inc.closedAt = now;
        PhaseRecord record = inc.currentPhase();
        if (record.endedAt == null) {
            record.endedAt = now;
        }
        inc.reasons.add(reason);
        for (Step s : inc.steps.values()) {
            if (s.status == StepStatus.PENDING || s.status == StepStatus.WAITING_RETRY
                    || s.status == StepStatus.AWAITING_APPROVAL) {
                s.status = StepStatus.SKIPPED;
                s.outcome = "incident closed";
            }
        }
        current = null;
        last = inc;
        levelGauge = 0;
        phaseGauge = 0;
        emit(Type.INCIDENT_CLOSED, inc, null, 0, reason, Duration.between(inc.openedAt, now), now);
        continuity.followLevel(null);
    }

    private void onModeChange(OperatingMode from, OperatingMode to, String reason) {
        lock.lock();
        try {
            Incident inc = current;
            emit(Type.MODE_CHANGED, inc, null, 0, from + " -> " + to + " (" + reason + ")", null, clock.instant());
        } finally {
            lock.unlock();
        }
        flush();
    }

    private void emit(Type type, Incident inc, String procedure, int attempt, String detail, Duration duration, Instant at) {
        PlanEvent e = new PlanEvent(type, name, ++sequence, inc == null ? null : inc.id, inc == null ? null : inc.level,
                inc == null ? null : inc.phase, continuity.mode(), procedure, attempt, detail, duration, at);
        if (trail.size() == TRAIL_CAPACITY) {
            trail.removeFirst();
        }
        trail.addLast(e);
        outbox.add(e);
        if (type == Type.PROCEDURE_FAILED || type == Type.LEVEL_ESCALATED || type == Type.TIME_BOX_OVERRUN
                || type == Type.APPROVAL_TIMED_OUT || type == Type.OPERATOR_REQUIRED) {
            log.warn("Plan {} {} {}{}: {}", name, e.incidentId(), type, procedure == null ? "" : " " + procedure, e.detail());
        } else {
            log.info("Plan {} {} {}{}: {}", name, e.incidentId(), type, procedure == null ? "" : " " + procedure, e.detail());
        }
    }

    /** Hands queued events to the audit sink and listeners, outside the plan's lock, in order. */
    private void flush() {
        if (lock.isHeldByCurrentThread()) {
            return;
        }
        dispatchLock.lock();
        try {
            PlanEvent e;
            while ((e = outbox.poll()) != null) {
                try {
                    auditSink.record(e);
                } catch (RuntimeException ex) {
                    log.warn("Plan {}: audit sink failed on event {}", name, e.sequence(), ex);
                }
                for (PlanEventListener l : listeners) {
                    try {
                        l.onEvent(e);
                    } catch (RuntimeException ex) {
                        log.warn("Plan {}: listener failed on event {}", name, e.sequence(), ex);
                    }
                }
            }
        } finally {
            dispatchLock.unlock();
        }
    }

    private IncidentSnapshot snapshot(Incident inc, Instant now) {
        List<StepSnapshot> done = new ArrayList<>();
        List<StepSnapshot> pending = new ArrayList<>();
        for (Step s : inc.steps.values()) {
            (s.status.isTerminal() ? done : pending).add(s.snapshot());
        }
        List<PhaseSnapshot> phases = new ArrayList<>();
        for (PhaseRecord r : inc.phases) {
            phases.add(new PhaseSnapshot(r.level, r.phase, r.enteredAt, r.endedAt, r.deadline, r.overran));
        }
        Instant end = inc.closedAt == null ? now : inc.closedAt;
        return new IncidentSnapshot(inc.id, inc.status, inc.level, inc.phase, inc.openedAt, inc.levelEnteredAt,
                inc.phaseEnteredAt, inc.closedAt, Duration.between(inc.phaseEnteredAt, end),
                inc.levelEnteredAt.plus(config.timeBox(inc.phase)), continuity.mode(), inc.reasons, done, pending, phases);
    }
}
