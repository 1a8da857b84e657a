package io.qudag.resilience.recovery.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalCorruptedException;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalFormatException;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.SegmentInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Journal} implementation: one active segment written under a lock with positional
 * writes from a reused direct buffer; durability by the appender's own force (SYNC) or a flusher
 * thread (GROUP_COMMIT, ASYNC). Under GROUP_COMMIT, {@code appendAsync} registers its future in the
 * batch of the next force while it holds the write lock for its record anyway; the flusher takes
 * that batch with the last sequence, forces, and hands the batch to a completer thread, so no user
 * callback runs on the flusher. Lock order: {@code forceLock} → {@code writeLock} → {@code syncLock}.
 */
public final class SegmentedJournal implements Journal {

    private static final Logger log = LoggerFactory.getLogger(SegmentedJournal.class);
    static final String LOCK_FILE = "journal.lock";
    static final String QUARANTINE_DIR = "quarantine";

    private final JournalConfig config;
    private final Path dir;
    private final FileChannelFactory files;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final ReentrantLock forceLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition work = syncLock.newCondition();
    private final Condition done = syncLock.newCondition();

    /** base sequence → file, oldest first. */
    final ConcurrentSkipListMap<Long, Path> segmentFiles = new ConcurrentSkipListMap<>();

    // guarded by writeLock
    private FileChannel active;
    private long activeBase;
    private long activePos; // the end of the active segment, records still in writeBuf included
    /**
     * SYNC and ASYNC: one record at a time, written at once. GROUP_COMMIT: the records written since
     * the last drain, from file offset {@code bufStart}; the flusher writes them with one positional
     * write before it forces (so do roll, flush, close and a reader that reaches them).
     */
    private final ByteBuffer writeBuf;
    private final boolean buffered;
    private long bufStart;
    private final CRC32C crc = new CRC32C();

    private volatile long lastSeq;
    private volatile long writtenSeq; // the last record whose bytes are in the file
    private volatile long durableSeq;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile String failureMessage;

    // GROUP_COMMIT, guarded by writeLock
    private long lastTarget; // the last sequence a group commit took (written by the flusher)
    private Batch waitingFutures; // appendAsync futures written since then
    private Thread completer;
    private final LinkedBlockingQueue<Batch> completions = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Batch> freeBatches = new ConcurrentLinkedQueue<>();

    private final Thread flusher;
    private final Counter appends;
    private final Timer fsyncs;
    private final DistributionSummary batchSizes;

    private SegmentedJournal(JournalConfig config, FileChannel lockChannel, FileLock lock) {
        this.config = config;
        this.dir = config.directory();
        this.files = config.fileChannelFactory();
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.buffered = config.durability() == Durability.GROUP_COMMIT;
        this.writeBuf = ByteBuffer.allocateDirect(buffered ? 256 * 1024 : 64 * 1024);
        MeterRegistry reg = config.meterRegistry();
        this.appends = reg == null ? null : Counter.builder("qudag.resilience.recovery.journal.appends")
                .tag("journal", config.name()).description("Records appended to the journal").register(reg);
        this.fsyncs = reg == null ? null : Timer.builder("qudag.resilience.recovery.journal.fsync")
                .tag("journal", config.name()).description("Forces of the journal's active segment").register(reg);
        this.batchSizes = reg == null || config.durability() != Durability.GROUP_COMMIT ? null
                : DistributionSummary.builder("qudag.resilience.recovery.journal.group.commit.records")
                        .tag("journal", config.name()).description("Records made durable by one group commit fsync")
                        .register(reg);
        this.flusher = switch (config.durability()) {
            case SYNC -> null;
            case GROUP_COMMIT -> config.threadFactory().newThread(new Named("flusher", this::groupFlushLoop));
            case ASYNC -> config.threadFactory().newThread(new Named("flusher", this::asyncFlushLoop));
        };
    }

