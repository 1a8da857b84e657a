package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends through the manager from many threads share group commits and are applied in sequence order. */
class RecoveryManagerConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsShareForcesAndTheLiveStateEqualsAReplay() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int threads = 8;
        int each = 200;
        TreeMap<String, Long> live;
        try (Journal j = Journal.open(JournalConfig.builder(dir).durability(Durability.GROUP_COMMIT).meterRegistry(registry)
                .name("managed").build());
             RecoveryManager<TreeMap<String, Long>> m = RecoveryManager.builder(j, new KvState()).scrubOnSchedule(false).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        long seq = m.append(1, KvState.event("t" + id, i));
                        assertThat(m.lastAppliedSequence()).isGreaterThanOrEqualTo(seq);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            j.append(1, KvState.event("direct", 5)); // appended around the manager
            m.append(1, KvState.event("t0", 0));
            live = new TreeMap<>(m.current());
            long forces = registry.get("qudag.resilience.recovery.journal.fsync").timer().count();
            assertThat(forces).isLessThan(threads * each);
            assertThat(m.lastAppliedSequence()).isEqualTo(threads * each + 2);
        }
        long sum = (long) each * (each - 1) / 2;
        for (int t = 0; t < threads; t++) {
            assertThat(live).containsEntry("t" + t, sum);
        }
        assertThat(live).containsEntry("direct", 5L);
        try (Journal j = Journal.open(JournalConfig.builder(dir).build());
             RecoveryManager<TreeMap<String, Long>> m = RecoveryManager.builder(j, new KvState()).scrubOnSchedule(false).build()) {
            assertThat(m.current()).isEqualTo(live);
        }
    }
}
