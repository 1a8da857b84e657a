package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The responsiveness sample of a call that asked for progress: its longest silence. */
class ProgressWatchTest {

    private static final long MS = 1_000_000L;

    @Test
    void withoutNotificationsTheWholeDurationCounts() {
        ProgressWatch w = new ProgressWatch("t", 0);
        assertThat(w.responseNanos(2_000 * MS)).isEqualTo(2_000 * MS);
    }

    @Test
    void withNotificationsTheLongestSilenceCounts_firstGapBetweenGapsOrTheTail() {
        ProgressWatch steady = new ProgressWatch("t", 0);
        for (int i = 1; i <= 20; i++) {
            steady.onProgress(i * 100 * MS);
        }
        assertThat(steady.notifications()).isEqualTo(20);
        assertThat(steady.responseNanos(2_010 * MS)).as("a 2 s tool reporting every 100 ms").isEqualTo(100 * MS);

        ProgressWatch slowStart = new ProgressWatch("t", 0);
        slowStart.onProgress(700 * MS);
        slowStart.onProgress(800 * MS);
        assertThat(slowStart.responseNanos(850 * MS)).as("time to the first progress").isEqualTo(700 * MS);

        ProgressWatch stall = new ProgressWatch("t", 0);
        stall.onProgress(100 * MS);
        stall.onProgress(1_600 * MS);
        assertThat(stall.responseNanos(1_700 * MS)).as("a stall between two notifications").isEqualTo(1_500 * MS);

        ProgressWatch tail = new ProgressWatch("t", 0);
        tail.onProgress(100 * MS);
        assertThat(tail.responseNanos(3_100 * MS)).as("silent after the last notification").isEqualTo(3_000 * MS);
    }

    @Test
    void tokensAreKeyedSoThatJsonNumberTypesMatch() {
        assertThat(ProgressWatch.keyOf(null)).isNull();
        assertThat(ProgressWatch.keyOf(Map.of("other", 1))).isNull();
        Map<String, Object> meta = new HashMap<>();
        meta.put("progressToken", 7L);
        assertThat(ProgressWatch.keyOf(meta)).isEqualTo(ProgressWatch.key(7)); // Long sent, Integer parsed back
        assertThat(ProgressWatch.key("7")).isNotEqualTo(ProgressWatch.key(7));
        assertThat(ProgressWatch.key("p-1")).isEqualTo(ProgressWatch.key("p-1"));
    }
}
