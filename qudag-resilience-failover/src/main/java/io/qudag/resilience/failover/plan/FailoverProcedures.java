package io.qudag.resilience.failover.plan;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.RecoveryProcedures;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.EndpointStatus;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.RoutingSnapshot;
import java.time.Duration;

/**
 * The failover module's built-in recovery procedures for a disaster-recovery plan (spec §4.3,
 * short-term recovery "alternative system activation"; spec §1.1 failover tiers). Each returns a
 * {@link RecoveryProcedures.Builder} with phase and timeout preset; set the level (and change
 * anything else) before {@code build()}.
 */
public final class FailoverProcedures {

    /** Default timeout of one attempt of {@link #activateTier}. */
    public static final Duration DEFAULT_ACTIVATE_TIMEOUT = Duration.ofSeconds(30);
    /** Default timeout of one attempt of {@link #validateTierRecovered}. */
    public static final Duration DEFAULT_VALIDATE_TIMEOUT = Duration.ofSeconds(10);

    private FailoverProcedures() {
    }

    /**
     * Activates the alternative tier: forces a failover (through {@code engine}, so it is decided,
     * audited and can be rolled back like any other) of every endpoint of {@code failed} that still
     * takes traffic, so that the group routes to the next tiers. Idempotent: endpoints already out are
     * left alone. Validation: {@code alternative} takes a share of the traffic and is not in panic
     * mode (some of its endpoints are healthy). The forced endpoints come back by themselves through
     * the group's health checks and ramp; a forced failover is not a failure for {@link
     * FailoverPlanSignals}, so the step does not raise the incident it answers.
     *
     * <p>Defaults: phase {@link RecoveryPhase#SHORT_TERM}, timeout {@link #DEFAULT_ACTIVATE_TIMEOUT}.
     *
     * @param name the procedure's name, unique in a plan
     * @param engine forces the failovers, so they are decided and audited
     * @param failed the tier to move traffic away from
     * @param alternative the tier that should take the traffic
     * @return a procedure builder with phase and timeout preset
     * @throws IllegalArgumentException for a null argument, equal tiers, or a tier the group does not have
     */
    public static RecoveryProcedures.Builder activateTier(String name, FailoverDecisionEngine engine,
            FailoverTier failed, FailoverTier alternative) {
        require("engine", engine);
        require("failed", failed);
        require("alternative", alternative);
        if (failed == alternative) {
            throw new IllegalArgumentException("alternative must differ from failed, was " + alternative);
        }
        EndpointGroup group = engine.group();
        requireTier(group, "failed", failed);
        requireTier(group, "alternative", alternative);
        return RecoveryProcedures.builder(name).phase(RecoveryPhase.SHORT_TERM).timeout(DEFAULT_ACTIVATE_TIMEOUT)
                .action(ctx -> {
                    for (EndpointStatus s : group.statuses()) {
                        if (s.endpoint().tier() == failed && s.state().routable()) {
                            try {
                                engine.forceFailover(s.id());
                            } catch (IllegalStateException notDone) {
                                // moved meanwhile, or this instance is not the leader: the validation decides
                            }
                        }
                    }
                })
                .validation(ctx -> {
                    RoutingSnapshot routing = group.routing();
                    return routing.tierLoadPercent().getOrDefault(alternative, 0) > 0
                            && !routing.panicTiers().contains(alternative)
                            && routing.tierAvailability().getOrDefault(alternative, 0.0) > 0;
                });
    }

    /**
     * {@return recovery validation for a tier (spec §4.3 "Recovery Validation"): passes when every endpoint of
     * {@code tier} that is not drained takes traffic again} Give it a retry policy so that it waits for
     * the group's recovery; its success closes an incident whose other steps are done.
     *
     * <p>Defaults: phase {@link RecoveryPhase#MEDIUM_TERM}, timeout {@link #DEFAULT_VALIDATE_TIMEOUT}.
     *
     * @param name the procedure's name, unique in a plan
     * @param group the endpoint group
     * @param tier the tier that must take traffic again
     * @throws IllegalArgumentException for a null argument or a tier the group does not have
     */
    public static RecoveryProcedures.Builder validateTierRecovered(String name, EndpointGroup group, FailoverTier tier) {
        require("group", group);
        require("tier", tier);
        requireTier(group, "tier", tier);
        return RecoveryProcedures.builder(name).phase(RecoveryPhase.MEDIUM_TERM).timeout(DEFAULT_VALIDATE_TIMEOUT)
                .action(ctx -> { })
                .validation(ctx -> {
                    for (EndpointStatus s : group.statuses()) {
                        if (s.endpoint().tier() == tier && s.state() != EndpointState.DRAINED && !s.state().routable()) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static void requireTier(EndpointGroup group, String field, FailoverTier tier) {
        if (group.endpoints().stream().noneMatch(e -> e.tier() == tier)) {
            throw new IllegalArgumentException(field + " must be a tier of group " + group.name() + ", was " + tier);
        }
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null, was null");
        }
    }
}
