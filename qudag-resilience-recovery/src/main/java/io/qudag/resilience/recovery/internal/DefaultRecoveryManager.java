package io.qudag.resilience.recovery.internal;

import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalCorruptedException;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecordTypes;
import io.qudag.resilience.recovery.RecoveryFailedException;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.RecoveryObjectives;
import io.qudag.resilience.recovery.RecoveryRequest;
import io.qudag.resilience.recovery.RecoveryResult;
import io.qudag.resilience.recovery.RecoveryTarget;
import io.qudag.resilience.recovery.ScrubReport;
import io.qudag.resilience.recovery.SegmentInfo;
import io.qudag.resilience.recovery.Snapshot;
import io.qudag.resilience.recovery.SnapshotStore;
import io.qudag.resilience.recovery.event.CorruptionDetectedEvent;
import io.qudag.resilience.recovery.event.RecoveryCompletedEvent;
import io.qudag.resilience.recovery.event.RecoveryEvent;
import io.qudag.resilience.recovery.event.RecoveryListener;
import io.qudag.resilience.recovery.event.RecoveryProgressEvent;
import io.qudag.resilience.recovery.event.RecoveryResumedEvent;
import io.qudag.resilience.recovery.event.RecoveryStartedEvent;
import io.qudag.resilience.recovery.event.SegmentQuarantinedEvent;
import io.qudag.resilience.recovery.event.ValidationEvent;
import io.qudag.resilience.recovery.spi.RecoverableState;
import io.qudag.resilience.recovery.spi.StateValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RecoveryManager} implementation. All changes of the live state happen under {@code lock}. */
public final class DefaultRecoveryManager<S> implements RecoveryManager<S> {

    private static final Logger log = LoggerFactory.getLogger(DefaultRecoveryManager.class);
    private static final int PROGRESS_EVERY = 4096;

    private final Journal journal;
    private final RecoverableState<S> spi;
    private final SnapshotStore store;
    private final Clock clock;
    private final Duration window;
    private final int maxDiffChain;
    private final Duration snapshotInterval;
    private final List<StateValidator<S>> validators;
    private final List<RecoveryListener> listeners;
    private final RecoveryObjectives objectives;
    private final RecoveryAudit audit;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final ScheduledFuture<?> scrubTask;

    private final ReentrantLock lock = new ReentrantLock();
    private S live;
    private long liveSeq;
    private long liveTs;
    private byte[] lastImage;
    private long lastSnapshotSeq = -1;
    private int chain;
    private long lastSnapshotAt;
    private JournalReader tail;
    private long tailNext;

