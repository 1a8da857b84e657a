package io.qudag.resilience.chaos.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.FaultKind;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ExperimentStatus;
import io.qudag.resilience.chaos.resource.ResourcePressure;
import io.qudag.resilience.chaos.testing.ChildJvm;
import io.qudag.resilience.chaos.testing.SleepyMain;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An experiment that throws half-way still releases threads, memory, proxies and child processes. */
class ExperimentResourcesTest {

    private final ChaosSwitch armed = ChaosSwitch.create("res", n -> "true");
    private ChildJvm child;
    private ServerSocket target;

    @AfterEach
    void cleanUp() throws Exception {
        if (child != null) {
            child.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void anExperimentThatThrows_releasesEverything() throws Exception {
        armed.enable();
        child = ChildJvm.start(SleepyMain.class);
        child.awaitLine("READY"::equals, Duration.ofSeconds(60));
        target = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        TcpFaultProxy proxy = TcpFaultProxy.start("res", "127.0.0.1", target.getLocalPort());
        Fault memory = ResourcePressure.memory("mem", 16L << 20, armed);
        Fault cpu = ResourcePressure.cpuBurn("cpu", 1, 60_000, armed);
        Fault pressure = Fault.all("pressure", armed, List.of(memory, cpu));
        Fault throwing = Fault.of("throws", FaultKind.DISK, "throws", armed, () -> {
            throw new IllegalStateException("boom while injecting");
        }, () -> { });
        ExperimentReport r = ChaosExperiment.builder("resources", armed)
                .hypothesis(SteadyStateHypothesis.of("h", Probe.errorRate("e", () -> 0, 0.1)))
                .probeInterval(Duration.ofMillis(50))
                .fault(pressure, Duration.ofMillis(200), 0.1)
                .fault(proxy.freezeFault(armed), Duration.ofMillis(100), 0.1)
                .fault(throwing, Duration.ofSeconds(30), 0.1)
                .resource(proxy)
                .resource(child::close)
                .build().run();
        assertThat(r.status()).isEqualTo(ExperimentStatus.ERROR);
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("boom while injecting"));
        assertThat(memory.injected()).isFalse();
        assertThat(cpu.injected()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("qudag-chaos-probe-resources") || n.startsWith("qudag-chaos-cpu-cpu"))).isEmpty();
        assertThat(child.alive()).as("child process ended").isFalse();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                .as("proxy closed").isInstanceOf(ConnectException.class);
    }
}
