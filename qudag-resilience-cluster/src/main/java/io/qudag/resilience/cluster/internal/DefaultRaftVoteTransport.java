package io.qudag.resilience.cluster.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.cluster.ClusterPeer;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.RaftVoteTransport;
import io.qudag.resilience.cluster.ReplicatedEntry;
import io.qudag.resilience.cluster.event.ClusterListener;
import io.qudag.resilience.health.distributed.HealthConsensus;
import io.qudag.resilience.health.distributed.HealthVote;
import io.qudag.resilience.health.distributed.InProcessVoteTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RaftVoteTransport} (spec §2.2 health consensus over the Raft log of §1.2). Commands are
 * JSON values in {@link RaftVoteTransport#NAMESPACE}, one key per subject and kind (and voter), so the
 * replicated state stays bounded; what counts is the order in which the entries are applied.
 */
public final class DefaultRaftVoteTransport implements RaftVoteTransport {

    private static final Logger log = LoggerFactory.getLogger(DefaultRaftVoteTransport.class);
    private static final int KEPT_ROUNDS = 1024;

    /** One command of the protocol: OPEN (round = its log index), VOTE or CLOSE. */
    record Command(String type, String subject, long round, String voter, long openedAtMillis, Double local,
                   Double peer, Double external, Double userExperience) {
    }

    /** What this peer knows about one round. Guarded by itself. */
    private final class Round {
        final String subject;
        final long round;
        final Map<String, CompletableFuture<HealthVote>> futures = new LinkedHashMap<>();
        final Map<String, HealthVote> votes = new LinkedHashMap<>();
        boolean ended;
        String failure;

        Round(String subject, long round) {
            this.subject = subject;
            this.round = round;
            for (String m : members) {
                futures.put(m, new CompletableFuture<>());
            }
        }

        /** The round ends as the log says: committed votes count, the others did not arrive. */
        synchronized void end(String why) {
            if (ended) {
                return;
            }
            ended = true;
            Map<String, HealthVote> counted = Map.copyOf(votes);
            log.debug("health round {} on {} ended ({}): votes of {}", round, subject, why, counted.keySet());
            runAsync(() -> futures.forEach((m, f) -> {
                HealthVote v = counted.get(m);
                if (v != null) {
                    f.complete(v);
                } else {
                    f.completeExceptionally(new IllegalStateException("vote of " + m + " on " + subject + " round "
                            + round + " was not committed before the round ended (" + why + ")"));
                }
            }));
        }

        /** This peer cannot reach the group: it counts nothing, so its consensus decides nothing. */
        synchronized void fail(String why) {
            if (ended) {
                return;
            }
            ended = true;
            failure = why;
            log.warn("health round {} on {} decides nothing on peer {}: {}", round, subject, localId, why);
            runAsync(() -> futures.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why))));
        }
    }

    private final RaftCluster cluster;
    private final InProcessVoteTransport.Voter voter;
    private final Duration voteWindow;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final List<String> members;
    private final String localId;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Round> rounds = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Round> eldest) {
            return size() > KEPT_ROUNDS;
        }
    };
    private final ClusterListener listener = new ClusterListener() {
        @Override
        public void onApplied(ReplicatedEntry entry) {
            if (NAMESPACE.equals(entry.namespace())) {
                applied(entry);
            }
        }
    };
    private volatile HealthConsensus consensus;
    private volatile boolean closed;

    public DefaultRaftVoteTransport(RaftCluster cluster, InProcessVoteTransport.Voter voter, Duration voteWindow,
                                    ScheduledExecutorService scheduler, Clock clock) {
        this.cluster = cluster;
        this.voter = voter;
        this.voteWindow = voteWindow;
        this.scheduler = scheduler;
        this.clock = clock;
        this.members = cluster.config().peers().stream().map(ClusterPeer::id).toList();
        this.localId = cluster.config().localPeerId();
        cluster.addListener(listener);
    }

    @Override
    public List<String> members() {
        return members;
    }

    @Override
    public CompletionStage<HealthVote> requestVote(String member, String subject, long round) {
        if (!members.contains(member)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("member must be one of " + members
                    + ", was " + member));
        }
        return round(subject, round).futures.get(member);
    }

    @Override
    public CompletableFuture<Long> openRound(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, was " + subject);
        }
        Command open = new Command("OPEN", subject, 0, localId, clock.millis(), null, null, null, null);
        return cluster.replicate(NAMESPACE, "open/" + subject, json(open)).thenApply(ReplicatedEntry::index);
    }

    @Override
    public void bind(HealthConsensus consensus) {
        if (consensus == null) {
            throw new IllegalArgumentException("consensus must not be null, was null");
        }
        this.consensus = consensus;
    }

    @Override
    public Optional<String> failure(String subject, long round) {
        Round r;
        synchronized (rounds) {
            r = rounds.get(subject + '\u0000' + round);
        }
        if (r == null) {
            return Optional.empty();
        }
        synchronized (r) {
            return Optional.ofNullable(r.failure);
        }
    }

    @Override
    public void close() {
        closed = true;
        cluster.removeListener(listener);
        List<Round> open;
        synchronized (rounds) {
            open = List.copyOf(rounds.values());
        }
        open.forEach(r -> r.fail("vote transport of " + localId + " closed"));
    }

    private Round round(String subject, long round) {
        synchronized (rounds) {
            return rounds.computeIfAbsent(subject + '\u0000' + round, k -> new Round(subject, round));
        }
    }

    /** On Ratis' apply thread, in log order: short, never blocks. */
    private void applied(ReplicatedEntry entry) {
        Command c;
        try {
            c = mapper.readValue(entry.value(), Command.class);
        } catch (JsonProcessingException e) {
            log.warn("ignoring malformed health consensus entry at index {}: {}", entry.index(), e.toString());
            return;
        }
        switch (c.type()) {
            case "OPEN" -> opened(c.subject(), entry.index(), c.openedAtMillis());
            case "VOTE" -> voted(c, entry.index());
            case "CLOSE" -> round(c.subject(), c.round()).end("closed by " + entry.origin() + " at index "
                    + entry.index());
            default -> log.warn("ignoring health consensus entry of unknown type {} at index {}", c.type(),
                    entry.index());
        }
    }

    private void opened(String subject, long round, long openedAtMillis) {
        Round r = round(subject, round);
        if (closed || clock.millis() - openedAtMillis > 2 * voteWindow.toMillis()) {
            // A replay of an old opening (restart) or a closed transport: nothing to vote on any more.
            r.end("opened too long ago");
            return;
        }
        runAsync(() -> castVote(subject, round));
        HealthConsensus hc = consensus;
        if (hc != null) {
            runAsync(() -> hc.assess(subject, round));
        }
        try {
            scheduler.schedule(() -> proposeClose(r), voteWindow.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            r.fail("scheduler rejected the vote window timer: " + e);
        }
    }

    private void voted(Command c, long index) {
        HealthVote v;
        try {
            v = new HealthVote(c.voter(), c.subject(), c.round(), opt(c.local()), opt(c.peer()), opt(c.external()),
                    opt(c.userExperience()));
        } catch (RuntimeException e) {
            log.warn("ignoring invalid health vote at index {}: {}", index, e.toString());
            return;
        }
        if (!members.contains(v.voter())) {
            log.warn("ignoring health vote of non-member {} at index {}", v.voter(), index);
            return;
        }
        Round r = round(c.subject(), c.round());
        boolean all;
        synchronized (r) {
            if (r.ended) {
                return; // late: the round ended before this vote was committed
            }
            r.votes.putIfAbsent(v.voter(), v); // a member's first committed vote counts, once
            all = r.votes.size() == members.size();
        }
        if (all) {
            r.end("every member voted by index " + index);
        }
    }

    private void castVote(String subject, long round) {
        HealthVote v;
        try {
            v = voter.vote(subject, round);
        } catch (RuntimeException e) {
            log.warn("peer {} could not vote on {} round {}: {}", localId, subject, round, e.toString());
            return;
        }
        if (v == null) {
            return;
        }
        Command c = new Command("VOTE", subject, round, localId, 0, val(v.local()), val(v.peer()), val(v.external()),
                val(v.userExperience()));
        cluster.replicate(NAMESPACE, "vote/" + localId + "/" + subject, json(c)).whenComplete((e, err) -> {
            if (err != null) {
                log.warn("vote of {} on {} round {} not committed: {}", localId, subject, round, err.toString());
            }
        });
    }

    private void proposeClose(Round r) {
        synchronized (r) {
            if (r.ended) {
                return;
            }
        }
        Command c = new Command("CLOSE", r.subject, r.round, localId, 0, null, null, null, null);
        cluster.replicate(NAMESPACE, "close/" + r.subject, json(c)).whenComplete((e, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                r.fail("no quorum to close the round: " + cause.getMessage() + "; cluster: "
                        + cluster.status().reason());
            }
        });
    }

    private void runAsync(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("health consensus task dropped, scheduler shut down: {}", e.toString());
        }
    }

    private String json(Command c) {
        try {
            return mapper.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health consensus command not serialisable: " + c, e);
        }
    }

    private static Double val(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }

    private static OptionalDouble opt(Double d) {
        return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    @Override
    public String toString() {
        return "RaftVoteTransport{" + localId + " of " + members + '}';
    }
}
