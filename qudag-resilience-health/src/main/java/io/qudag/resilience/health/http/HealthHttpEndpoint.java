package io.qudag.resilience.health.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.PlanSnapshot;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.spi.HealthComponent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable HTTP endpoint on the JDK's {@code com.sun.net.httpserver} (spec §2.1 health status
 * reporting; no extra server dependency), bound to 127.0.0.1 by default:
 * <ul>
 *   <li>{@code GET /health}: the {@link HealthReport} as JSON; 503 when the status is DOWN, else 200;</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}: the {@link HealthProbes}, 200 or 503 with
 *       {@code {"status":"UP|DOWN","reason":...}};</li>
 *   <li>{@code GET /} and {@code GET /health/page}: one self-contained HTML page (no CDN, no external
 *       script) showing each subject's score history as inline SVG, the active alerts and the
 *       predictions and the open incident, refreshed by polling {@code /health}.</li>
 * </ul>
 * With a disaster-recovery plan ({@link Builder#plan}, spec §4.3) the report and the page show its open
 * incident; readiness does not change because of it (see {@link HealthProbes}). Each registered
 * {@link HealthComponent} ({@link Builder#component}) adds its section to the report's JSON under its name.
 * Build with {@link #builder(HealthMonitoringSystem)}, then {@link #start()}; {@link #close()} stops it.
 */
public final class HealthHttpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthHttpEndpoint.class);

    private final HealthMonitoringSystem system;
    private final HealthProbes probes;
    private final Duration historyWindow;
    private final Supplier<PlanSnapshot> plan;
    private final String page;
    private final HttpServer server;
    private final List<HealthComponent> components;
    private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private HealthHttpEndpoint(Builder b) throws IOException {
        this.components = List.copyOf(b.components);
        this.system = b.system;
        this.probes = new HealthProbes(b.system, b.readinessSubjects);
        this.historyWindow = b.historyWindow;
        this.plan = b.plan;
        this.page = loadPage(b.pollInterval);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(b.host), b.port), 0);
        if (b.executor != null) {
            server.setExecutor(b.executor);
        }
        server.createContext("/", this::handle);
    }

    /**
     * {@return a builder for an endpoint serving {@code system}'s health}
     *
     * @param system the monitoring system reported on; non-null
     */
    public static Builder builder(HealthMonitoringSystem system) {
        return new Builder(system);
    }

    /**
     * Starts serving.
     *
     * @return this endpoint, now serving
     */
    public HealthHttpEndpoint start() {
        server.start();
        log.info("Health endpoint listening on http://{}:{}/health", server.getAddress().getHostString(), port());
        return this;
    }

    /** {@return the bound port (the chosen one when built with port 0)} */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@return the base URL, e.g. {@code http://127.0.0.1:41234}} */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "application/json", "{\"error\":\"method not allowed\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/health" -> {
                    HealthReport r = HealthReport.of(system, historyWindow, plan);
                    send(ex, "DOWN".equals(r.status()) ? 503 : 200, "application/json", json(r));
                }
                case "/health/live" -> probe(ex, probes.liveness());
                case "/health/ready" -> probe(ex, probes.readiness());
                case "/", "/health/page" -> {
                    String initial = json(HealthReport.of(system, historyWindow, plan)).replace("</", "<\\/");
                    send(ex, 200, "text/html; charset=utf-8", page.replace("/*INITIAL_REPORT*/null", initial));
                }
                default -> send(ex, 404, "application/json", "{\"error\":\"not found\"}");
            }
        } catch (RuntimeException e) {
            log.error("Health endpoint failed on {}", ex.getRequestURI(), e);
            send(ex, 500, "application/json", "{\"error\":\"internal\"}");
        }
    }

    /** The report's JSON with every registered component's section under its name. */
    private String json(HealthReport r) {
        if (components.isEmpty()) {
            return r.toJson();
        }
        try {
            ObjectNode tree = mapper.valueToTree(r);
            for (HealthComponent c : components) {
                try {
                    tree.set(c.name(), mapper.valueToTree(c.describe()));
                } catch (RuntimeException e) {
                    log.warn("Health component {} failed: {}", c.name(), e.toString());
                    Map<String, String> failed = new LinkedHashMap<>();
                    failed.put("status", "UNKNOWN");
                    failed.put("error", String.valueOf(e));
                    tree.set(c.name(), mapper.valueToTree(failed));
                }
            }
            return mapper.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void probe(HttpExchange ex, HealthProbes.Result r) throws IOException {
        String json = "{\"status\":\"" + r.status() + "\",\"reason\":\"" + r.reason().replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}";
        send(ex, r.up() ? 200 : 503, "application/json", json);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String loadPage(Duration poll) {
        try (InputStream in = HealthHttpEndpoint.class.getResourceAsStream("health.html")) {
            if (in == null) {
                throw new IllegalStateException("health.html missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("/*POLL_MILLIS*/2000", Long.toString(poll.toMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a {@link HealthHttpEndpoint}; {@link #build()} validates everything and binds the port. */
    public static final class Builder {
        private final HealthMonitoringSystem system;
        private String host = "127.0.0.1";
        private int port;
        private Duration historyWindow = Duration.ofMinutes(10);
        private Duration pollInterval = Duration.ofSeconds(2);
        private Set<String> readinessSubjects = Set.of();
        private Executor executor;
        private Supplier<PlanSnapshot> plan;
        private final List<HealthComponent> components = new ArrayList<>();

        private Builder(HealthMonitoringSystem system) {
            this.system = system;
        }

        /**
         * Default 127.0.0.1.
         *
         * @param host the address to bind
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Default 0: any free port.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Score history shown per subject; default 10 min, at most 24 h.
         *
         * @param historyWindow a positive duration, at most 24 h
         * @return this builder
         */
        public Builder historyWindow(Duration historyWindow) {
            this.historyWindow = historyWindow;
            return this;
        }

        /**
         * How often the page polls {@code /health}; default 2 s.
         *
         * @param pollInterval a positive duration
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * The subjects that decide readiness; default all.
         *
         * @param subjects the subjects; non-null
         * @return this builder
         */
        public Builder readinessSubjects(Set<String> subjects) {
            this.readinessSubjects = subjects;
            return this;
        }

        /**
         * The executor of the HTTP server; default the server's own single thread.
         *
         * @param executor the executor, or {@code null} for the server's own thread
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Shows the open incident of {@code plan} in the report and on the page; default none.
         *
         * @param plan the plan, or {@code null} for none
         * @return this builder
         */
        public Builder plan(DisasterRecoveryPlan plan) {
            if (plan == null) {
                throw new IllegalArgumentException("plan must not be null, was null");
            }
            this.plan = plan::snapshot;
            return this;
        }

        /**
         * Like {@link #plan(DisasterRecoveryPlan)}, from any source of plan snapshots.
         *
         * @param snapshots supplies the plan's state, or {@code null} for none
         * @return this builder
         */
        public Builder planSnapshots(Supplier<PlanSnapshot> snapshots) {
            if (snapshots == null) {
                throw new IllegalArgumentException("planSnapshots must not be null, was null");
            }
            this.plan = snapshots;
            return this;
        }

        /**
         * Adds {@code component}'s section to the {@code /health} JSON under its name; default none.
         * Validated in {@link #build()}: the name must match {@link HealthComponent#NAME}, must not be a
         * key of the report ({@link HealthComponent#RESERVED_NAMES}) and must be unique.
         *
         * @param component the component
         * @return this builder
         * @throws IllegalArgumentException when {@code component} is null
         */
        public Builder component(HealthComponent component) {
            if (component == null) {
                throw new IllegalArgumentException("component must not be null, was null");
            }
            this.components.add(component);
            return this;
        }

        /**
         * Validates and binds (does not start).
         *
         * @return the endpoint, not yet started
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         * @throws UncheckedIOException when the port cannot be bound
         */
        public HealthHttpEndpoint build() {
            if (system == null) {
                throw new IllegalArgumentException("system must not be null, was null");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank, was " + host);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            if (historyWindow == null || historyWindow.isNegative() || historyWindow.isZero()
                    || historyWindow.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("historyWindow must be in (0, 24h], was " + historyWindow);
            }
            if (pollInterval == null || pollInterval.toMillis() < 100) {
                throw new IllegalArgumentException("pollInterval must be >= 100 ms, was " + pollInterval);
            }
            if (readinessSubjects == null) {
                throw new IllegalArgumentException("readinessSubjects must not be null, was null");
            }
            Set<String> names = new HashSet<>();
            for (HealthComponent c : components) {
                String n = c.name();
                if (n == null || !HealthComponent.NAME.matcher(n).matches()) {
                    throw new IllegalArgumentException("component.name must match " + HealthComponent.NAME.pattern()
                            + ", was " + n);
                }
                if (HealthComponent.RESERVED_NAMES.contains(n)) {
                    throw new IllegalArgumentException("component.name must not be a key of the report "
                            + HealthComponent.RESERVED_NAMES + ", was " + n);
                }
                if (!names.add(n)) {
                    throw new IllegalArgumentException("component.name must be unique, was " + n + " twice");
                }
            }
            try {
                return new HealthHttpEndpoint(this);
            } catch (IOException e) {
                throw new UncheckedIOException("binding " + host + ":" + port, e);
            }
        }
    }
}
