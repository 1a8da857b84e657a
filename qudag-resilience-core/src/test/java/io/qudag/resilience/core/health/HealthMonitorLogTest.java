package io.qudag.resilience.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.qudag.resilience.core.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** No log line and no score description prints NaN when there was no earlier score. */
class HealthMonitorLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(HealthMonitor.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void firstScoreBelowEveryThresholdLogsNoNaN() {
        appender.start();
        logger.addAppender(appender);
        MutableClock clock = new MutableClock();
        HealthModel model = HealthModel.builder()
                .indicator(HealthIndicator.builder("q").threshold(100).evaluationWindow(Duration.ofSeconds(10)).build())
                .categoryWeight(HealthCategory.APPLICATION, 1.0).build();
        HealthMonitor m = HealthMonitor.builder("ep", model).clock(clock).build();
        assertThat(m.lastScoreIfAny()).isEmpty();
        assertThat(m.score().toString()).contains("no data").doesNotContain("NaN");
        m.record("q", 1000); // scores 0: every action becomes due at once
        assertThat(m.score().value()).isZero();
        assertThat(appender.list).hasSize(4);
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("(before no earlier score)").doesNotContain("NaN"));
        assertThat(m.lastScoreIfAny()).hasValue(0.0);
    }
}
