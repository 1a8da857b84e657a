package io.qudag.resilience.core.plan.spi;

import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.RecoveryContext;
import io.qudag.resilience.core.plan.RecoveryPhase;
import java.time.Duration;

/**
 * One step of a disaster-recovery plan (spec §4.3, "Recovery Procedures"): an action that answers
 * incidents of one {@link #level()} in one {@link #phase()}, such as isolating breakers, activating
 * an alternative tier, restoring data or validating recovery. Modules contribute implementations;
 * {@code RecoveryProcedures} builds them from lambdas.
 *
 * <p>The plan runs a procedure at most once per incident (plus the retries of {@link #retry()}), on
 * its executor, never on the thread that reported a signal. {@link #execute} must be idempotent: a
 * retry or a re-run after a crash repeats it. An attempt fails when {@link #execute} throws, when
 * {@link #validate} answers {@code false}, or when it runs longer than {@link #timeout()} (the plan
 * then interrupts it). A {@link #manual()} procedure waits for an approval first.
 */
public interface RecoveryProcedure {

    /** One attempt, no retry. */
    RetryPolicy SINGLE_ATTEMPT = RetryPolicy.builder().maxAttempts(1).build();

    /** {@return a name unique within the plan; it keys the audit trail} */
    String name();

    /** {@return the disaster level this procedure answers} */
    DisasterLevel level();

    /** {@return the phase it belongs to} */
    RecoveryPhase phase();

    /**
     * The idempotent action.
     *
     * @param context the incident and the signals that are failing
     * @throws Exception when the action failed (the procedure is retried or fails)
     */
    void execute(RecoveryContext context) throws Exception;

    /**
     * Checks after {@link #execute} that the action had its effect; default: always.
     *
     * @param context the incident and the signals that are failing
     * @return true when the action had its effect
     * @throws Exception when the check itself failed (counts as not validated)
     */
    default boolean validate(RecoveryContext context) throws Exception {
        return true;
    }

    /** {@return how long one attempt may run; required (a plan with a procedure without timeout fails to build)} */
    Duration timeout();

    /**
     * {@return how often a failing attempt is repeated and how long the plan waits between attempts
     * ({@link RetryPolicy#maxAttempts()}, {@link RetryPolicy#initialBackoff()}, {@link
     * RetryPolicy#multiplier()}, {@link RetryPolicy#maxBackoff()}; jitter does not apply: waits are
     * timed by the plan's clock)} Default: {@link #SINGLE_ATTEMPT}. After the last failed attempt the
     * plan escalates the incident.
     */
    default RetryPolicy retry() {
        return SINGLE_ATTEMPT;
    }

    /** {@return whether an approval must be given before it runs (spec: multi-level approval); default false} */
    default boolean manual() {
        return false;
    }
}
