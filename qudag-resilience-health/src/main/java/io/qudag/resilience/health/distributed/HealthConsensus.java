package io.qudag.resilience.health.distributed;

import io.qudag.resilience.health.spi.VoteTransport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health consensus protocol of spec §2.2. Each round asks every member (through a
 * {@link VoteTransport}) for its {@link HealthVote} on a subject and waits at most the timeout. Each
 * vote becomes one ballot: the weighted mean of its scores (local 0.4, peer 0.3, external 0.2, user
 * experience 0.1; absent scores are left out and the rest renormalised), and the verdict of that
 * score ({@link HealthVerdict#of}). The decision, with {@code N} the number of members:
 * <ol>
 *   <li>fewer than {@code minimumNodes} ballots: NO_QUORUM;</li>
 *   <li>UNHEALTHY ballots &gt;= {@code decisionThreshold} x N (supermajority): UNHEALTHY;</li>
 *   <li>HEALTHY ballots &gt; N / 2 (majority): HEALTHY;</li>
 *   <li>DEGRADED plus UNHEALTHY ballots &gt; N / 2 (a majority finds it not healthy, without a
 *       supermajority for unhealthy): DEGRADED;</li>
 *   <li>otherwise NO_AGREEMENT.</li>
 * </ol>
 * A member that times out counts in N but agrees with nothing, so silence never makes a verdict
 * easier. Fewer than 3 members are refused when the consensus is created.
 */
public final class HealthConsensus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthConsensus.class);

    private final ConsensusConfig config;
    private final VoteTransport transport;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final AtomicLong rounds = new AtomicLong();
    private final List<Consumer<ConsensusDecision>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ConsensusDecision> last = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> task;

    /**
     * A consensus over the members of {@code transport}.
     *
     * @param config timing, quorum, decision threshold and vote weights
     * @param transport collects the members' votes
     * @param scheduler runs the timeouts and the periodic assessment
     * @param clock stamps the decisions
     * @throws IllegalArgumentException when the transport has fewer members than {@code minimumNodes}
     */
    public HealthConsensus(ConsensusConfig config, VoteTransport transport, ScheduledExecutorService scheduler,
                           Clock clock) {
        if (config == null || transport == null || scheduler == null || clock == null) {
            throw new IllegalArgumentException("config, transport, scheduler and clock must not be null, were "
                    + config + ", " + transport + ", " + scheduler + ", " + clock);
        }
        List<String> members = transport.members();
        if (members.size() < config.minimumNodes()) {
            throw new IllegalArgumentException("members must be at least minimumNodes (" + config.minimumNodes()
                    + ") for health consensus, was " + members.size() + " " + members);
        }
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Receives every decision (on the thread that completed the round).
     *
     * @param listener non-null
     */
    public void addListener(Consumer<ConsensusDecision> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null, was null");
        }
        listeners.add(listener);
    }

    /**
     * {@return the last decision about {@code subject}}
     *
     * @param subject the assessed subject
     */
    public Optional<ConsensusDecision> lastDecision(String subject) {
        return Optional.ofNullable(last.get(subject));
    }

    /**
     * {@return the weighted score of one vote, by the configured weights (absent scores renormalised)}
     *
     * @param v one member's vote
     */
    public double weightedScore(HealthVote v) {
        double sum = 0;
        double w = 0;
        double[] weights = {config.localWeight(), config.peerWeight(), config.externalWeight(),
                config.userExperienceWeight()};
        OptionalDouble[] scores = {v.local(), v.peer(), v.external(), v.userExperience()};
        for (int i = 0; i < 4; i++) {
            if (scores[i].isPresent()) {
                sum += weights[i] * scores[i].getAsDouble();
                w += weights[i];
            }
        }
        return w > 0 ? sum / w : 0;
    }

    /**
     * Runs one round on {@code subject}; completes when every vote is in or the timeout passes.
     *
     * @param subject the subject to assess
     * @return the round's decision
     */
    public CompletionStage<ConsensusDecision> assess(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, was " + subject);
        }
        return assess(subject, rounds.incrementAndGet());
    }

    /**
     * Runs round {@code round} on {@code subject}, numbered by the caller: for a transport whose rounds
     * are numbered by the group (e.g. a replicated log index), so that every member decides the same
     * round from the same votes. Completes when every vote is in or the timeout passes.
     *
     * @param subject the subject to assess
     * @param round the round number the group agreed on
     * @return the round's decision
     */
    public CompletionStage<ConsensusDecision> assess(String subject, long round) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, was " + subject);
        }
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, was " + round);
        }
        List<String> members = transport.members();
        Map<String, HealthVote> votes = new ConcurrentHashMap<>();
        CompletableFuture<ConsensusDecision> result = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(members.size());
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                ConsensusDecision d = decide(subject, round, members, Map.copyOf(votes));
                publish(d); // listeners and lastDecision see it before the caller's future completes
                result.complete(d);
            }
        };
        ScheduledFuture<?> timeout = scheduler.schedule(finish, config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        for (String m : members) {
            CompletionStage<HealthVote> stage;
            try {
                stage = transport.requestVote(m, subject, round);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((vote, error) -> {
                if (error == null && vote != null && vote.subject().equals(subject) && vote.round() == round
                        && vote.voter().equals(m)) {
                    votes.put(m, vote);
                } else if (error != null) {
                    log.debug("Vote of {} on {} failed: {}", m, subject, error.toString());
                }
                if (pending.decrementAndGet() == 0) {
                    timeout.cancel(false);
                    finish.run();
                }
            });
        }
        return result;
    }

    private ConsensusDecision decide(String subject, long round, List<String> members, Map<String, HealthVote> votes) {
        Map<String, ConsensusDecision.Ballot> ballots = new LinkedHashMap<>();
        Map<HealthVerdict, Integer> counts = new EnumMap<>(HealthVerdict.class);
        List<String> timedOut = new ArrayList<>();
        for (String m : members) {
            HealthVote v = votes.get(m);
            if (v == null) {
                timedOut.add(m);
                continue;
            }
            double s = weightedScore(v);
            HealthVerdict verdict = HealthVerdict.of(s);
            ballots.put(m, new ConsensusDecision.Ballot(s, verdict));
            counts.merge(verdict, 1, Integer::sum);
        }
        int n = members.size();
        int healthy = counts.getOrDefault(HealthVerdict.HEALTHY, 0);
        int degraded = counts.getOrDefault(HealthVerdict.DEGRADED, 0);
        int unhealthy = counts.getOrDefault(HealthVerdict.UNHEALTHY, 0);
        ConsensusDecision.Outcome outcome = ConsensusDecision.Outcome.DECIDED;
        HealthVerdict verdict = null;
        if (ballots.size() < config.minimumNodes()) {
            outcome = ConsensusDecision.Outcome.NO_QUORUM;
        } else if (unhealthy >= config.decisionThreshold() * n) {
            verdict = HealthVerdict.UNHEALTHY;
        } else if (healthy * 2 > n) {
            verdict = HealthVerdict.HEALTHY;
        } else if ((degraded + unhealthy) * 2 > n) {
            verdict = HealthVerdict.DEGRADED;
        } else {
            outcome = ConsensusDecision.Outcome.NO_AGREEMENT;
        }
        return new ConsensusDecision(subject, round, outcome, Optional.ofNullable(verdict), ballots, timedOut, n,
                clock.instant());
    }

    private void publish(ConsensusDecision d) {
        last.put(d.subject(), d);
        if (d.outcome() == ConsensusDecision.Outcome.DECIDED) {
            log.info("Health consensus on {} round {}: {} ({}), ballots {}, timed out {}", d.subject(), d.round(),
                    d.verdict().orElseThrow(), d.verdict().orElseThrow().action(), d.ballots(), d.timedOut());
        } else {
            log.warn("Health consensus on {} round {}: {}, ballots {}, timed out {}", d.subject(), d.round(),
                    d.outcome(), d.ballots(), d.timedOut());
        }
        for (Consumer<ConsensusDecision> l : listeners) {
            try {
                l.accept(d);
            } catch (RuntimeException e) {
                log.error("Consensus listener {} failed on {}", l, d, e);
            }
        }
    }

    /**
     * Assesses each of {@code subjects} every {@code assessmentInterval} until {@link #close()}.
     *
     * @param subjects the subjects; not empty
     */
    public synchronized void start(List<String> subjects) {
        if (subjects == null || subjects.isEmpty()) {
            throw new IllegalArgumentException("subjects must not be empty, was " + subjects);
        }
        if (task != null) {
            throw new IllegalStateException("already started");
        }
        List<String> copy = List.copyOf(subjects);
        long every = config.assessmentInterval().toMillis();
        task = scheduler.scheduleAtFixedRate(() -> copy.forEach(this::assess), 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
