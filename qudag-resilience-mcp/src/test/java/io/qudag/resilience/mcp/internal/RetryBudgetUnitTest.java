package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The retry budget's arithmetic on an injected ticker: ratio, per-second floor, sliding window. */
class RetryBudgetUnitTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(123 * SECOND);

    @Test
    void ratioOfTheCallsInTheWindow_plusTheFloor() {
        RetryBudget b = new RetryBudget(0.2, 1, 10, now::get);
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            b.deposit();
        }
        while (b.tryWithdraw()) {
            allowed++;
        }
        assertThat(allowed).as("20%% of 100 calls + 1/s over 10 s").isEqualTo(30);
    }

    @Test
    void theFloorAloneLetsAQuietClientRetry_andTheWindowSlides() {
        RetryBudget b = new RetryBudget(0.2, 1, 3, now::get);
        int allowed = 0;
        while (b.tryWithdraw()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(3);
        now.addAndGet(SECOND);
        assertThat(b.tryWithdraw()).as("the window still holds the 3 spent").isFalse();
        now.addAndGet(3 * SECOND);
        assertThat(b.tryWithdraw()).as("the spent attempts left the window").isTrue();
    }

    @Test
    void callsOutsideTheWindowNoLongerPay() {
        RetryBudget b = new RetryBudget(0.5, 0, 2, now::get);
        for (int i = 0; i < 10; i++) {
            b.deposit();
        }
        assertThat(b.tryWithdraw()).isTrue();
        now.addAndGet(5 * SECOND);
        assertThat(b.tryWithdraw()).isFalse();
    }

    @Test
    void badSettingsFailNamingTheField() {
        assertThatThrownBy(() -> new RetryBudget(-0.1, 0, 10, now::get)).hasMessage("ratio must be in [0, 1000], was -0.1");
        assertThatThrownBy(() -> new RetryBudget(0.2, -1, 10, now::get)).hasMessage("minPerSecond must be >= 0, was -1");
        assertThatThrownBy(() -> new RetryBudget(0.2, 1, 0, now::get)).hasMessage("windowSeconds must be in [1, 3600], was 0");
    }

    @Test
    void depositsFromManyThreads_withTheCallersClockReading_areAllCounted() throws Exception {
        RetryBudget b = new RetryBudget(0.1, 0, 10, now::get);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    b.deposit(now.get());
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int allowed = 0;
        while (b.tryWithdraw()) {
            allowed++;
        }
        assertThat(allowed).as("10%% of 8,000 calls counted over the stripes").isEqualTo(800);
        // the next second's deposits land in a fresh bucket; the old one still counts within the window
        now.addAndGet(SECOND);
        for (int i = 0; i < 100; i++) {
            b.deposit(now.get());
        }
        assertThat(b.tryWithdraw()).isTrue();
        assertThat(b.tryWithdraw()).isTrue();
        int more = 0;
        while (b.tryWithdraw()) {
            more++;
        }
        assertThat(more).as("10%% of the 100 new calls, two taken above").isEqualTo(8);
    }
}
