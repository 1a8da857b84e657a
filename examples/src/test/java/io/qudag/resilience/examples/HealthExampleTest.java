package io.qudag.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link HealthExample}: the score dips during the outage, alerts are raised and cleared, the score returns. */
class HealthExampleTest {

    @Test
    void theOutageDipsTheScoreAndRaisesAndClearsAlerts() {
        HealthExample.Result r = HealthExample.run();
        assertThat(r.scoreBefore()).isGreaterThanOrEqualTo(90);
        assertThat(r.lowestScore()).isLessThan(60);
        assertThat(r.scoreAfter()).isGreaterThanOrEqualTo(90);
        assertThat(r.alerts()).anyMatch(a -> a.startsWith("request_success_rate RAISED"))
                .anyMatch(a -> a.startsWith("response_time_p95 RAISED"))
                .anyMatch(a -> a.contains("CLEARED"));
        assertThat(r.actions()).isNotEmpty();
        assertThat(r.held()).isTrue();
    }
}
