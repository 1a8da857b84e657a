package io.qudag.resilience.health.distributed;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One node's vote on a subject in one assessment round (spec §2.2 {@code health_voting_mechanism}):
 * the four scores the spec's criteria weigh, each 0–100 or absent when the node has none.
 *
 * @param voter          the voting node
 * @param subject        the subject voted on
 * @param round          the assessment round
 * @param local          self-reported health (the node's own composite score)
 * @param peer           the node's cross-validation checks of the subject
 * @param external       third-party monitoring
 * @param userExperience real-user monitoring
 */
public record HealthVote(String voter, String subject, long round, OptionalDouble local, OptionalDouble peer,
                         OptionalDouble external, OptionalDouble userExperience) {

    /**
     * Checks the vote: no null component, every present score in [0, 100], at least one score present.
     *
     * @param voter the voting node
     * @param subject the subject voted on
     * @param round the assessment round
     * @param local self-reported health (the node's own composite score)
     * @param peer the node's cross-validation checks of the subject
     * @param external third-party monitoring
     * @param userExperience real-user monitoring
     */
    public HealthVote {
        Objects.requireNonNull(voter, "voter");
        Objects.requireNonNull(subject, "subject");
        check("local", local);
        check("peer", peer);
        check("external", external);
        check("userExperience", userExperience);
        if (local.isEmpty() && peer.isEmpty() && external.isEmpty() && userExperience.isEmpty()) {
            throw new IllegalArgumentException("vote of " + voter + " must carry at least one score, had none");
        }
    }

    /**
     * {@return a vote with all four scores}
     *
     * @param voter the member voting
     * @param subject the subject assessed
     * @param round the round number
     * @param local the self-reported score
     * @param peer the peer assessment
     * @param external the external monitoring score
     * @param userExperience the real-user monitoring score
     */
    public static HealthVote of(String voter, String subject, long round, double local, double peer, double external,
                                double userExperience) {
        return new HealthVote(voter, subject, round, OptionalDouble.of(local), OptionalDouble.of(peer),
                OptionalDouble.of(external), OptionalDouble.of(userExperience));
    }

    private static void check(String field, OptionalDouble v) {
        Objects.requireNonNull(v, field);
        if (v.isPresent() && !(v.getAsDouble() >= 0 && v.getAsDouble() <= 100)) {
            throw new IllegalArgumentException(field + " must be in [0, 100], was " + v.getAsDouble());
        }
    }
}
