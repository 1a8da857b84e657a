package io.qudag.resilience.examples;

import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.RecoveryRequest;
import io.qudag.resilience.recovery.RecoveryResult;
import io.qudag.resilience.recovery.RecoveryTarget;
import io.qudag.resilience.recovery.Snapshot;
import io.qudag.resilience.recovery.spi.RecoverableState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The recovery module (spec §4.1, §4.2) on a small event-sourced state, counters by name: appends to a
 * journal under {@link Durability#GROUP_COMMIT} from 4 threads (each append returns once an fsync shared
 * with the others covers it), a snapshot, a reopen (the state comes back from the snapshot and the
 * records after it), then a bad import of 10 records and a point-in-time recovery to the instant before
 * it. Record timestamps come from a clock the example moves by hand, so "a minute later" takes no time.
 * Prints the counts at each step and exits 0 when each recovered state is the expected one. Run:
 * {@code java -cp examples/target/qudag-resilience-examples.jar io.qudag.resilience.examples.RecoveryExample}.
 */
public final class RecoveryExample {

    /** What the example saw; {@link #held()} when every point it shows held. */
    record Result(long appended, long snapshotSequence, long reopenedOrders, long reopenedLastSequence,
                  long beforeRecovery, long recoveredOrders, long recoveredLastSequence, long replayedAfterSnapshot,
                  long afterSecondReopen) {
        boolean held() {
            return appended == 310 && snapshotSequence == 200 && reopenedOrders == 10_300 && reopenedLastSequence == 310
                    && beforeRecovery == 10_300 && recoveredOrders == 300 && recoveredLastSequence == 300
                    && replayedAfterSnapshot == 100 && afterSecondReopen == 300;
        }
    }

    /** Counters by name; a record {@code name:+n} adds n. Deterministic, as replay requires. */
    static final class Counters implements RecoverableState<Map<String, Long>> {
        @Override
        public Map<String, Long> empty() {
            return new TreeMap<>();
        }

        @Override
        public Map<String, Long> apply(Map<String, Long> state, JournalRecord event) {
            String[] kv = event.payloadAsString().split(":");
            state.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
            return state;
        }

        @Override
        public byte[] snapshot(Map<String, Long> state) {
            StringBuilder out = new StringBuilder();
            state.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Map<String, Long> restore(byte[] image) {
            Map<String, Long> m = new TreeMap<>();
            for (String line : new String(image, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    m.put(line.substring(0, line.indexOf('=')), Long.parseLong(line.substring(line.indexOf('=') + 1)));
                }
            }
            return m;
        }
    }

    private RecoveryExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("qudag-recovery-example");
        Result r = run(dir);
        System.out.println(r.held() ? "ALL BEHAVIOURS HELD" : "SOME BEHAVIOURS DID NOT HOLD: " + r);
        System.exit(r.held() ? 0 : 1);
    }

    static Result run(Path dir) throws Exception {
        HealthExample.HandClock clock = new HealthExample.HandClock();
        JournalConfig config = JournalConfig.builder(dir).durability(Durability.GROUP_COMMIT).clock(clock).build();
        System.out.println("journal in " + dir + " (GROUP_COMMIT: concurrent appenders share one fsync)");

        long appended;
        long snapshotSequence;
        try (Journal journal = Journal.open(config);
             RecoveryManager<Map<String, Long>> orders = manager(journal, clock)) {
            appendFromThreads(orders, 4, 50, "orders:+1");
            Snapshot snapshot = orders.snapshot();
            snapshotSequence = snapshot.lastSequence();
            System.out.printf("200 appends from 4 threads, orders=%d; snapshot (%s) covers records 1..%d%n",
                    orders.current().get("orders"), snapshot.kind(), snapshotSequence);
            clock.advance(Duration.ofMinutes(1));
            appendFromThreads(orders, 4, 25, "orders:+1");
            System.out.printf("a minute later, 100 more appends: orders=%d%n", orders.current().get("orders"));
            clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < 10; i++) {
                orders.append(1, "orders:+1000".getBytes(StandardCharsets.UTF_8)); // a bad import
            }
            appended = orders.lastAppliedSequence();
            System.out.printf("a minute later, a bad import of 10 records (+1000 each): orders=%d, %d records%n",
                    orders.current().get("orders"), appended);
        }
        Instant beforeImport = clock.instant().minus(Duration.ofSeconds(30));

        long reopenedOrders;
        long reopenedLast;
        RecoveryResult<Map<String, Long>> recovered;
        long beforeRecovery;
        try (Journal journal = Journal.open(config);
             RecoveryManager<Map<String, Long>> orders = manager(journal, clock)) {
            reopenedOrders = orders.current().get("orders");
            reopenedLast = orders.lastAppliedSequence();
            System.out.printf("reopened: orders=%d, last applied record %d (snapshot + replay of the records after it)%n",
                    reopenedOrders, reopenedLast);
            beforeRecovery = orders.current().get("orders");
            recovered = orders.recover(RecoveryRequest.to(RecoveryTarget.instant(beforeImport)));
            System.out.printf("point-in-time recovery to %s (30 s before the import): orders=%d, last record %d, "
                            + "started from the snapshot at %d, replayed %d records, committed %s, took %d ms%n",
                    beforeImport, recovered.state().get("orders"), recovered.lastSequence(),
                    recovered.snapshot() == null ? 0 : recovered.snapshot().lastSequence(), recovered.recordsReplayed(),
                    recovered.committed(), recovered.took().toMillis());
        }
        long afterSecondReopen;
        try (Journal journal = Journal.open(config);
             RecoveryManager<Map<String, Long>> orders = manager(journal, clock)) {
            afterSecondReopen = orders.current().get("orders");
            System.out.printf("reopened again: orders=%d (the recovery wrote a full snapshot, so a restart resumes"
                    + " from the recovered state)%n", afterSecondReopen);
        }
        return new Result(appended, snapshotSequence, reopenedOrders, reopenedLast, beforeRecovery,
                recovered.state().get("orders"), recovered.lastSequence(), recovered.recordsReplayed(), afterSecondReopen);
    }

    private static RecoveryManager<Map<String, Long>> manager(Journal journal, HealthExample.HandClock clock) {
        return RecoveryManager.builder(journal, new Counters()).clock(clock).scrubOnSchedule(false).build();
    }

    private static void appendFromThreads(RecoveryManager<Map<String, Long>> m, int threads, int each, String record)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        m.append(1, record.getBytes(StandardCharsets.UTF_8));
                    }
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
    }
}
