package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.MutableClock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void followsItsSourceAtItsResolutionAndStopsOnClose() {
        MutableClock source = new MutableClock();
        try (CoarseClock clock = CoarseClock.start(source, Duration.ofMillis(5), scheduler)) {
            assertThat(clock.millis()).isEqualTo(source.millis());
            source.advance(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> clock.millis() == source.millis());
            assertThat(clock.instant()).isEqualTo(source.instant());
            clock.close();
            long last = clock.millis();
            source.advance(Duration.ofSeconds(10));
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> clock.millis() == last);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> CoarseClock.start(new MutableClock(), Duration.ZERO, scheduler))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("resolution must be a positive duration, was PT0S");
        assertThatThrownBy(() -> CoarseClock.start(new MutableClock(), Duration.ofMillis(1), null))
                .hasMessage("scheduler must not be null, was null");
    }
}