    /** Opens the journal described by {@code config}. */
    public static SegmentedJournal open(JournalConfig config) {
        Path dir = config.directory();
        try {
            FileSupport.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new JournalException("journal directory " + dir + " cannot be created (" + e + ")", e);
        }
        if (!Files.isDirectory(dir)) {
            throw new JournalException("journal directory " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new JournalException("journal directory " + dir + " is not writable");
        }
        FileChannel lockChannel;
        Path lockFile = dir.resolve(LOCK_FILE);
        try {
            lockChannel = Files.exists(lockFile) ? FileSupport.openReadWrite(config.fileChannelFactory(), lockFile)
                    : FileSupport.createNew(config.fileChannelFactory(), lockFile);
        } catch (IOException | SecurityException e) {
            throw new JournalException("journal directory " + dir + " is not writable: cannot open " + LOCK_FILE
                    + " (" + e + ")", e);
        }
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new JournalException("journal " + dir + " is already open (" + LOCK_FILE + " is locked)");
        }
        SegmentedJournal j = new SegmentedJournal(config, lockChannel, lock);
        try {
            j.recover();
        } catch (IOException e) {
            j.releaseLock();
            throw new JournalException("journal " + dir + " cannot be opened (" + e + ")", e);
        } catch (RuntimeException e) {
            j.releaseLock();
            throw e;
        }
        j.lastTarget = j.lastSeq;
        if (j.flusher != null) {
            j.flusher.start();
        }
        return j;
    }

