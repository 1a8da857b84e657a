package io.qudag.resilience.chaos.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real TCP through the NetCrusher proxy against a loopback echo server. */
class TcpFaultProxyTest {

    private ServerSocket echo;
    private TcpFaultProxy proxy;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ChaosSwitch armed = ChaosSwitch.create("net", n -> "true");

    @BeforeEach
    void startEchoAndProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> {
                        try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            byte[] buf = new byte[8192];
                            int n;
                            while ((n = in.read(buf)) > 0) {
                                out.write(buf, 0, n);
                                out.flush();
                            }
                        } catch (IOException ignored) {
                            // peer went away
                        }
                    }, "echo-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = TcpFaultProxy.start("echo", "127.0.0.1", echo.getLocalPort());
        armed.enable();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(3000);
        sockets.add(s);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        byte[] back = s.getInputStream().readNBytes(bytes.length);
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void passesBytesThrough() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
        }
        assertThat(proxy.port()).isNotEqualTo(echo.getLocalPort());
    }

    @Test
    void partition_refusesConnects_andDropsOpenConnections_untilHealed() throws Exception {
        Socket open = connect();
        assertThat(roundTrip(open, "a")).isEqualTo("a");
        Fault partition = proxy.partitionFault(armed);
        assertThat(partition.inject()).isTrue();
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> {
            open.getOutputStream().write(1);
            if (open.getInputStream().read() != -1) {
                throw new AssertionError("data through a partition");
            }
            throw new IOException("EOF");
        }).isInstanceOf(IOException.class);
        partition.heal();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "back")).isEqualTo("back");
        }
    }

    @Test
    void freeze_keepsTheConnectionOpen_butNothingFlows_thenDeliversAfterHeal() throws Exception {
        Socket s = connect();
        assertThat(roundTrip(s, "x")).isEqualTo("x");
        Fault freeze = proxy.freezeFault(armed);
        freeze.inject();
        assertThat(proxy.frozen()).isTrue();
        s.setSoTimeout(500);
        s.getOutputStream().write("frozen".getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(s.isClosed()).isFalse();
        freeze.heal();
        s.setSoTimeout(3000);
        assertThat(new String(s.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("frozen");
    }

    @Test
    void delay_holdsEveryChunkBack() throws Exception {
        Socket s = connect();
        proxy.delayFault(Duration.ofMillis(150), armed).inject();
        long t0 = System.nanoTime();
        assertThat(roundTrip(s, "slow")).isEqualTo("slow");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        proxy.heal();
        assertThat(roundTrip(s, "fast")).isEqualTo("fast");
    }

    @Test
    void bandwidth_throttlesToTheByteRate() throws Exception {
        Socket s = connect();
        proxy.bandwidthFault(20_000, armed).inject();
        String payload = "y".repeat(8_000);
        long t0 = System.nanoTime();
        assertThat(roundTrip(s, payload)).isEqualTo(payload);
        // 8 kB each way at 20 kB/s: at least ~0.4 s per direction
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void reset_closesOpenConnections_newOnesWork() throws Exception {
        Socket s = connect();
        assertThat(roundTrip(s, "r")).isEqualTo("r");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 1);
        proxy.resetFault(armed).inject();
        assertThat(s.getInputStream().read()).as("EOF after the reset").isEqualTo(-1);
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "new")).isEqualTo("new");
        }
    }

    @Test
    void withChaosOff_theFaultDoesNothing() throws Exception {
        ChaosSwitch off = ChaosSwitch.create("off", n -> null);
        off.enable();
        Fault partition = proxy.partitionFault(off);
        assertThat(partition.inject()).isFalse();
        assertThat(partition.injected()).isFalse();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "still")).isEqualTo("still");
        }
    }

    @Test
    void badArguments_nameFieldAndValue() {
        assertThatThrownBy(() -> TcpFaultProxy.start("p", "127.0.0.1", 0))
                .hasMessage("targetPort must be 1-65535, was 0");
        assertThatThrownBy(() -> proxy.bandwidth(0)).hasMessage("bytesPerSecond must be positive, was 0");
        assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-1))).hasMessage("delay must not be negative, was PT-0.001S");
    }
}