    public DefaultRecoveryManager(Journal journal, RecoverableState<S> spi, SnapshotStore store, Clock clock,
            Duration window, int maxDiffChain, Duration snapshotInterval, Duration scrubInterval,
            ScheduledExecutorService scheduler, boolean scrubOnSchedule, List<StateValidator<S>> validators,
            List<RecoveryListener> listeners, RecoveryObjectives objectives) {
        this.journal = journal;
        this.spi = spi;
        this.store = store;
        this.clock = clock;
        this.window = window;
        this.maxDiffChain = maxDiffChain;
        this.snapshotInterval = snapshotInterval;
        this.validators = List.copyOf(validators);
        this.listeners = List.copyOf(listeners);
        this.objectives = objectives;
        this.audit = new RecoveryAudit(journal.directory(), journal.config().fileChannelFactory());
        RecoveryResult<S> r = compute(RecoveryRequest.builder().build(), "open");
        this.live = r.state();
        this.liveSeq = r.lastSequence();
        this.liveTs = r.lastTimestampMillis();
        this.lastSnapshotAt = clock.millis();
        if (scrubOnSchedule) {
            this.ownScheduler = scheduler == null;
            this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(t -> {
                Thread th = new Thread(t, "qudag-recovery-scrubber-" + journal.config().name());
                th.setDaemon(true);
                return th;
            });
            long ms = scrubInterval.toMillis();
            this.scrubTask = this.scheduler.scheduleWithFixedDelay(this::scheduledScrub, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            this.ownScheduler = false;
            this.scheduler = null;
            this.scrubTask = null;
        }
    }

    private void scheduledScrub() {
        try {
            scrub();
        } catch (RuntimeException e) {
            log.error("Scheduled scrub of journal {} failed", journal.directory(), e);
        }
    }

    @Override
    public S current() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long lastAppliedSequence() {
        lock.lock();
        try {
            return liveSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends outside the lock, so concurrent appenders share group commits; then, under the lock,
     * applies every record up to its own in sequence order by reading the journal's tail. Durability
     * is a prefix, so every record up to an acknowledged one is as durable as it; records appended
     * to the journal directly (not through this manager) are applied in their place too.
     */
    @Override
    public long append(int type, byte[] payload) {
        if (!RecordTypes.isUserType(type)) {
            throw new IllegalArgumentException("type must be an application record type in [" + RecordTypes.FIRST_USER_TYPE
                    + ", " + RecordTypes.LAST_USER_TYPE + "], was " + type);
        }
        long seq = journal.append(type, payload);
        lock.lock();
        try {
            catchUpLocked(seq);
            if (snapshotInterval != null && clock.millis() - lastSnapshotAt >= snapshotInterval.toMillis()) {
                snapshotLocked();
            }
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** Applies the journal's records after {@code liveSeq} up to {@code seq}. Holds lock. */
    private void catchUpLocked(long seq) {
        if (liveSeq >= seq) {
            return;
        }
        if (tail == null || tailNext != liveSeq + 1) {
            if (tail != null) {
                tail.close();
            }
            tail = journal.read(liveSeq + 1);
        }
        while (liveSeq < seq && tail.hasNext()) {
            JournalRecord rec = tail.next();
            if (RecordTypes.isUserType(rec.type())) {
                live = spi.apply(live, rec);
            }
            liveSeq = rec.sequence();
            liveTs = rec.timestampMillis();
        }
        tailNext = liveSeq + 1;
    }

    @Override
    public Snapshot snapshot() {
        lock.lock();
        try {
            return snapshotLocked();
        } finally {
            lock.unlock();
        }
    }

    private Snapshot snapshotLocked() {
        byte[] image = spi.snapshot(live);
        lastSnapshotAt = clock.millis();
        if (liveSeq == lastSnapshotSeq && lastImage != null && java.util.Arrays.equals(image, lastImage)) {
            return findSnapshot(liveSeq);
        }
        Snapshot s;
        if (lastImage != null && chain < maxDiffChain && lastSnapshotSeq >= 0 && lastSnapshotSeq < liveSeq) {
            byte[] d = BlockDiff.diff(lastImage, image);
            if (d.length < image.length / 2) {
                s = store.write(Snapshot.Kind.DIFFERENTIAL, liveSeq, liveTs, lastSnapshotSeq, d);
                chain++;
            } else {
                s = store.write(Snapshot.Kind.FULL, liveSeq, liveTs, 0, image);
                chain = 0;
            }
        } else {
            s = store.write(Snapshot.Kind.FULL, liveSeq, liveTs, 0, image);
            chain = 0;
        }
        lastImage = image;
        lastSnapshotSeq = liveSeq;
        log.debug("Snapshot {} of journal {} written ({})", s.lastSequence(), journal.directory(), s.kind());
        return s;
    }

    private Snapshot findSnapshot(long lastSequence) {
        for (Snapshot s : store.list()) {
            if (s.lastSequence() == lastSequence) {
                return s;
            }
        }
        return null;
    }

    @Override
    public RecoveryResult<S> recover(RecoveryRequest request) {
        RecoveryResult<S> r = compute(request, "request");
        if (request.isPreview()) {
            return r;
        }
        lock.lock();
        try {
            S next = r.state();
            if (request.keys() != null) {
                Predicate<String> keys = request.keys();
                next = spi.merge(spi.select(live, keys.negate()), next);
            }
            validateOrThrow(next, request.progressListener());
            commitLocked(next, r);
            r = new RecoveryResult<>(next, r.target(), r.lastSequence(), r.lastTimestampMillis(), r.snapshot(),
                    r.recordsReplayed(), r.lostRecords(), r.took(), true);
        } finally {
            lock.unlock();
        }
        measure(r, Duration.ZERO);
        emit(new RecoveryResumedEvent(clock.instant(), liveSeq, r.lostRecords()), request.progressListener());
        return r;
    }

    private void validateOrThrow(S state, RecoveryListener extra) {
        List<String> problems = new ArrayList<>();
        for (StateValidator<S> v : validators) {
            String p;
            try {
                p = v.validate(state);
            } catch (RuntimeException e) {
                p = "validator " + v + " threw " + e;
            }
            if (p != null) {
                problems.add(p);
            }
        }
        emit(new ValidationEvent(clock.instant(), problems.isEmpty(), problems), extra);
        if (!problems.isEmpty()) {
            throw new RecoveryFailedException("recovered state of journal " + journal.directory()
                    + " rejected by validators; live state unchanged", problems);
        }
    }

    /** Makes {@code next} live. When it lies behind the journal's end, a full snapshot makes that stick. Holds lock. */
    private void commitLocked(S next, RecoveryResult<S> r) {
        live = next;
        long end = journal.lastSequence();
        if (r.lastSequence() < end) {
            liveSeq = end;
            liveTs = clock.millis();
            lastImage = null; // force a full snapshot
            snapshotLocked();
        } else {
            liveSeq = r.lastSequence();
            liveTs = r.lastTimestampMillis();
        }
    }

    private void measure(RecoveryResult<S> r, Duration rpo) {
        if (objectives != null) {
            objectives.record(clock.instant(), r.took(), rpo, r.recordsReplayed());
        }
    }

    // ------------------------------------------------------------------ replay

    private RecoveryResult<S> compute(RecoveryRequest request, String reason) {
        RecoveryTarget target = request.target();
        RecoveryListener extra = request.progressListener();
        long t0 = clock.millis();
        if (target.instant() != null) {
            Instant oldest = clock.instant().minus(window);
            if (target.instant().isBefore(oldest.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
                throw new IllegalArgumentException("instant must be within the point-in-time window of " + window
                        + " (not before " + oldest + "), was " + target.instant());
            }
        }
        emit(new RecoveryStartedEvent(clock.instant(), reason, target.toString(), request.isPreview()), extra);
        long maxSeq = target.maxSequence();
        long maxTs = target.maxTimestampMillis();
        Snapshot base = null;
        S state = null;
        for (Snapshot s : reversed(store.list())) {
            if (s.lastSequence() > maxSeq || s.timestampMillis() > maxTs) {
                continue;
            }
            boolean latest = maxSeq == Long.MAX_VALUE && target.instant() == null;
            if (!latest && s.lastSequence() + 1 < journal.firstSequence() && journal.lastSequence() > s.lastSequence()
                    && maxSeq > s.lastSequence()) {
                // the records right after it were compacted or quarantined: no exact point in time from here.
                // For the newest state the newest snapshot stays the best start (no older one reaches further).
                continue;
            }
            try {
                byte[] image = chainImage(s, new HashMap<>());
                state = spi.restore(image);
                base = s;
                if (lastImage == null && "open".equals(reason)) {
                    lastImage = image;
                    lastSnapshotSeq = s.lastSequence();
                }
                break;
            } catch (JournalCorruptedException e) {
                emit(new CorruptionDetectedEvent(clock.instant(), e.file(), e.offset(), e.getMessage()), extra);
                log.warn("Snapshot {} unusable, trying an older one: {}", s.file(), e.getMessage());
            }
        }
        long start = base == null ? 1 : base.lastSequence() + 1;
        if (base == null) {
            state = spi.empty();
            if (journal.firstSequence() > 1 && journal.lastSequence() >= journal.firstSequence()) {
                throw new RecoveryFailedException("no starting point for " + target + " in journal "
                        + journal.directory(), List.of("records before sequence " + journal.firstSequence()
                        + " were compacted and no usable snapshot covers them"));
            }
        }
        Predicate<String> keys = request.keys();
        if (keys != null && base != null) {
            state = spi.select(state, keys);
        }
        long endEstimate = Math.min(maxSeq, journal.lastSequence());
        long total = Math.max(0, endEstimate - start + 1);
        Replay<S> replay;
        if (request.partitions() == 1) {
            replay = replay(state, start, maxSeq, maxTs, keys, 0, 1, new Progress(total, t0, extra));
        } else {
            replay = parallel(state, start, maxSeq, maxTs, keys, request, new Progress(total, t0, extra));
        }
        if (request.partitions() == 1 && maxTs == Long.MAX_VALUE) {
            // records up to the journal's end that no reader returned (their segments were quarantined)
            long end = Math.min(maxSeq, journal.lastSequence());
            long reached = Math.max(replay.lastSeq, start - 1);
            if (end > reached) {
                replay.lost += end - reached;
            }
        }
        Duration took = Duration.ofMillis(clock.millis() - t0);
        long lastSeq = replay.lastSeq > 0 ? replay.lastSeq : base == null ? 0 : base.lastSequence();
        long lastTs = replay.lastSeq > 0 ? replay.lastTs : base == null ? 0 : base.timestampMillis();
        emit(new RecoveryProgressEvent(clock.instant(), replay.applied, Math.max(total, replay.applied), Duration.ZERO), extra);
        emit(new RecoveryCompletedEvent(clock.instant(), lastSeq, replay.applied, replay.lost, took, false), extra);
        return new RecoveryResult<>(replay.state, target, lastSeq, lastTs, base, replay.applied, replay.lost, took, false);
    }

    private static <T> List<T> reversed(List<T> in) {
        List<T> out = new ArrayList<>(in);
        java.util.Collections.reverse(out);
        return out;
    }

    /** The full image a snapshot stands for, following differential snapshots back to a full one. */
    private byte[] chainImage(Snapshot s, Map<Long, Snapshot> seen) {
        if (s.kind() == Snapshot.Kind.FULL) {
            return store.read(s);
        }
        if (seen.put(s.lastSequence(), s) != null) {
            throw new JournalCorruptedException(s.file(), 24, "snapshot chain loops at " + s.lastSequence());
        }
        Snapshot base = findSnapshot(s.baseSequence());
        if (base == null) {
            throw new JournalCorruptedException(s.file(), 24, "base snapshot " + s.baseSequence() + " is missing");
        }
        return BlockDiff.apply(chainImage(base, seen), store.read(s));
    }

    private static final class Replay<S> {
        S state;
        long applied;
        long lost;
        long lastSeq;
        long lastTs;
        long rpoMillis;
    }

    private final class Progress {
        final long total;
        final long startMillis;
        final RecoveryListener extra;
        final AtomicLong done = new AtomicLong();
        final boolean silent;

        Progress(long total, long startMillis, RecoveryListener extra) {
            this(total, startMillis, extra, false);
        }

        Progress(long total, long startMillis, RecoveryListener extra, boolean silent) {
            this.silent = silent;
            this.total = total;
            this.startMillis = startMillis;
            this.extra = extra;
        }

        void add(long n) {
            long before = done.getAndAdd(n);
            if (!silent && (before + n) / PROGRESS_EVERY != before / PROGRESS_EVERY) {
                long d = before + n;
                long elapsed = clock.millis() - startMillis;
                long remaining = Math.max(0, total - d);
                Duration eta = d == 0 ? Duration.ZERO : Duration.ofMillis(elapsed * remaining / d);
                emit(new RecoveryProgressEvent(clock.instant(), d, Math.max(total, d), eta), extra);
            }
        }
    }

    private static int partitionOf(String key, int partitions) {
        return key == null ? 0 : Math.floorMod(key.hashCode(), partitions);
    }

    /**
     * Replays records {@code start..} up to the bounds into {@code state}, only those in
     * {@code partition} of {@code partitions} and accepted by {@code keys}.
     */
    private Replay<S> replay(S state, long start, long maxSeq, long maxTs, Predicate<String> keys, int partition,
            int partitions, Progress progress) {
        Replay<S> r = new Replay<>();
        r.state = state;
        long expected = start;
        long prevTs = Long.MIN_VALUE;
        long pendingProgress = 0;
        try (JournalReader reader = journal.read(start)) {
            while (reader.hasNext()) {
                JournalRecord rec = reader.next();
                if (rec.sequence() > maxSeq || rec.timestampMillis() > maxTs) {
                    break;
                }
                if (rec.sequence() != expected) {
                    r.lost += rec.sequence() - expected;
                    if (prevTs != Long.MIN_VALUE) {
                        r.rpoMillis = Math.max(r.rpoMillis, rec.timestampMillis() - prevTs);
                    }
                }
                expected = rec.sequence() + 1;
                prevTs = rec.timestampMillis();
                r.lastSeq = rec.sequence();
                r.lastTs = rec.timestampMillis();
                boolean mine;
                if (!RecordTypes.isUserType(rec.type())) {
                    mine = false;
                } else {
                    String key = spi.keyOf(rec);
                    mine = partitionOf(key, partitions) == partition && (keys == null || keys.test(key));
                    if (mine) {
                        r.state = spi.apply(r.state, rec);
                        r.applied++;
                    }
                }
                if (mine || partition == 0 && !RecordTypes.isUserType(rec.type())) {
                    if (++pendingProgress == 256) {
                        progress.add(pendingProgress);
                        pendingProgress = 0;
                    }
                }
            }
        }
        progress.add(pendingProgress);
        return r;
    }

    private Replay<S> parallel(S state, long start, long maxSeq, long maxTs, Predicate<String> keys,
            RecoveryRequest request, Progress progress) {
        int n = request.partitions();
        List<Future<Replay<S>>> futures = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            int part = p;
            S slice = spi.select(state, k -> partitionOf(k, n) == part);
            futures.add(request.executor().submit(() -> replay(slice, start, maxSeq, maxTs, keys, part, n, progress)));
        }
        Replay<S> total = new Replay<>();
        try {
            for (Future<Replay<S>> f : futures) {
                Replay<S> r = f.get();
                total.state = total.state == null ? r.state : spi.merge(total.state, r.state);
                total.applied += r.applied;
                total.lost = Math.max(total.lost, r.lost);
                total.rpoMillis = Math.max(total.rpoMillis, r.rpoMillis);
                if (r.lastSeq > total.lastSeq) {
                    total.lastSeq = r.lastSeq;
                    total.lastTs = r.lastTs;
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new JournalException("parallel recovery of " + journal.directory() + " interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new JournalException("parallel recovery of " + journal.directory() + " failed (" + c + ")", c);
        }
        return total;
    }

    // ------------------------------------------------------------------ scrub, compaction

    @Override
    public ScrubReport scrub() {
        int checked = 0;
        long records = 0;
        List<Path> quarantined = new ArrayList<>();
        // records still buffered by a GROUP_COMMIT journal are not in the file yet: not damage
        long readable = journal instanceof SegmentedJournal sj ? sj.writtenSequence() : journal.lastSequence();
        for (SegmentInfo seg : journal.segments()) {
            SegmentVerifier.Result r;
            try {
                r = SegmentVerifier.verify(journal.config().fileChannelFactory(), seg.file(), journal.config().maxRecordSize(),
                        seg.active() ? readable : Long.MAX_VALUE);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // compacted meanwhile
            } catch (IOException e) {
                throw new JournalException("scrubbing " + seg.file() + " failed (" + e + ")", e);
            }
            checked++;
            records += r.records();
            if (!r.intact()) {
                emit(new CorruptionDetectedEvent(clock.instant(), seg.file(), r.damageOffset(), r.problem()), null);
                Path moved = journal.quarantine(seg.baseSequence());
                quarantined.add(moved);
                emit(new SegmentQuarantinedEvent(clock.instant(), seg.file(), moved), null);
            }
        }
        if (quarantined.isEmpty()) {
            return new ScrubReport(checked, records, quarantined, false, 0);
        }
        // rebuild from the last known good state: newest usable snapshot plus every good record
        long t0 = clock.millis();
        RecoveryResult<S> r = compute(RecoveryRequest.builder().build(), "corruption");
        lock.lock();
        try {
            validateOrThrow(r.state(), null);
            commitLocked(r.state(), r);
            lastImage = null;
            snapshotLocked(); // the rebuilt state becomes the base of later recoveries
        } finally {
            lock.unlock();
        }
        Duration rpo = r.lostRecords() > 0 ? lostSpan(r) : Duration.ZERO;
        if (objectives != null) {
            objectives.record(clock.instant(), Duration.ofMillis(clock.millis() - t0), rpo, r.recordsReplayed());
        }
        emit(new RecoveryResumedEvent(clock.instant(), liveSeq, r.lostRecords()), null);
        return new ScrubReport(checked, records, quarantined, true, r.lostRecords());
    }

    /** The span of time lost with missing records: a second replay that only measures gaps. */
    private Duration lostSpan(RecoveryResult<S> r) {
        Replay<S> probe = replay(spi.empty(), r.snapshot() == null ? 1 : r.snapshot().lastSequence() + 1, Long.MAX_VALUE,
                Long.MAX_VALUE, k -> false, 0, 1, new Progress(0, clock.millis(), null, true));
        return Duration.ofMillis(probe.rpoMillis);
    }

    @Override
    public List<SegmentInfo> compact() {
        long cutoff = clock.millis() - window.toMillis();
        Snapshot base = null;
        for (Snapshot s : store.list()) {
            if (s.timestampMillis() < cutoff && (base == null || s.lastSequence() > base.lastSequence())) {
                base = s;
            }
        }
        if (base == null) {
            return List.of();
        }
        return journal.compact(base.lastSequence(), cutoff);
    }

    @Override
    public RecoveryObjectives objectives() {
        return objectives;
    }

    @Override
    public SnapshotStore snapshots() {
        return store;
    }

    private void emit(RecoveryEvent e, RecoveryListener extra) {
        audit.record(e);
        for (RecoveryListener l : listeners) {
            notify(l, e);
        }
        if (extra != null) {
            notify(extra, e);
        }
    }

    private static void notify(RecoveryListener l, RecoveryEvent e) {
        try {
            l.onEvent(e);
        } catch (RuntimeException ex) {
            log.warn("Recovery listener {} threw on {}", l, e, ex);
        }
    }

    @Override
    public void close() {
        if (scrubTask != null) {
            scrubTask.cancel(false);
        }
        if (ownScheduler && scheduler != null) {
            scheduler.shutdownNow();
        }
        lock.lock();
        try {
            if (tail != null) {
                tail.close();
                tail = null;
            }
        } finally {
            lock.unlock();
        }
        audit.close();
    }
}
