package io.qudag.resilience.chaos.network;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.FaultKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.core.throttle.ThrottlerFactory;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 in front of one server, through which network faults are injected without
 * root (spec §5.1 {@code network_partition}, in place of {@code iptables_rules}); built on NetCrusher.
 * Point the client at {@link #port()} instead of the server.
 *
 * <ul>
 *   <li>{@link #partition()} — the proxy stops listening and drops every connection: connects are
 *       refused, like a REJECT rule;</li>
 *   <li>{@link #freeze()} — connections stay open and nothing flows either way, new connects hang: a
 *       gray failure, like a DROP rule;</li>
 *   <li>{@link #delay(Duration)} and {@link #bandwidth(long)} — every chunk is held back, or throttled to
 *       a byte rate;</li>
 *   <li>{@link #reset()} — every open connection is closed once; new ones work.</li>
 * </ul>
 * {@link #heal()} undoes them all. {@link #close()} stops the proxy and its selector thread.
 * Thread-safe.
 */
public final class TcpFaultProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFaultProxy.class);

    private final String name;
    private final InetSocketAddress target;
    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final int port;
    private volatile long delayNanos;
    private volatile long bytesPerSecond;
    private volatile boolean partitioned;

    private TcpFaultProxy(String name, InetSocketAddress target, NioReactor reactor, TcpCrusher crusher, int port) {
        this.name = name;
        this.target = target;
        this.reactor = reactor;
        this.crusher = crusher;
        this.port = port;
    }

    /**
     * Starts a proxy on a free loopback port in front of {@code targetHost:targetPort}.
     *
     * @param name       the proxy's name, for reports
     * @param targetHost the host it forwards to
     * @param targetPort the port it forwards to
     * @return the running proxy; close it
     * @throws IOException when the proxy cannot listen
     */
    public static TcpFaultProxy start(String name, String targetHost, int targetPort) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
        }
        if (targetPort <= 0 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort must be 1-65535, was " + targetPort);
        }
        NioReactor reactor = new NioReactor(10);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freeLoopbackPort();
            TcpFaultProxy[] self = new TcpFaultProxy[1];
            ThrottlerFactory throttles = new Throttles(self);
            TcpCrusher crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", port).withConnectAddress(targetHost, targetPort)
                    .withIncomingThrottlerFactory(throttles).withOutgoingThrottlerFactory(throttles)
                    .withTcpNoDelay(true).build();
            TcpFaultProxy proxy = new TcpFaultProxy(name, new InetSocketAddress(targetHost, targetPort), reactor,
                    crusher, port);
            self[0] = proxy;
            try {
                crusher.open();
                LOG.debug("proxy {} on 127.0.0.1:{} -> {}:{}", name, port, targetHost, targetPort);
                return proxy;
            } catch (RuntimeException e) {
                last = new IOException("proxy " + name + " could not bind 127.0.0.1:" + port, e);
            }
        }
        reactor.close();
        throw last;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@return the proxy's name} */
    public String name() {
        return name;
    }

    /** {@return the loopback port clients connect to} */
    public int port() {
        return port;
    }

    /**
     * {@return {@code http://127.0.0.1:<port>} plus {@code path}}
     *
     * @param path the path, starting with {@code /}
     */
    public String httpUrl(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@return the address the proxy forwards to} */
    public InetSocketAddress target() {
        return target;
    }

    /** Refuses connects and drops every connection until {@link #heal()}. */
    public synchronized void partition() {
        if (!partitioned) {
            partitioned = true;
            crusher.close();
        }
    }

    /** Keeps connections open and lets nothing through until {@link #heal()}. */
    public synchronized void freeze() {
        if (!partitioned && !crusher.isFrozen()) {
            crusher.freeze();
        }
    }

    /**
     * Holds every chunk back by {@code delay} (both ways) until {@link #heal()}.
     *
     * @param delay the delay, not negative
     */
    public void delay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        this.delayNanos = delay.toNanos();
    }

    /**
     * Throttles each direction of each connection to {@code bytesPerSecond} until {@link #heal()}.
     *
     * @param bytesPerSecond the limit, positive
     */
    public void bandwidth(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive, was " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Closes every open connection once (the peers see a reset); new connections work. */
    public synchronized void reset() {
        if (!partitioned) {
            crusher.closeAllPairs();
        }
    }

    /** Undoes partition, freeze, delay and bandwidth. */
    public synchronized void heal() {
        delayNanos = 0;
        bytesPerSecond = 0;
        if (partitioned) {
            partitioned = false;
            crusher.open();
        } else if (crusher.isFrozen()) {
            crusher.unfreeze();
        }
    }

    /** {@return whether the proxy is partitioned now} */
    public boolean partitioned() {
        return partitioned;
    }

    /** {@return whether the proxy is frozen now} */
    public boolean frozen() {
        return !partitioned && crusher.isFrozen();
    }

    /** {@return the connections open through the proxy now} */
    public int openConnections() {
        return partitioned ? 0 : crusher.getClientAddresses().size();
    }

    // ------------------------------------------------------------------ faults

    /**
     * {@return a partition of this proxy as an experiment {@link Fault}}
     *
     * @param chaosSwitch the switch that must be armed
     */
    public Fault partitionFault(ChaosSwitch chaosSwitch) {
        return Fault.of("partition-" + name, FaultKind.NETWORK, "partition " + describe(), chaosSwitch,
                this::partition, this::heal);
    }

    /**
     * {@return a freeze of this proxy as an experiment {@link Fault}}
     *
     * @param chaosSwitch the switch that must be armed
     */
    public Fault freezeFault(ChaosSwitch chaosSwitch) {
        return Fault.of("freeze-" + name, FaultKind.NETWORK, "freeze " + describe(), chaosSwitch,
                this::freeze, this::heal);
    }

    /**
     * {@return a delay through this proxy as an experiment {@link Fault}}
     *
     * @param delay       the delay
     * @param chaosSwitch the switch that must be armed
     */
    public Fault delayFault(Duration delay, ChaosSwitch chaosSwitch) {
        return Fault.of("delay-" + name, FaultKind.NETWORK, "delay " + delay + " on " + describe(), chaosSwitch,
                () -> delay(delay), this::heal);
    }

    /**
     * {@return a bandwidth limit through this proxy as an experiment {@link Fault}}
     *
     * @param bytesPerSecond the limit
     * @param chaosSwitch    the switch that must be armed
     */
    public Fault bandwidthFault(long bytesPerSecond, ChaosSwitch chaosSwitch) {
        return Fault.of("bandwidth-" + name, FaultKind.NETWORK, bytesPerSecond + " B/s on " + describe(),
                chaosSwitch, () -> bandwidth(bytesPerSecond), this::heal);
    }

    /**
     * {@return a one-time reset of every connection as an experiment {@link Fault} (heal has nothing to undo)}
     *
     * @param chaosSwitch the switch that must be armed
     */
    public Fault resetFault(ChaosSwitch chaosSwitch) {
        return Fault.of("reset-" + name, FaultKind.NETWORK, "reset connections of " + describe(), chaosSwitch,
                this::reset, () -> { });
    }

    private String describe() {
        return "TCP proxy " + name + " (127.0.0.1:" + port + " -> " + target.getHostString() + ":" + target.getPort() + ")";
    }

    @Override
    public synchronized void close() {
        try {
            crusher.close();
        } finally {
            reactor.close();
        }
    }

    @Override
    public String toString() {
        return "TcpFaultProxy{" + describe() + '}';
    }

    /** Per-connection throttles that read the proxy's current delay and bandwidth. */
    private static final class Throttles implements ThrottlerFactory {
        private static final long serialVersionUID = 1L;
        private final transient TcpFaultProxy[] proxy;

        Throttles(TcpFaultProxy[] proxy) {
            this.proxy = proxy;
        }

        @Override
        public Throttler allocate(InetSocketAddress client) {
            TcpFaultProxy p = Objects.requireNonNull(proxy[0]);
            return new Throttler() {
                private long nextFree;

                @Override
                public long calculateDelayNs(ByteBuffer bb) {
                    long delay = p.delayNanos;
                    long rate = p.bytesPerSecond;
                    if (rate > 0) {
                        long now = System.nanoTime();
                        long start = Math.max(now, nextFree);
                        nextFree = start + bb.remaining() * 1_000_000_000L / rate;
                        delay += nextFree - now;
                    }
                    return delay > 0 ? delay : Throttler.NO_DELAY_NS;
                }
            };
        }
    }
}
