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
}
