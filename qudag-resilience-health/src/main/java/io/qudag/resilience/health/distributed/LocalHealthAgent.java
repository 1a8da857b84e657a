package io.qudag.resilience.health.distributed;

import io.qudag.resilience.health.CompositeHealth;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The local health agent of spec §2.2: one process's {@link HealthMonitoringSystem} (system metrics,
 * application monitoring, local anomaly detection) reported as an aggregate whose score is the mean of
 * its subjects' composites (subjects without data left out), and a {@link InProcessVoteTransport.Voter}
 * that votes with this process's own score as the local criterion.
 */
public final class LocalHealthAgent implements HealthAggregator {

    private final String name;
    private final HealthMonitoringSystem system;

    /**
     * An agent reporting the health of {@code system}'s subjects.
     *
     * @param name the agent's (node's) name
     * @param system the local monitoring system
     */
    public LocalHealthAgent(String name, HealthMonitoringSystem system) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + name);
        }
        if (system == null) {
            throw new IllegalArgumentException("system must not be null, was null");
        }
        this.name = name;
        this.system = system;
    }

    @Override
    public AggregateHealth aggregate() {
        List<AggregateHealth> parts = new ArrayList<>();
        double sum = 0;
        int n = 0;
        int unhealthy = 0;
        for (String subject : system.subjects()) {
            CompositeHealth h = system.health(subject);
            parts.add(new AggregateHealth(subject, AggregateHealth.Level.SUBJECT, h.status(), h.score(),
                    h.status() == HealthStatus.CRITICAL ? 1 : 0, List.of()));
            if (h.score().isPresent()) {
                sum += h.score().getAsDouble();
                n++;
            }
            if (h.status() == HealthStatus.CRITICAL) {
                unhealthy++;
            }
        }
        return HealthCoordinator.of(name, AggregateHealth.Level.LOCAL, n == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(sum / n), unhealthy, parts);
    }

    /**
     * {@return a voter whose local criterion is this process's composite of the subject voted on (empty
     * without data); the other criteria come from the given sources (return empty when unknown)}
     *
     * @param peer the peer assessment
     * @param external the external monitoring score
     * @param userExperience the real-user monitoring score
     */
    public InProcessVoteTransport.Voter voter(ScoreSource peer, ScoreSource external, ScoreSource userExperience) {
        return (subject, round) -> new HealthVote(name, subject, round, system.health(subject).score(),
                peer.score(subject), external.score(subject), userExperience.score(subject));
    }

    /** A per-subject score from somewhere (peer checks, an external monitor, real-user monitoring). */
    @FunctionalInterface
    public interface ScoreSource {
        /**
         * {@return the subject's score in [0, 100], or empty when unknown}
         *
         * @param subject the subject assessed
         */
        OptionalDouble score(String subject);
    }
}
