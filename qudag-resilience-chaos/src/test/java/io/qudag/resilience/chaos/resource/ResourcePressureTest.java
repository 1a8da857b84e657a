package io.qudag.resilience.chaos.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ResourcePressureTest {

    private final ChaosSwitch armed = ChaosSwitch.create("res", n -> "true");

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void memoryPressure_holdsTheBytes_andReleasesThemOnHeal() throws Exception {
        armed.enable();
        long bytes = 48L << 20;
        Fault memory = ResourcePressure.memory("mem", bytes, armed);
        long before = usedHeap();
        memory.inject();
        long held = usedHeap();
        assertThat(held - before).isGreaterThanOrEqualTo(bytes - (4L << 20));
        memory.heal();
        assertThat(usedHeap()).isLessThan(held - (32L << 20));
    }

    @Test
    void memoryPressure_isCappedAtHalfTheHeap() {
        long tooMuch = Runtime.getRuntime().maxMemory();
        assertThatThrownBy(() -> ResourcePressure.memory("mem", tooMuch, armed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was " + tooMuch);
    }

    @Test
    void saturation_occupiesThePool_untilHealed() throws Exception {
        armed.enable();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Fault saturate = ResourcePressure.saturate("pool", pool, 2, armed);
            saturate.inject();
            Future<String> queued = pool.submit(() -> "ran");
            assertThatThrownBy(() -> queued.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            saturate.heal();
            assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("ran");
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> ResourcePressure.saturate("p", pool, 0, armed))
                .hasMessage("tasks must be 1..1024, was 0");
    }

    @Test
    void cpuBurn_runsItsThreads_andStopsThemOnHeal() throws Exception {
        armed.enable();
        Fault burn = ResourcePressure.cpuBurn("burn", 1, 10_000, armed);
        burn.inject();
        assertThat(burnerThreads()).isEqualTo(1);
        burn.heal();
        assertThat(burnerThreads()).isZero();
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThatThrownBy(() -> ResourcePressure.cpuBurn("b", cpus + 1, 10, armed))
                .hasMessage("threads must be 1.." + cpus + " (the processors), was " + (cpus + 1));
    }

    @Test
    void cpuBurn_endsByItselfAtItsCap() throws Exception {
        armed.enable();
        Fault burn = ResourcePressure.cpuBurn("capped", 1, 100, armed);
        burn.inject();
        await().atMost(Duration.ofSeconds(10)).until(() -> burnerThreads() == 0);
        burn.heal();
    }

    private static long burnerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("qudag-chaos-cpu-") && t.isAlive()).count();
    }
}
