package io.qudag.resilience.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataLossTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void measure_countsEveryLostRecordAndSpansFromTheFirstLostToTheLastAcknowledged() {
        Map<Long, Instant> acknowledged = new LinkedHashMap<>();
        for (long id = 0; id < 10; id++) {
            acknowledged.put(id, T0.plusMillis(100 * id));
        }
        DataLoss loss = DataLoss.measure(acknowledged, Set.of(0L, 1L, 2L, 3L, 4L, 5L, 7L, 8L));

        assertThat(loss.acknowledged()).isEqualTo(10);
        assertThat(loss.lost()).isEqualTo(2);
        assertThat(loss.window()).isEqualTo(Duration.ofMillis(300)); // record 6 at 600 ms .. last ack at 900 ms
        assertThat(loss.nothingLost()).isFalse();
        assertThat(loss).hasToString("2 of 10 acknowledged records lost (window PT0.3S)");
    }

    @Test
    void measure_withEverythingRecovered_isNone() {
        Map<String, Instant> acknowledged = Map.of("a", T0, "b", T0.plusSeconds(1));
        assertThat(DataLoss.measure(acknowledged, Set.of("a", "b", "extra"))).isEqualTo(DataLoss.none(2));
    }

    @Test
    void badValuesAreRefusedNamingFieldAndValue() {
        assertThatThrownBy(() -> new DataLoss(-1, 0, Duration.ZERO))
                .hasMessage("acknowledged must not be negative, was -1");
        assertThatThrownBy(() -> new DataLoss(3, 4, Duration.ofSeconds(1)))
                .hasMessage("lost must be between 0 and acknowledged (3), was 4");
        assertThatThrownBy(() -> new DataLoss(3, 1, Duration.ofSeconds(-1)))
                .hasMessage("window must not be negative, was PT-1S");
        assertThatThrownBy(() -> new DataLoss(3, 0, Duration.ofSeconds(1)))
                .hasMessage("window must be zero when nothing was lost, was PT1S");
        assertThatThrownBy(() -> DataLoss.measure(null, Set.of()))
                .hasMessage("acknowledgedAt and recovered must not be null, were null, a set");
    }

    @Test
    void aReportCarriesTheLossAndItsWindowAsTheRpo() {
        ExperimentReport r = ReportWriterTest.sample().withDataLoss(new DataLoss(50, 2, Duration.ofMillis(1500)));
        assertThat(r.rpo()).hasValue(Duration.ofMillis(1500));
        assertThat(r.rpoMet()).isTrue(); // within CRITICAL's 5 s
        assertThat(r.dataLoss()).hasValue(new DataLoss(50, 2, Duration.ofMillis(1500)));
    }
}
