package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.health.event.HealthAlertEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/** The alert state machine under arbitrary sample sequences (p95: 500 / 1000 / 2000, hysteresis 50). */
class AlertStateProperties {

    @Property(tries = 300)
    void levelsChainNeverUnderstateAndClearOnlyWithMargin(
            @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = 0, max = 3000) Double> samples) {
        MutableClock clock = new MutableClock();
        List<HealthAlertEvent> events = new CopyOnWriteArrayList<>();
        HealthMonitoringSystem s = HealthMonitoringSystem.builder().clock(clock).alertListener(events::add).build();
        MetricSpec spec = MetricSpecs.responseTimeP95();
        AlertLevel previous = AlertLevel.NONE;
        for (double v : samples) {
            int before = events.size();
            s.record("ep", spec.name(), v);
            AlertLevel level = s.alertLevel("ep", spec.name());
            // never below what the sample itself reaches
            assertThat(level.ordinal()).isGreaterThanOrEqualTo(spec.levelOf(v).ordinal());
            // a sample clearly below warning (by the hysteresis) always clears
            if (v < spec.warning() - spec.hysteresis()) {
                assertThat(level).isEqualTo(AlertLevel.NONE);
            }
            // one event exactly when the level changed, and it chains from the previous level
            if (level == previous) {
                assertThat(events).hasSize(before);
            } else {
                assertThat(events).hasSize(before + 1);
                HealthAlertEvent e = events.get(before);
                assertThat(e.previousLevel()).isEqualTo(previous);
                assertThat(e.level()).isEqualTo(level);
                assertThat(e.kind()).isEqualTo(level.isWorseThan(previous) ? HealthAlertEvent.Kind.RAISED
                        : level == AlertLevel.NONE ? HealthAlertEvent.Kind.CLEARED : HealthAlertEvent.Kind.LOWERED);
            }
            previous = level;
        }
    }
}
