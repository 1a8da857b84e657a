package io.qudag.resilience.health.distributed;

import io.qudag.resilience.health.spi.VoteTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A {@link VoteTransport} for nodes in one process (spec §2.2): each member is a {@link Voter} run on
 * the given executor. A member can be {@linkplain #partition(String, boolean) partitioned}: its
 * requests then never complete, as with a node that does not answer.
 */
public final class InProcessVoteTransport implements VoteTransport {

    /** Produces a node's vote. */
    @FunctionalInterface
    public interface Voter {
        /**
         * Votes on {@code subject} in one round.
         *
         * @param subject the subject assessed
         * @param round the round number
         * @return the vote
         */
        HealthVote vote(String subject, long round);
    }

    private final Map<String, Voter> voters;
    private final Executor executor;
    private final Map<String, Boolean> partitioned = new ConcurrentHashMap<>();

    /**
     * @param voters   member name to its voter, in member order
     * @param executor where voters run
     */
    public InProcessVoteTransport(Map<String, Voter> voters, Executor executor) {
        if (voters == null || executor == null) {
            throw new IllegalArgumentException("voters and executor must not be null, were " + voters + ", " + executor);
        }
        voters.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("voters must map non-blank names to voters, had " + k + " -> " + v);
            }
        });
        this.voters = new LinkedHashMap<>(voters);
        this.executor = executor;
    }

    /**
     * Cuts {@code member} off (its votes never arrive) or reconnects it.
     *
     * @param member the member
     * @param cutOff true cuts it off; false reconnects it
     */
    public void partition(String member, boolean cutOff) {
        partitioned.put(member, cutOff);
    }

    @Override
    public List<String> members() {
        return new ArrayList<>(voters.keySet());
    }

    @Override
    public CompletionStage<HealthVote> requestVote(String member, String subject, long round) {
        Voter v = voters.get(member);
        if (v == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown member " + member));
        }
        if (Boolean.TRUE.equals(partitioned.get(member))) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.supplyAsync(() -> v.vote(subject, round), executor);
    }
}
