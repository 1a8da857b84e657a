package io.qudag.resilience.benchmarks.recovery;

import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Journal appends of 100-byte records (spec §4.2), in one run beside their peers: SYNC from one
 * thread; GROUP_COMMIT with blocking appends from 16 threads and with pipelined
 * {@code appendAsync} from one thread (at most {@value #WINDOW} futures outstanding); ASYNC; the
 * machine's limit, a raw {@code FileChannel.write} + {@code force} loop of the same records (its
 * time per operation is the fsync latency); and RocksDB's write-ahead log with
 * {@code WriteOptions.sync = true} from one thread and from 16 (RocksDB groups their syncs itself).
 * Throughput in records per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class JournalAppendBenchmark {

    static final byte[] PAYLOAD = new byte[100];

    /** The most appendAsync futures outstanding in {@link #groupCommitAppendAsyncPipelined}. */
    static final int WINDOW = 4096;

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A journal under one durability. */
    public abstract static class JournalState {
        Path dir;
        Journal journal;

        abstract Durability durability();

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("journal-bench");
            journal = Journal.open(JournalConfig.builder(dir).durability(durability())
                    .groupCommitMaxDelay(Duration.ofMillis(1)).groupCommitMaxBatch(64).build());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            journal.close();
            deleteTree(dir);
        }
    }

    /** A journal under SYNC. */
    @State(Scope.Benchmark)
    public static class SyncJournal extends JournalState {
        @Override
        Durability durability() {
            return Durability.SYNC;
        }
    }

    /** A journal under GROUP_COMMIT. */
    @State(Scope.Benchmark)
    public static class GroupJournal extends JournalState {
        @Override
        Durability durability() {
            return Durability.GROUP_COMMIT;
        }
    }

    /** A journal under ASYNC. */
    @State(Scope.Benchmark)
    public static class AsyncJournal extends JournalState {
        @Override
        Durability durability() {
            return Durability.ASYNC;
        }
    }

    /** A GROUP_COMMIT journal fed by one pipelining thread: its window of outstanding futures. */
    @State(Scope.Thread)
    public static class Pipeline {
        final ArrayDeque<CompletableFuture<Long>> outstanding = new ArrayDeque<>(WINDOW + 1);

        /** Every counted append is durable before the iteration's figure is taken. */
        @TearDown(Level.Iteration)
        public void drain() {
            for (CompletableFuture<Long> f; (f = outstanding.poll()) != null; ) {
                f.join();
            }
        }
    }

    /** A RocksDB database whose puts are synced: its write-ahead log is forced before each put returns. */
    @State(Scope.Benchmark)
    public static class Rocks {
        Path dir;
        Options options;
        RocksDB db;
        WriteOptions sync;
        final AtomicLong keys = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws IOException, RocksDBException {
            RocksDB.loadLibrary();
            dir = Files.createTempDirectory("rocksdb-bench");
            options = new Options().setCreateIfMissing(true);
            db = RocksDB.open(options, dir.toString());
            sync = new WriteOptions().setSync(true);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            sync.close();
            db.close();
            options.close();
            deleteTree(dir);
        }

        void put() throws RocksDBException {
            long k = keys.getAndIncrement();
            byte[] key = new byte[8];
            for (int i = 0; i < 8; i++) {
                key[i] = (byte) (k >>> (56 - 8 * i));
            }
            db.put(sync, key, PAYLOAD);
        }
    }

    /** A plain file written and forced record by record. */
    @State(Scope.Benchmark)
    public static class RawFile {
        Path dir;
        FileChannel channel;
        ByteBuffer buf = ByteBuffer.allocateDirect(125);
        long position;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("raw-bench");
            channel = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            deleteTree(dir);
        }
    }

    @Benchmark
    @Threads(1)
    public long syncAppend(SyncJournal s) {
        return s.journal.append(1, PAYLOAD);
    }

    @Benchmark
    @Threads(16)
    public long groupCommitAppend16Threads(GroupJournal s) {
        return s.journal.append(1, PAYLOAD);
    }

    /** Pipelined GROUP_COMMIT: appendAsync, waiting only when {@value #WINDOW} futures are outstanding. */
    @Benchmark
    @Threads(1)
    public CompletableFuture<Long> groupCommitAppendAsyncPipelined(GroupJournal s, Pipeline p) {
        CompletableFuture<Long> f = s.journal.appendAsync(1, PAYLOAD);
        p.outstanding.add(f);
        if (p.outstanding.size() > WINDOW) {
            p.outstanding.poll().join();
        }
        return f;
    }

    /** RocksDB's WAL, one synced put at a time. */
    @Benchmark
    @Threads(1)
    public void rocksdbSyncPut(Rocks r) throws RocksDBException {
        r.put();
    }

    /** RocksDB's WAL, synced puts from 16 threads: RocksDB's write group shares one sync among them. */
    @Benchmark
    @Threads(16)
    public void rocksdbSyncPut16Threads(Rocks r) throws RocksDBException {
        r.put();
    }

    @Benchmark
    @Threads(1)
    public long asyncAppend(AsyncJournal s) {
        return s.journal.append(1, PAYLOAD);
    }

    /** The machine's limit: one 125-byte write (a record with its header) and one fdatasync. */
    @Benchmark
    @Threads(1)
    public long rawWriteForce(RawFile f) throws IOException {
        f.buf.clear();
        f.buf.put(PAYLOAD).putLong(f.position).putLong(0).putInt(0).putInt(0).put((byte) 1).flip();
        int n = f.channel.write(f.buf, f.position);
        f.position += n;
        f.channel.force(false);
        return f.position;
    }
}
