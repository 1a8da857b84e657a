package io.qudag.resilience.health.http;

import io.qudag.resilience.core.health.HealthAction;
import io.qudag.resilience.health.HealthMonitoringSystem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Liveness and readiness with Kubernetes semantics (spec §2.1 health status reporting).
 * <ul>
 *   <li><b>Liveness</b> fails only when restarting the process would help: the collection task was
 *       started and has not finished a collection for {@value #STALL_TICKS} ticks (it is stuck). Bad
 *       scores of dependencies never fail liveness, or one sick server would get every client
 *       restarted.</li>
 *   <li><b>Readiness</b> fails while this instance should get no traffic: sources are registered but
 *       nothing has been collected yet (warming up), or one of the readiness subjects is below the
 *       failover threshold (core's {@code ACTIVATE_FAILOVER} is due, score &lt; 40). By default every
 *       subject counts; name the subjects that describe this instance itself (e.g. "system").</li>
 * </ul>
 * An open disaster-recovery incident (spec §4.3) does not fail readiness by itself: the plan keeps
 * critical functions served in a reduced mode, and taking the instance out would drop those too.
 */
public final class HealthProbes {

    /** Ticks without a finished collection after which liveness fails. */
    public static final int STALL_TICKS = 3;

    private final HealthMonitoringSystem system;
    private final Set<String> readinessSubjects;

    /**
     * @param system the monitoring system probed
     * @param readinessSubjects the subjects whose health decides readiness; empty means all
     */
    public HealthProbes(HealthMonitoringSystem system, Set<String> readinessSubjects) {
        if (system == null) {
            throw new IllegalArgumentException("system must not be null, was null");
        }
        if (readinessSubjects == null) {
            throw new IllegalArgumentException("readinessSubjects must not be null, was null");
        }
        this.system = system;
        this.readinessSubjects = Set.copyOf(readinessSubjects);
    }

    /** The answer of one probe. */
    public record Result(boolean up, String reason) {
        /** {@return "UP" or "DOWN"} */
        public String status() {
            return up ? "UP" : "DOWN";
        }
    }

    /** {@return the liveness verdict: DOWN only when no collection finished for several ticks} */
    public Result liveness() {
        Optional<Duration> tick = system.tick();
        Optional<Instant> last = system.lastCollect();
        if (tick.isPresent() && last.isPresent()) {
            Duration since = Duration.between(last.get(), system.clock().instant());
            if (since.compareTo(tick.get().multipliedBy(STALL_TICKS)) > 0) {
                return new Result(false, "no collection finished for " + since.toMillis() + " ms (tick "
                        + tick.get().toMillis() + " ms)");
            }
        }
        return new Result(true, "collector running");
    }

    /** {@return the readiness verdict: DOWN while warming up or while a readiness subject scores too low} */
    public Result readiness() {
        if (!system.sourceStates().isEmpty() && system.lastCollect().isEmpty()) {
            return new Result(false, "warming up: nothing collected yet");
        }
        List<String> subjects = readinessSubjects.isEmpty() ? system.subjects() : List.copyOf(readinessSubjects);
        for (String s : subjects) {
            if (system.activeActions(s).contains(HealthAction.ACTIVATE_FAILOVER)) {
                return new Result(false, s + " is below the failover threshold");
            }
        }
        return new Result(true, "ready");
    }
}
