package io.qudag.resilience.recovery.plan;

import io.qudag.resilience.core.plan.RecoveryContext;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.RecoveryProcedures;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.RecoveryObjectives;
import io.qudag.resilience.recovery.RecoveryRequest;
import io.qudag.resilience.recovery.RecoveryResult;
import io.qudag.resilience.recovery.RecoveryTarget;
import io.qudag.resilience.recovery.spi.StateValidator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Built-in recovery procedures of the recovery module for a {@code DisasterRecoveryPlan} (spec §4.3,
 * "data recovery initiation"; spec §4.1 automated recovery). They return core's
 * {@link RecoveryProcedures.Builder}, so the caller sets the level (required) and may change phase,
 * timeout and retry policy before {@code build()}.
 */
public final class RecoveryPlanProcedures {

    /** Timeout of {@link #restoreFromLastGoodSnapshot} when the manager states no recovery time objective. */
    public static final Duration DEFAULT_RESTORE_TIMEOUT = Duration.ofMinutes(5);

    private RecoveryPlanProcedures() {
    }

    /**
     * Restores {@code manager}'s live state from the last good snapshot plus the good journal records:
     * the action runs {@link RecoveryManager#scrub()} (damaged segments are quarantined, never deleted)
     * and then a committed {@link RecoveryManager#recover recovery} to the newest record, which starts
     * from the newest snapshot that passes its checksum. The manager's own validators run inside that
     * recovery; a rejected state fails the attempt.
     *
     * <p>Validation passes when the attempt's recovery was committed, the live state still includes
     * every record it recovered, and each of {@code validators} accepts the live state.
     *
     * <p>Idempotent: a second run finds nothing to quarantine and recovers the same state. Defaults:
     * phase {@link RecoveryPhase#SHORT_TERM}; timeout the manager's RTO objective when it has one,
     * otherwise {@link #DEFAULT_RESTORE_TIMEOUT}.
     *
     * @param <S>        the state type
     * @param name       the procedure's name
     * @param manager    the manager whose state is restored
     * @param validators judge the live state after the restore
     * @return a procedure builder with the action and the validation set
     * @throws IllegalArgumentException naming the field for a null manager or validator
     */
    @SafeVarargs
    public static <S> RecoveryProcedures.Builder restoreFromLastGoodSnapshot(String name, RecoveryManager<S> manager,
            StateValidator<S>... validators) {
        if (manager == null) {
            throw new IllegalArgumentException("manager must not be null, was null");
        }
        if (validators == null) {
            throw new IllegalArgumentException("validators must not be null, was null");
        }
        for (int i = 0; i < validators.length; i++) {
            if (validators[i] == null) {
                throw new IllegalArgumentException("validators[" + i + "] must not be null, was null");
            }
        }
        List<StateValidator<S>> checks = List.of(validators);
        // the last committed recovery per incident, read by the validation of the same attempt
        ConcurrentMap<String, RecoveryResult<S>> results = new ConcurrentHashMap<>();
        RecoveryObjectives objectives = manager.objectives();
        Duration timeout = objectives != null ? objectives.expectedRto() : DEFAULT_RESTORE_TIMEOUT;
        return RecoveryProcedures.builder(name).phase(RecoveryPhase.SHORT_TERM).timeout(timeout)
                .action(ctx -> {
                    results.remove(key(ctx));
                    manager.scrub();
                    results.put(key(ctx), manager.recover(RecoveryRequest.to(RecoveryTarget.latest())));
                })
                .validation(ctx -> {
                    RecoveryResult<S> result = results.remove(key(ctx));
                    if (result == null || !result.committed()
                            || manager.lastAppliedSequence() < result.lastSequence()) {
                        return false;
                    }
                    S live = manager.current();
                    for (StateValidator<S> v : checks) {
                        if (v.validate(live) != null) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static String key(RecoveryContext ctx) {
        return ctx.incidentId() + '#' + ctx.attempt();
    }
}
