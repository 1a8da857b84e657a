package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The adaptive liveness timeout: RFC 6298 arithmetic, clamping, Karn backoff. */
class RttEstimatorProperties {

    private static final long MS = 1_000_000L;

    @Property
    void timeoutStaysWithinFloorAndCeiling(@ForAll @Size(max = 50) List<@LongRange(min = 0, max = 60_000) Long> rttsMs,
            @ForAll @LongRange(min = 1, max = 1_000) long floorMs, @ForAll @LongRange(min = 0, max = 10_000) long spanMs) {
        RttEstimator e = new RttEstimator(floorMs * MS, (floorMs + spanMs) * MS);
        for (long r : rttsMs) {
            e.sample(r * MS);
            assertThat(e.timeoutNanos()).isBetween(floorMs * MS, (floorMs + spanMs) * MS);
            if (r % 7 == 0) {
                e.backoff();
                assertThat(e.timeoutNanos()).isBetween(floorMs * MS, (floorMs + spanMs) * MS);
            }
        }
    }

    @Test
    void followsRfc6298() {
        RttEstimator e = new RttEstimator(1, 60_000 * MS);
        assertThat(e.timeoutNanos()).as("before any sample: 1 s").isEqualTo(1_000 * MS);
        e.sample(100 * MS); // srtt 100, rttvar 50 -> 300
        assertThat(e.timeoutNanos()).isEqualTo(300 * MS);
        e.sample(200 * MS); // rttvar 0.75*50 + 0.25*100 = 62.5; srtt 112.5 -> 362.5
        assertThat(e.timeoutNanos() / (double) MS).isCloseTo(362.5, within(0.001));
        assertThat(e.srttNanos() / MS).isCloseTo(112.5, within(0.001));
        assertThat(e.maxSampleNanos()).isEqualTo(200 * MS);
    }

    @Test
    void fastPeerGetsTheFloor_backoffDoublesUntilTheNextSample() {
        RttEstimator e = new RttEstimator(500 * MS, 5_000 * MS);
        for (int i = 0; i < 10; i++) {
            e.sample(MS);
        }
        assertThat(e.timeoutNanos()).isEqualTo(500 * MS);
        e.backoff();
        assertThat(e.timeoutNanos()).isEqualTo(1_000 * MS);
        e.backoff();
        e.backoff();
        e.backoff();
        assertThat(e.timeoutNanos()).as("capped at the ceiling").isEqualTo(5_000 * MS);
        e.sample(MS);
        assertThat(e.timeoutNanos()).isEqualTo(500 * MS);
    }

    @Test
    void badBoundsFailNamingTheField() {
        assertThatThrownBy(() -> new RttEstimator(0, 1)).hasMessageStartingWith("floorNanos must be > 0");
        assertThatThrownBy(() -> new RttEstimator(10, 5)).hasMessage("floorNanos must be > 0 and <= ceilingNanos (5), was 10");
    }
}
