package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.spi.FileChannelFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pipelined {@link Journal#appendAsync(int, byte[])}: ordering, durability before completion, failed forces, close. */
class JournalAppendAsyncTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private JournalConfig.Builder group() {
        return JournalConfig.builder(dir).durability(Durability.GROUP_COMMIT).segmentSize(64 * 1024)
                .groupCommitMaxDelay(Duration.ofMillis(1)).groupCommitMaxBatch(64);
    }

    @Test
    void concurrentAppendsGetContiguousSequencesInEachThreadsOrderAndCompleteOnlyWhenDurable() throws Exception {
        int threads = 4;
        int perThread = 3000;
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
        try (Journal j = Journal.open(group().build())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<CompletableFuture<Long>>>> submitted = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    submitted.add(pool.submit(() -> {
                        List<CompletableFuture<Long>> mine = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            CompletableFuture<Long> f = j.appendAsync(1, bytes("t" + id + "-" + i));
                            f.thenAccept(seq -> {
                                if (j.durableSequence() < seq) {
                                    violations.add("record " + seq + " completed before durable " + j.durableSequence());
                                }
                                if (Thread.currentThread().getName().startsWith("qudag-journal-flusher")) {
                                    violations.add("record " + seq + " completed on the flusher");
                                }
                            });
                            mine.add(f);
                        }
                        return mine;
                    }));
                }
                for (Future<List<CompletableFuture<Long>>> s : submitted) {
                    futures.add(s.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            CompletableFuture.allOf(futures.stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            assertThat(violations).isEmpty();
            assertThat(j.segments()).as("several segments rolled while futures were pending").hasSizeGreaterThan(2);
            long[] seqOf = new long[threads * perThread + 1];
            for (int t = 0; t < threads; t++) {
                long prev = 0;
                for (int i = 0; i < perThread; i++) {
                    long seq = futures.get(t).get(i).getNow(-1L);
                    assertThat(seq).as("thread %d keeps its order", t).isGreaterThan(prev);
                    prev = seq;
                    seqOf[(int) seq] = t * 100_000L + i + 1;
                }
            }
            assertThat(j.lastSequence()).isEqualTo(threads * perThread);
            assertThat(j.durableSequence()).isEqualTo(threads * perThread);
            try (JournalReader r = j.read(1)) {
                for (long seq = 1; seq <= threads * perThread; seq++) {
                    JournalRecord rec = r.next();
                    assertThat(rec.sequence()).as("contiguous").isEqualTo(seq);
                    long who = seqOf[(int) seq] - 1;
                    assertThat(rec.payloadAsString()).isEqualTo("t" + who / 100_000 + "-" + who % 100_000);
                }
                assertThat(r.hasNext()).isFalse();
            }
        }
    }

    @Test
    void aFailedForceFailsEveryPendingFutureAndTheJournalRefusesFurtherAppends() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        CountDownLatch allWritten = new CountDownLatch(1);
        FileChannelFactory faulty = (p, o, a) -> new FaultyChannel(FileChannel.open(p, o, a), () -> {
            if (broken.get()) {
                awaitQuietly(allWritten); // the failing force covers all 50 records
                return true;
            }
            return false;
        });
        try (Journal j = Journal.open(group().fileChannelFactory(faulty).groupCommitMaxBatch(1000).build())) {
            List<CompletableFuture<Long>> ok = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ok.add(j.appendAsync(1, bytes("ok-" + i)));
            }
            CompletableFuture.allOf(ok.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(j.durableSequence()).isEqualTo(20);

            broken.set(true);
            List<CompletableFuture<Long>> lost = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                lost.add(j.appendAsync(1, bytes("lost-" + i)));
            }
            allWritten.countDown();
            for (CompletableFuture<Long> f : lost) {
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(JournalException.class).hasMessageContaining(dir.toString())
                        .hasMessageContaining("fsync failed").hasMessageContaining("injected fsync failure")
                        .hasMessageContaining("not acknowledged");
            }
            broken.set(false);
            assertThatThrownBy(() -> j.appendAsync(1, bytes("after"))).isInstanceOf(JournalException.class)
                    .hasMessageContaining("failed earlier");
            assertThatThrownBy(() -> j.append(1, bytes("after"))).isInstanceOf(JournalException.class)
                    .hasMessageContaining("failed earlier");
            assertThat(j.durableSequence()).isEqualTo(20);
            assertThatThrownBy(j::flush).isInstanceOf(JournalException.class);
        }
        try (Journal j = Journal.open(JournalConfig.builder(dir).build()); JournalReader r = j.read(1)) {
            for (int i = 0; i < 20; i++) {
                assertThat(r.next().payloadAsString()).isEqualTo("ok-" + i);
            }
        }
    }

    @Test
    void aBlockedCallbackDoesNotStallTheForces() throws Exception {
        AtomicBoolean gated = new AtomicBoolean();
        CountDownLatch gate = new CountDownLatch(1);
        FileChannelFactory gatedForces = (p, o, a) -> new FaultyChannel(FileChannel.open(p, o, a), () -> {
            if (gated.get()) {
                awaitQuietly(gate);
            }
            return false;
        });
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Journal j = Journal.open(group().fileChannelFactory(gatedForces).build())) {
            gated.set(true); // no force completes until the callback is registered
            CompletableFuture<Long> first = j.appendAsync(1, bytes("first"));
            CompletableFuture<Void> blocked = first.thenRun(() -> {
                inCallback.countDown();
                awaitQuietly(release);
            });
            gated.set(false);
            gate.countDown();
            assertThat(inCallback.await(10, TimeUnit.SECONDS)).as("callback runs").isTrue();
            CompletableFuture<Long> second = j.appendAsync(1, bytes("second"));
            // the completer is held by the callback, yet the flusher goes on making records durable
            long third = j.append(1, bytes("third"));
            assertThat(j.durableSequence()).isGreaterThanOrEqualTo(third);
            assertThat(second).isNotDone();
            release.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            blocked.get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closeCompletesWhatIsPendingAndRefusesMore() throws Exception {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        Journal j = Journal.open(group().groupCommitMaxDelay(Duration.ofSeconds(1)).groupCommitMaxBatch(100_000).build());
        for (int i = 0; i < 100; i++) {
            fs.add(j.appendAsync(1, ByteBuffer.wrap(bytes("r" + i))));
        }
        j.close();
        for (int i = 0; i < 100; i++) {
            assertThat(fs.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
        }
        assertThatThrownBy(() -> j.appendAsync(1, bytes("late"))).isInstanceOf(JournalException.class)
                .hasMessageContaining("closed");
        try (Journal again = Journal.open(group().build())) {
            assertThat(again.lastSequence()).isEqualTo(100);
        }
    }

    @Test
    void aReaderSeesRecordsStillWaitingForTheirForce() throws Exception {
        try (Journal j = Journal.open(group().groupCommitMaxDelay(Duration.ofSeconds(1)).groupCommitMaxBatch(100_000)
                .build())) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fs.add(j.appendAsync(1, bytes("w" + i)));
            }
            try (JournalReader r = j.read(1)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(r.hasNext()).as("record %d visible", i + 1).isTrue();
                    assertThat(r.next().payloadAsString()).isEqualTo("w" + i);
                }
                assertThat(r.hasNext()).isFalse();
            }
            j.flush();
            assertThat(fs.get(9).get(10, TimeUnit.SECONDS)).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "ASYNC"})
    void underTheOtherPoliciesTheFutureIsCompleteOnReturn(Durability durability) {
        try (Journal j = Journal.open(JournalConfig.builder(dir).durability(durability).build())) {
            CompletableFuture<Long> f = j.appendAsync(1, bytes("x"));
            assertThat(f).isCompletedWithValue(1L);
            if (durability == Durability.SYNC) {
                assertThat(j.durableSequence()).isEqualTo(1);
            }
        }
    }

    @Test
    void badArgumentsFailAtOnceNamingTheField() {
        try (Journal j = Journal.open(group().build())) {
            assertThatThrownBy(() -> j.appendAsync(1, (byte[]) null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("payload");
            assertThatThrownBy(() -> j.appendAsync(0, bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("type").hasMessageContaining("was 0");
        }
    }
}
