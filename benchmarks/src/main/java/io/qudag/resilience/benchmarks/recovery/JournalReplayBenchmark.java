package io.qudag.resilience.benchmarks.recovery;

import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.RecoveryRequest;
import io.qudag.resilience.recovery.RecoveryTarget;
import io.qudag.resilience.recovery.spi.RecoverableState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay (spec §4.2): reading 1 M records of 100 bytes with checksum checks, and recovering a state
 * over 1 M records from a snapshot at 900 k plus a 100 k tail. One operation = the whole replay or
 * recovery; records per second = 1 M / score.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JournalReplayBenchmark {

    static final int RECORDS = 1_000_000;

    /** The sum of the first payload long of every record. */
    static final class SumState implements RecoverableState<long[]> {
        @Override
        public long[] empty() {
            return new long[1];
        }

        @Override
        public long[] apply(long[] state, JournalRecord event) {
            state[0] += event.payloadByte(0);
            return state;
        }

        @Override
        public byte[] snapshot(long[] state) {
            return ByteBuffer.allocate(8).putLong(state[0]).array();
        }

        @Override
        public long[] restore(byte[] image) {
            return new long[] {ByteBuffer.wrap(image).getLong()};
        }
    }

    Path dir;
    Journal journal;
    RecoveryManager<long[]> manager;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("replay-bench");
        journal = Journal.open(JournalConfig.builder(dir).durability(Durability.ASYNC).build());
        manager = RecoveryManager.builder(journal, new SumState()).scrubOnSchedule(false).build();
        byte[] payload = new byte[100];
        for (int i = 1; i <= RECORDS; i++) {
            payload[0] = (byte) i;
            manager.append(1, payload);
            if (i == RECORDS - 100_000) {
                manager.snapshot();
            }
        }
        journal.flush();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        manager.close();
        journal.close();
        JournalAppendBenchmark.deleteTree(dir);
    }

    /** Reads and checks all 1 M records. */
    @Benchmark
    public long replayAll() {
        long n = 0;
        try (JournalReader r = journal.read(1)) {
            while (r.hasNext()) {
                n += r.next().payloadLength();
            }
        }
        return n;
    }

    /** Recovers the state at the newest record from the snapshot (900 k) and the 100 k tail. */
    @Benchmark
    public long recoverFromSnapshotAndTail() {
        return manager.recover(RecoveryRequest.preview(RecoveryTarget.latest())).state()[0];
    }
}
