package io.qudag.resilience.health.distributed;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one assessment round of the health consensus (spec §2.2).
 *
 * @param subject   the subject
 * @param round     the round
 * @param outcome   DECIDED, NO_AGREEMENT (no verdict reached its required share) or NO_QUORUM (fewer
 *                  votes than the minimum arrived in time)
 * @param verdict   the agreed verdict when DECIDED
 * @param ballots   each answering member's weighted score and verdict
 * @param timedOut  members whose vote did not arrive in time (or failed)
 * @param members   the cluster size the shares are taken of
 * @param at        when the round ended
 */
public record ConsensusDecision(String subject, long round, Outcome outcome, Optional<HealthVerdict> verdict,
                                Map<String, Ballot> ballots, List<String> timedOut, int members, Instant at) {

    /** Whether a verdict was reached. */
    public enum Outcome {
        /** A verdict reached its required share of the members. */
        DECIDED,
        /** Enough ballots came in, but no verdict reached its required share. */
        NO_AGREEMENT,
        /** Fewer ballots than {@code minimumNodes} came in. */
        NO_QUORUM
    }

    /** One member's weighted score and the verdict it implies. */
    public record Ballot(double score, HealthVerdict verdict) {
    }

    /**
     * Checks the decision's components.
     *
     * @param subject the subject
     * @param round the round
     * @param outcome DECIDED, NO_AGREEMENT (no verdict reached its required share) or NO_QUORUM (fewer
     *     votes than the minimum arrived in time)
     * @param verdict the agreed verdict when DECIDED
     * @param ballots each answering member's weighted score and verdict
     * @param timedOut members whose vote did not arrive in time (or failed)
     * @param members the cluster size the shares are taken of
     * @param at when the round ended
     */
    public ConsensusDecision {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(verdict, "verdict");
        ballots = Map.copyOf(ballots);
        timedOut = List.copyOf(timedOut);
        Objects.requireNonNull(at, "at");
    }
}
