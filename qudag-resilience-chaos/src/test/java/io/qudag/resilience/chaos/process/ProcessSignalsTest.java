package io.qudag.resilience.chaos.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.testing.ChildJvm;
import io.qudag.resilience.chaos.testing.SleepyMain;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessSignalsTest {

    private ChildJvm child;
    private final ChaosSwitch armed = ChaosSwitch.create("proc", n -> "true");

    @BeforeEach
    void startChild() throws Exception {
        child = ChildJvm.start(SleepyMain.class);
        child.awaitLine("READY"::equals, Duration.ofSeconds(30));
        armed.enable();
    }

    @AfterEach
    void killChild() throws Exception {
        if (child.alive()) {
            ProcessSignals.resume(child.pid()); // never leave a stopped process behind
        }
        child.close();
    }

    @Test
    void sigstopFreezesTheProcess_sigcontResumesIt() throws Exception {
        Fault freeze = ProcessSignals.freezeFault("freeze-child", child.pid(), armed);
        assertThat(freeze.inject()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> child.state() == 'T');
        long frozenAt = child.lineCount();
        assertThat(child.alive()).isTrue();
        freeze.heal();
        await().atMost(Duration.ofSeconds(5)).until(() -> child.state() != 'T');
        await().atMost(Duration.ofSeconds(5)).until(() -> child.lineCount() > frozenAt + 3);
    }

    @Test
    void sigkillEndsTheProcess_healRunsTheRestart() throws Exception {
        AtomicBoolean restarted = new AtomicBoolean();
        Fault kill = ProcessSignals.killFault("kill-child", child.pid(), armed, () -> restarted.set(true));
        kill.inject();
        await().atMost(Duration.ofSeconds(5)).until(() -> !child.alive());
        kill.heal();
        assertThat(restarted).isTrue();
    }

    @Test
    void withChaosOff_noSignalIsSent() throws Exception {
        ChaosSwitch off = ChaosSwitch.create("off", n -> null);
        assertThat(ProcessSignals.killFault("k", child.pid(), off, () -> { }).inject()).isFalse();
        assertThat(child.alive()).isTrue();
    }

    @Test
    void badPids_areRefused() {
        assertThatThrownBy(() -> ProcessSignals.stop(0)).hasMessage("pid must be positive, was 0");
        long self = ProcessHandle.current().pid();
        assertThatThrownBy(() -> ProcessSignals.kill(self)).hasMessage("pid must not be this JVM's own, was " + self);
    }
}