    /** Finds the segments, checks their headers and truncates a torn tail of the last one. */
    private void recover() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> SegmentFormat.baseOf(p.getFileName().toString()) >= 0).forEach(found::add);
        }
        found.sort((a, b) -> Long.compare(SegmentFormat.baseOf(a.getFileName().toString()),
                SegmentFormat.baseOf(b.getFileName().toString())));
        if (found.isEmpty()) {
            createSegment(1);
            lastSeq = 0;
            writtenSeq = 0;
            durableSeq = 0;
            return;
        }
        for (int i = 0; i < found.size() - 1; i++) {
            Path p = found.get(i);
            try (FileChannel ch = FileSupport.openRead(files, p)) {
                long base = SegmentFormat.readHeader(ch, p);
                checkBase(p, base);
                segmentFiles.put(base, p);
            }
        }
        Path last = found.get(found.size() - 1);
        long nameBase = SegmentFormat.baseOf(last.getFileName().toString());
        FileChannel ch = FileSupport.openReadWrite(files, last);
        try {
            long base = SegmentFormat.readHeader(ch, last);
            if (base < 0) {
                log.warn("Journal segment {} has no complete header (cut short while created): rewriting it", last);
                ch.truncate(0);
                FileSupport.writeFully(ch, SegmentFormat.header(nameBase), 0);
                ch.force(true);
                base = nameBase;
            }
            checkBase(last, base);
            long size = ch.size();
            SegmentScanner sc = new SegmentScanner(ch, SegmentFormat.HEADER_SIZE, size, base, config.maxRecordSize());
            long seq = base - 1;
            while (true) {
                SegmentScanner.Result r = sc.next();
                if (r == SegmentScanner.Result.RECORD) {
                    if (!config.acceptsType(sc.type())) {
                        throw new JournalFormatException(last, sc.recordOffset(), "unknown record type " + sc.type());
                    }
                    seq = sc.sequence();
                    continue;
                }
                if (r != SegmentScanner.Result.END) {
                    long off = sc.recordOffset();
                    if (r == SegmentScanner.Result.DAMAGED && !tornTail(ch, off, size)) {
                        throw new JournalCorruptedException(last, off, sc.problem());
                    }
                    log.warn("Journal segment {}: torn tail at offset {} ({}): truncated {} bytes", last, off,
                            sc.problem(), size - off);
                    ch.truncate(off);
                    ch.force(true);
                }
                break;
            }
            segmentFiles.put(base, last);
            active = ch;
            activeBase = base;
            activePos = sc.position();
            bufStart = activePos;
            lastSeq = seq;
            writtenSeq = seq;
            durableSeq = seq;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Whether a damaged record at {@code off} is the torn end of the file: nothing but zeros follows
     * the end its length declares (or, when the length itself is unusable, follows {@code off}).
     */
    private boolean tornTail(FileChannel ch, long off, long size) throws IOException {
        ByteBuffer lenBuf = ByteBuffer.allocate(8);
        long from = off;
        if (FileSupport.readFully(ch, lenBuf, off) == 8) {
            int len = lenBuf.getInt(4);
            if (len >= 0 && len <= config.maxRecordSize()) {
                from = Math.min(size, off + SegmentFormat.RECORD_HEADER_SIZE + len);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (long p = from; p < size; ) {
            b.clear();
            int n = FileSupport.readFully(ch, b, p);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
    }

    private static void checkBase(Path p, long base) {
        long nameBase = SegmentFormat.baseOf(p.getFileName().toString());
        if (base != nameBase) {
            throw new JournalFormatException(p, 8, "segment header says base sequence " + base + " but the file name says "
                    + nameBase);
        }
    }

    /** Creates and makes durable a new active segment. Caller holds writeLock (or is opening). */
    private void createSegment(long base) throws IOException {
        Path p = dir.resolve(SegmentFormat.fileName(base));
        FileChannel ch = FileSupport.createNew(files, p);
        try {
            FileSupport.writeFully(ch, SegmentFormat.header(base), 0);
            ch.force(true);
            FileSupport.fsyncDirectory(files, dir);
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
        segmentFiles.put(base, p);
        active = ch;
        activeBase = base;
        activePos = SegmentFormat.HEADER_SIZE;
        bufStart = activePos;
    }

    // ---------------------------------------------------------------- append

    @Override
    public long append(int type, byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null, was null");
        }
        return append(type, ByteBuffer.wrap(payload));
    }

    @Override
    public long append(int type, ByteBuffer payload) {
        int len = checkRecord(type, payload);
        long seq;
        long waiting;
        writeLock.lock();
        try {
            checkUsable();
            seq = writeRecord(type, payload, len);
            waiting = seq - lastTarget;
        } finally {
            writeLock.unlock();
        }
        if (appends != null) {
            appends.increment();
        }
        switch (config.durability()) {
            case SYNC -> syncTo(seq);
            case GROUP_COMMIT -> {
                wakeFlusher(waiting);
                awaitGroupCommit(seq);
            }
            case ASYNC -> { }
            default -> throw new IllegalStateException("unknown durability " + config.durability());
        }
        return seq;
    }

    @Override
    public CompletableFuture<Long> appendAsync(int type, byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null, was null");
        }
        return appendAsync(type, ByteBuffer.wrap(payload));
    }

    @Override
    public CompletableFuture<Long> appendAsync(int type, ByteBuffer payload) {
        if (config.durability() != Durability.GROUP_COMMIT) {
            return CompletableFuture.completedFuture(append(type, payload));
        }
        int len = checkRecord(type, payload);
        CompletableFuture<Long> f = new CompletableFuture<>();
        long waiting;
        writeLock.lock();
        try {
            checkUsable();
            long seq = writeRecord(type, payload, len);
            Batch b = waitingFutures;
            if (b == null) {
                if (completer == null) {
                    startCompleter();
                }
                b = freeBatches.poll();
                waitingFutures = b = b != null ? b : new Batch();
            }
            b.add(f, seq);
            waiting = seq - lastTarget;
        } finally {
            writeLock.unlock();
        }
        if (appends != null) {
            appends.increment();
        }
        wakeFlusher(waiting);
        return f;
    }

    /** Validates an append's arguments; returns the payload length. */
    private int checkRecord(int type, ByteBuffer payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null, was null");
        }
        if (!config.acceptsType(type)) {
            throw new IllegalArgumentException("type must be a record type journal '" + config.name() + "' accepts, was " + type);
        }
        int len = payload.remaining();
        if (len > config.maxRecordSize()) {
            throw new IllegalArgumentException("payload must be at most maxRecordSize " + config.maxRecordSize()
                    + " bytes, was " + len);
        }
        return len;
    }

    /** Writes one record at the end of the active segment (rolling first if needed); returns its sequence. Caller holds writeLock. */
    private long writeRecord(int type, ByteBuffer payload, int len) {
        int total = SegmentFormat.RECORD_HEADER_SIZE + len;
        if (activePos + total > config.segmentSize() && activePos > SegmentFormat.HEADER_SIZE) {
            roll(lastSeq + 1);
        }
        long seq = lastSeq + 1;
        long ts = config.clock().millis();
        if (buffered && writeBuf.remaining() < total) {
            drain();
        }
        if (buffered && total <= writeBuf.remaining()) {
            int at = writeBuf.position();
            encode(writeBuf, at, total, len, seq, ts, type, payload);
            writeBuf.position(at + total);
        } else {
            // unbuffered, or a record larger than the (now drained) buffer: written at once
            ByteBuffer b = total <= writeBuf.capacity() && !buffered ? writeBuf : ByteBuffer.allocate(total);
            b.clear();
            encode(b, 0, total, len, seq, ts, type, payload);
            b.limit(total).position(0);
            try {
                FileSupport.writeFully(active, b, activePos);
            } catch (IOException e) {
                throw fail("write to " + segmentFiles.get(activeBase) + " failed", e);
            }
            bufStart += buffered ? total : 0;
            writtenSeq = seq;
        }
        activePos += total;
        lastSeq = seq;
        return seq;
    }

    /** Encodes one record at {@code at} in {@code b}; leaves position and limit as they were. */
    private void encode(ByteBuffer b, int at, int total, int len, long seq, long ts, int type, ByteBuffer payload) {
        b.putInt(at + 4, len).putLong(at + 8, seq).putLong(at + 16, ts).put(at + 24, (byte) type);
        b.put(at + SegmentFormat.RECORD_HEADER_SIZE, payload, payload.position(), len);
        int pos = b.position();
        int lim = b.limit();
        b.limit(at + total).position(at + 4);
        crc.reset();
        crc.update(b);
        b.limit(lim).position(pos);
        b.putInt(at, (int) crc.getValue());
    }

    /** Writes the buffered records to the active segment. Caller holds writeLock. */
    private void drain() {
        if (!buffered || writeBuf.position() == 0) {
            return;
        }
        writeBuf.flip();
        long seq = lastSeq;
        try {
            FileSupport.writeFully(active, writeBuf, bufStart);
        } catch (IOException e) {
            writeBuf.clear();
            throw fail("write to " + segmentFiles.get(activeBase) + " failed", e);
        }
        bufStart += writeBuf.limit();
        writeBuf.clear();
        writtenSeq = seq;
    }

    /** Makes every record appended so far visible in the file (a reader reached the end of what is written). */
    void drainForReaders() {
        if (!buffered) {
            return;
        }
        writeLock.lock();
        try {
            if (failure == null && !closed) {
                drain();
            }
        } catch (JournalException e) {
            log.debug("Journal {}: draining for a reader failed", dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The last sequence whose record is in the file (records of appends still buffered are not). */
    public long writtenSequence() {
        return writtenSeq;
    }

    /**
     * Under GROUP_COMMIT: wakes the flusher for the first record after its last force and when
     * {@code groupCommitMaxBatch} records wait; two wake-ups per batch, none per record otherwise.
     */
    private void wakeFlusher(long waiting) {
        if (waiting == 1 || waiting == config.groupCommitMaxBatch()) {
            LockSupport.unpark(flusher);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new JournalException("journal " + dir + " is closed");
        }
        Throwable f = failure;
        if (f != null) {
            throw new JournalException("journal " + dir + " failed earlier and accepts no appends (" + f + ")", f);
        }
    }

    private JournalException fail(String what, IOException e) {
        if (failure == null) {
            failureMessage = "journal " + dir + ": " + what + " (" + e + ")";
            failure = e;
            log.error("Journal {}: {}; it accepts no further appends", dir, what, e);
        }
        syncLock.lock();
        try {
            done.signalAll();
            work.signalAll();
        } finally {
            syncLock.unlock();
        }
        if (flusher != null) {
            LockSupport.unpark(flusher);
        }
        return new JournalException("journal " + dir + ": " + what + " (" + e + ")", e);
    }

    /** Seals the active segment (forced) and starts a new one at {@code base}. Caller holds writeLock. */
    private void roll(long base) {
        Path old = segmentFiles.get(activeBase);
        drain();
        try {
            active.force(false);
        } catch (IOException e) {
            throw fail("force of " + old + " before rolling failed", e);
        }
        advanceDurable(lastSeq);
        closeQuietly(active);
        try {
            createSegment(base);
        } catch (IOException e) {
            throw fail("creating segment " + SegmentFormat.fileName(base) + " failed", e);
        }
    }

    private void syncTo(long seq) {
        if (durableSeq >= seq) {
            return;
        }
        forceLock.lock();
        try {
            if (durableSeq < seq) {
                forceNow();
            }
        } finally {
            forceLock.unlock();
        }
        if (durableSeq < seq) {
            checkUsable();
            throw new JournalException("journal " + dir + ": record " + seq + " was not made durable");
        }
    }

    private void awaitGroupCommit(long seq) {
        if (durableSeq < seq) {
            syncLock.lock();
            try {
                while (durableSeq < seq) {
                    if (failure != null || closed) {
                        break;
                    }
                    done.awaitUninterruptibly();
                }
            } finally {
                syncLock.unlock();
            }
        }
        if (durableSeq < seq) {
            checkUsable();
            throw new JournalException("journal " + dir + ": record " + seq + " was not made durable");
        }
    }

    /** Forces the active segment up to the last written record. */
    private void forceNow() {
        FileChannel ch;
        long target;
        writeLock.lock();
        try {
            if (failure != null) {
                return;
            }
            drain();
            ch = active;
            target = lastSeq;
        } finally {
            writeLock.unlock();
        }
        forceTo(ch, target);
    }

    /** Forces {@code ch}, the active segment when {@code target} was the last written record. */
    private void forceTo(FileChannel ch, long target) {
        if (target <= durableSeq || failure != null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            ch.force(false);
        } catch (ClosedChannelException e) {
            // sealed by a roll (which forced it) or by close (which forces)
            if (failure != null) {
                return;
            }
        } catch (IOException e) {
            fail("fsync failed", e);
            return;
        }
        if (fsyncs != null) {
            fsyncs.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
        advanceDurable(target);
    }

    private void advanceDurable(long target) {
        syncLock.lock();
        try {
            if (target > durableSeq) {
                durableSeq = target;
            }
            done.signalAll();
        } finally {
            syncLock.unlock();
        }
    }

    /** The ASYNC flusher: forces on a timer. */
    private void asyncFlushLoop() {
        long delay = config.asyncFlushInterval().toNanos();
        while (true) {
            syncLock.lock();
            try {
                if (!closed) {
                    work.awaitNanos(delay);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                syncLock.unlock();
            }
            if (closed) {
                return;
            }
            forceNow();
        }
    }

    /**
     * The GROUP_COMMIT flusher: parks until a record follows its last force, waits until
     * {@code groupCommitMaxBatch} records wait or {@code groupCommitMaxDelay} has passed, then forces
     * everything written so far once and hands the futures it covered to the completer. After a
     * failure or on close it runs one last cycle (which fails or completes what is left) and ends.
     */
    private void groupFlushLoop() {
        long delay = config.groupCommitMaxDelay().toNanos();
        int maxBatch = config.groupCommitMaxBatch();
        long covered = lastTarget; // only this thread writes lastTarget after open
        while (true) {
            while (lastSeq <= covered && !closed && failure == null) {
                LockSupport.park(this);
            }
            if (closed || failure != null) {
                groupCommitCycle();
                return;
            }
            long deadline = System.nanoTime() + delay;
            while (lastSeq - covered < maxBatch && !closed && failure == null) {
                long rem = deadline - System.nanoTime();
                if (rem <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, rem);
            }
            covered = groupCommitCycle();
        }
    }

    /** One group commit: takes the waiting futures and the last sequence, forces, hands the futures on. Returns the sequence covered. */
    private long groupCommitCycle() {
        FileChannel ch;
        long target;
        Batch b;
        writeLock.lock();
        try {
            if (failure == null) {
                try {
                    drain();
                } catch (JournalException e) {
                    // failure is set: the batch fails below
                }
            }
            ch = active;
            target = lastSeq;
            b = waitingFutures;
            waitingFutures = null;
            lastTarget = target;
        } finally {
            writeLock.unlock();
        }
        if (batchSizes != null && target > durableSeq) {
            batchSizes.record(target - durableSeq);
        }
        forceTo(ch, target);
        if (b != null) {
            if (durableSeq < b.seqs[b.n - 1]) {
                b.durable = durableSeq;
                b.error = new JournalException(failureMessage != null ? failureMessage + "; record not acknowledged"
                        : "journal " + dir + " closed before the record was made durable", failure);
            }
            completions.add(b);
        }
        return target;
    }

    /** Starts the thread that completes appendAsync futures. Caller holds writeLock. */
    private void startCompleter() {
        Thread t = config.threadFactory().newThread(new Named("completer", this::completeLoop));
        completer = t;
        t.start();
    }

    /** The completer: completes the futures of each batch in sequence order, off the flusher. */
    private void completeLoop() {
        while (true) {
            Batch b;
            try {
                b = completions.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (b == Batch.END) {
                return;
            }
            for (int i = 0; i < b.n; i++) {
                CompletableFuture<Long> f = b.futures[i];
                b.futures[i] = null;
                long seq = b.seqs[i];
                try {
                    if (b.error == null || seq <= b.durable) {
                        f.complete(seq);
                    } else {
                        f.completeExceptionally(b.error);
                    }
                } catch (Throwable t) {
                    log.warn("Journal {}: a completion callback threw", dir, t);
                }
            }
            b.n = 0;
            b.error = null;
            if (b.futures.length <= 1 << 16 && freeBatches.size() < 4) {
                freeBatches.add(b);
            }
        }
    }

    /** The futures one group commit covers, in sequence order. Reused. */
    static final class Batch {
        static final Batch END = new Batch();

        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] futures = new CompletableFuture[256];
        long[] seqs = new long[256];
        int n;
        JournalException error;
        long durable;

        void add(CompletableFuture<Long> f, long seq) {
            if (n == seqs.length) {
                futures = Arrays.copyOf(futures, n * 2);
                seqs = Arrays.copyOf(seqs, n * 2);
            }
            futures[n] = f;
            seqs[n++] = seq;
        }
    }

    /** A runnable whose {@code toString} names the journal thread it runs (see JournalConfig's default thread factory). */
    private record Named(String role, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public String toString() {
            return role;
        }
    }

    // ---------------------------------------------------------------- reading and maintenance

    @Override
    public JournalReader read(long fromSequence) {
        if (closed) {
            throw new JournalException("journal " + dir + " is closed");
        }
        return new SegmentedReader(this, fromSequence);
    }

    /** The segment file that starts at {@code base}, or null. */
    Map.Entry<Long, Path> segmentFor(long seq) {
        Map.Entry<Long, Path> e = segmentFiles.floorEntry(seq);
        return e != null ? e : segmentFiles.ceilingEntry(seq);
    }

    Map.Entry<Long, Path> segmentAfter(long base) {
        return segmentFiles.higherEntry(base);
    }

    FileChannelFactory files() {
        return files;
    }

    @Override
    public long firstSequence() {
        Map.Entry<Long, Path> e = segmentFiles.firstEntry();
        return e == null ? lastSeq + 1 : Math.min(e.getKey(), lastSeq + 1);
    }

    @Override
    public long lastSequence() {
        return lastSeq;
    }

    @Override
    public long durableSequence() {
        return durableSeq;
    }

    @Override
    public void flush() {
        forceLock.lock();
        try {
            checkUsable();
            forceNow();
        } finally {
            forceLock.unlock();
        }
        checkUsable();
    }

    @Override
    public List<SegmentInfo> segments() {
        long activeB;
        writeLock.lock();
        try {
            activeB = activeBase;
        } finally {
            writeLock.unlock();
        }
        List<SegmentInfo> out = new ArrayList<>();
        for (Map.Entry<Long, Path> e : segmentFiles.entrySet()) {
            long size;
            try {
                size = Files.size(e.getValue());
            } catch (IOException ex) {
                size = -1;
            }
            out.add(new SegmentInfo(e.getValue(), e.getKey(), size, e.getKey() == activeB));
        }
        return out;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public JournalConfig config() {
        return config;
    }

    @Override
    public List<SegmentInfo> compact(long coveredSequence, long olderThanMillis) {
        List<SegmentInfo> deleted = new ArrayList<>();
        writeLock.lock();
        try {
            checkUsable();
            for (Map.Entry<Long, Path> e : segmentFiles.entrySet()) {
                long base = e.getKey();
                if (base == activeBase) {
                    break;
                }
                Long next = segmentFiles.higherKey(base);
                long lastInSegment = next - 1;
                if (lastInSegment > coveredSequence || newestTimestamp(e.getValue(), base) >= olderThanMillis) {
                    break;
                }
                long size = Files.size(e.getValue());
                Files.delete(e.getValue());
                segmentFiles.remove(base);
                deleted.add(new SegmentInfo(e.getValue(), base, size, false));
                log.info("Journal {}: compacted segment {} (sequences {}..{})", dir, e.getValue().getFileName(), base,
                        lastInSegment);
            }
            if (!deleted.isEmpty()) {
                FileSupport.fsyncDirectory(files, dir);
            }
        } catch (IOException e) {
            throw new JournalException("journal " + dir + ": compaction failed (" + e + ")", e);
        } finally {
            writeLock.unlock();
        }
        return deleted;
    }

    /** The newest timestamp in a sealed segment (a damaged record stops the scan: Long.MAX_VALUE, never compacted). */
    private long newestTimestamp(Path p, long base) throws IOException {
        try (FileChannel ch = FileSupport.openRead(files, p)) {
            SegmentScanner sc = new SegmentScanner(ch, SegmentFormat.HEADER_SIZE, ch.size(), base, config.maxRecordSize());
            long newest = Long.MIN_VALUE;
            while (true) {
                SegmentScanner.Result r = sc.next();
                if (r == SegmentScanner.Result.RECORD) {
                    newest = Math.max(newest, sc.timestamp());
                } else if (r == SegmentScanner.Result.END) {
                    return newest;
                } else {
                    return Long.MAX_VALUE;
                }
            }
        }
    }

    @Override
    public Path quarantine(long baseSequence) {
        writeLock.lock();
        try {
            checkUsable();
            Path p = segmentFiles.get(baseSequence);
            if (p == null) {
                throw new IllegalArgumentException("baseSequence must name a segment of journal " + dir + ", was "
                        + baseSequence);
            }
            if (baseSequence == activeBase) {
                if (activePos == SegmentFormat.HEADER_SIZE) {
                    throw new IllegalArgumentException("baseSequence must name a segment with records, was "
                            + baseSequence + " (the empty active segment)");
                }
                roll(lastSeq + 1);
            }
            Path qdir = dir.resolve(QUARANTINE_DIR);
            FileSupport.createDirectories(qdir);
            Path target = qdir.resolve(p.getFileName() + "." + config.clock().millis());
            Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
            segmentFiles.remove(baseSequence);
            FileSupport.fsyncDirectory(files, qdir);
            FileSupport.fsyncDirectory(files, dir);
            log.warn("Journal {}: segment {} quarantined to {}", dir, p.getFileName(), target);
            return target;
        } catch (IOException e) {
            throw new JournalException("journal " + dir + ": quarantine of segment " + baseSequence + " failed (" + e
                    + ")", e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (failure == null) {
            forceLock.lock();
            try {
                forceNow();
            } catch (JournalException e) {
                log.error("Journal {}: forcing on close failed", dir, e);
            } finally {
                forceLock.unlock();
            }
        }
        syncLock.lock();
        try {
            closed = true;
            work.signalAll();
            done.signalAll();
        } finally {
            syncLock.unlock();
        }
        if (flusher != null) {
            LockSupport.unpark(flusher);
            try {
                flusher.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Thread c;
        writeLock.lock();
        try {
            c = completer;
        } finally {
            writeLock.unlock();
        }
        if (c != null) {
            completions.add(Batch.END);
            if (c != Thread.currentThread()) {
                try {
                    c.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        writeLock.lock();
        try {
            if (failure == null) {
                try {
                    drain();
                    active.force(false);
                    advanceDurable(lastSeq);
                } catch (IOException | JournalException e) {
                    log.error("Journal {}: final force failed", dir, e);
                }
            }
            closeQuietly(active);
        } finally {
            writeLock.unlock();
        }
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException e) {
            log.debug("Journal {}: releasing the lock failed", dir, e);
        }
        closeQuietly(lockChannel);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close failed", e);
        }
    }
}
