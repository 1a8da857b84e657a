package io.qudag.resilience.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Chaos that is off says so once, however often it is asked to inject. */
class ChaosSwitchLogTest {

    private final ListAppender<ILoggingEvent> switchLog = new ListAppender<>();
    private final ListAppender<ILoggingEvent> injectorLog = new ListAppender<>();

    @BeforeEach
    void attach() {
        switchLog.start();
        injectorLog.start();
        ((Logger) LoggerFactory.getLogger(ChaosSwitch.class)).addAppender(switchLog);
        ((Logger) LoggerFactory.getLogger(FaultInjector.class)).addAppender(injectorLog);
    }

    @AfterEach
    void detach() {
        ((Logger) LoggerFactory.getLogger(ChaosSwitch.class)).detachAppender(switchLog);
        ((Logger) LoggerFactory.getLogger(FaultInjector.class)).detachAppender(injectorLog);
    }

    private static long offMessages(List<ILoggingEvent> events) {
        return events.stream().filter(e -> e.getFormattedMessage().contains("inject nothing")
                || e.getFormattedMessage().contains("injects nothing")).count();
    }

    @Test
    void withoutTheGuard_theSwitchSaysOnceThatChaosIsOff() throws Exception {
        ChaosSwitch s = ChaosSwitch.create("quiet", n -> null);
        s.enable();
        s.enable();
        Fault f = Fault.of("f", FaultKind.NETWORK, "f", s, () -> { }, () -> { });
        for (int i = 0; i < 5; i++) {
            assertThat(f.inject()).isFalse();
        }
        FaultInjector<String> injector = FaultInjector.<String>builder("i", s).exception(IllegalStateException::new);
        injector.start();
        injector.start();
        for (int i = 0; i < 1000; i++) {
            assertThat(injector.beforeAttempt(null)).isNull();
        }
        assertThat(offMessages(switchLog.list)).isEqualTo(1);
        assertThat(switchLog.list.get(0).getFormattedMessage()).contains("QUDAG_CHAOS_ENABLED=null");
        assertThat(offMessages(injectorLog.list)).as("the injector's own note, once").isEqualTo(1);
    }

    @Test
    void armed_saysSoLoudly() {
        ChaosSwitch s = ChaosSwitch.create("loud", n -> "true");
        s.enable();
        assertThat(switchLog.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("ARMED"));
        assertThat(offMessages(switchLog.list)).isZero();
    }
}
