package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.health.event.HealthAlertEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads record and evaluate at once: every accepted sample is counted, alerts stay paired. */
class ConcurrentRecordingTest {

    @Test
    void samplesFromManyThreadsAddUpAndAlertsAlternate() throws Exception {
        MutableClock clock = new MutableClock();
        List<HealthAlertEvent> alerts = new CopyOnWriteArrayList<>();
        HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock).alertListener(alerts::add).build();
        int threads = 8;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int accepted = 0;
                    for (int i = 0; i < perThread; i++) {
                        double v = (i + id) % 50 == 0 ? Double.NaN : ((i / 250) % 2 == 0 ? 100 : 2500);
                        if (system.record("ep-" + (id % 2), MetricSpecs.RESPONSE_TIME_P95, v)) {
                            accepted++;
                        }
                    }
                    return accepted;
                }));
            }
            Future<?> evaluator = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    system.evaluate();
                }
                return null;
            });
            start.countDown();
            int accepted = 0;
            for (Future<Integer> f : results) {
                accepted += f.get(60, TimeUnit.SECONDS);
            }
            evaluator.get(60, TimeUnit.SECONDS);
            long stored = system.history("ep-0", MetricSpecs.RESPONSE_TIME_P95).orElseThrow().sampleCount()
                    + system.history("ep-1", MetricSpecs.RESPONSE_TIME_P95).orElseThrow().sampleCount();
            assertThat(stored).isEqualTo(accepted);
            assertThat(system.rejectedSamples()).isEqualTo((long) threads * perThread - accepted);
            for (String subject : List.of("ep-0", "ep-1")) {
                List<HealthAlertEvent> mine = alerts.stream().filter(a -> a.subject().equals(subject)).toList();
                for (int i = 1; i < mine.size(); i++) {
                    assertThat(mine.get(i).previousLevel()).as("events of %s chain", subject)
                            .isEqualTo(mine.get(i - 1).level());
                }
            }
        } finally {
            pool.shutdownNow();
            system.close();
        }
    }
}
