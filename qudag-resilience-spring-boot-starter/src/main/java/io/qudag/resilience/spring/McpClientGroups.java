package io.qudag.resilience.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.pipeline.Breakers;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of Spring AI MCP connections (spec §1.1 endpoint groups and tiers), each served by one of
 * the library's resilient clients: a connection named in {@code qudag.resilience.client.groups} belongs
 * to that group (ordered by tier, then by the listed order); any other connection is a group of its
 * own, named after it. The clients connect in the background, so a dead server does not stop startup.
 */
public final class McpClientGroups implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McpClientGroups.class);

    /**
     * One group: its name, its connections in routing order (tier, then listed order) and its resilient
     * client. Routing is the client's own default (the latency-aware selector over the connections' tiers);
     * what a connection's state is comes from the client's connection state machine.
     *
     * @param name the group's name: its key in {@code qudag.resilience.client.groups}, or the name of its only connection
     * @param connections the group's connections, in routing order (by tier, then as listed)
     * @param client the resilient client that serves the group's calls
     */
    public record Group(String name, List<String> connections, ResilientMcpAsyncClient client) {

        /**
         * The health of one of the group's connections.
         *
         * @param connection a connection of this group
         * @return the connection's health as the client sees it
         */
        public EndpointHealth health(String connection) {
            return client.health(connection);
        }

        /**
         * Tells whether a connection can take calls: its session is initialized and the liveness probe has
         * not since suspected it (state {@code READY}).
         *
         * @param connection a connection of this group
         * @return whether the connection can take calls
         */
        public boolean isUp(String connection) {
            return client.health(connection).state() == EndpointHealth.ConnectionState.READY;
        }

        /**
         * {@return whether any connection has a session (READY, or SUSPECT: a probe that can be wrong under
         * load; the client then still tries it, and fails over)}
         */
        public boolean anySession() {
            for (int i = 0; i < connections.size(); i++) {
                EndpointHealth.ConnectionState s = client.health(connections.get(i)).state();
                if (s == EndpointHealth.ConnectionState.READY || s == EndpointHealth.ConnectionState.SUSPECT) {
                    return true;
                }
            }
            return false;
        }

        /** {@return the first connection in routing order that is up, else the first} */
        public String firstUp() {
            for (int i = 0; i < connections.size(); i++) {
                if (isUp(connections.get(i))) {
                    return connections.get(i);
                }
            }
            return connections.get(0);
        }

        /** {@return each connection and its state, e.g. {@code primary=RESTARTING (down)}} */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (String c : connections) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                EndpointHealth.ConnectionState s = client.health(c).state();
                b.append(c).append('=').append(s).append(s != EndpointHealth.ConnectionState.READY ? " (down)" : "");
            }
            return b.toString();
        }

        /** {@return whether at least one connection of the group can take calls} */
        public boolean isAvailable() {
            for (int i = 0; i < connections.size(); i++) {
                if (isUp(connections.get(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, Group> groups;

    private McpClientGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    /**
     * Builds and starts the groups.
     *
     * @param p the client properties ({@code qudag.resilience.client.*})
     * @param urls connection name to its full streamable-HTTP URL, in Spring AI's configured order
     * @param registry where the clients' meters go, or {@code null}
     * @param clientName the client name sent in the MCP {@code initialize} request
     * @param clientVersion the client version sent in the MCP {@code initialize} request
     * @return the started groups
     * @throws IllegalStateException when a group names an unknown connection or has the name of an ungrouped one
     */
    public static McpClientGroups start(QudagResilienceProperties.Client p, Map<String, String> urls,
            MeterRegistry registry, String clientName, String clientVersion) {
        return start(p, urls, registry, clientName, clientVersion, null);
    }

    /**
     * Builds and starts the groups; progress notifications of tool calls go to {@code progress}.
     *
     * @param p the client properties ({@code qudag.resilience.client.*})
     * @param urls     connection name to its full streamable-HTTP URL, in Spring AI's configured order
     * @param registry where the clients' meters go, or {@code null}
     * @param clientName the client name sent in the MCP {@code initialize} request
     * @param clientVersion the client version sent in the MCP {@code initialize} request
     * @param progress receives each progress notification with the name of the connection it is
     *                 attributed to (the first connection of its group that is up), or {@code null}
     * @return the started groups
     * @throws IllegalStateException when a group names an unknown connection or has the name of an ungrouped one
     */
    public static McpClientGroups start(QudagResilienceProperties.Client p, Map<String, String> urls,
            MeterRegistry registry, String clientName, String clientVersion,
            java.util.function.BiConsumer<String, io.modelcontextprotocol.spec.McpSchema.ProgressNotification> progress) {
        return start(p, urls, registry, clientName, clientVersion, progress, null);
    }

    /**
     * Builds and starts the groups; a connection for which {@code breakers} returns a Resilience4j circuit
     * breaker (e.g. an instance of the application's {@code CircuitBreakerRegistry} named after the
     * connection) has its calls counted by that breaker instead of the client's default one.
     *
     * @param p the client properties ({@code qudag.resilience.client.*})
     * @param urls connection name to its full streamable-HTTP URL, in Spring AI's configured order
     * @param registry where the clients' meters go, or {@code null}
     * @param clientName the client name sent in the MCP {@code initialize} request
     * @param clientVersion the client version sent in the MCP {@code initialize} request
     * @param progress receives each progress notification with the name of the connection it is
     *                 attributed to, or {@code null}
     * @param breakers connection name to its breaker, or {@code null} for the default; {@code null}: none
     * @return the started groups
     * @throws IllegalStateException when a group names an unknown connection or has the name of an ungrouped one
     */
    public static McpClientGroups start(QudagResilienceProperties.Client p, Map<String, String> urls,
            MeterRegistry registry, String clientName, String clientVersion,
            java.util.function.BiConsumer<String, io.modelcontextprotocol.spec.McpSchema.ProgressNotification> progress,
            java.util.function.Function<String, CircuitBreaker> breakers) {
        return start(p, urls, registry, clientName, clientVersion, progress, breakers, List.of());
    }

    /**
     * Builds and starts the groups; every HTTP request the groups' clients send (tool calls included) goes
     * through {@code requestCustomizers}, in order: the application's
     * {@code McpSyncHttpClientRequestCustomizer} beans, the same ones Spring AI's own transports use (auth
     * headers, tracing). Waits up to the configured startup wait for a connection of each group to be up,
     * then returns anyway: the groups keep connecting in the background.
     *
     * @param p the client properties ({@code qudag.resilience.client.*})
     * @param urls connection name to its full streamable-HTTP URL, in Spring AI's configured order
     * @param registry where the clients' meters go, or {@code null}
     * @param clientName the client name sent in the MCP {@code initialize} request
     * @param clientVersion the client version sent in the MCP {@code initialize} request
     * @param progress receives each progress notification with the name of the connection it is
     *                 attributed to, or {@code null}
     * @param breakers connection name to its breaker, or {@code null} for the default; {@code null}: none
     * @param requestCustomizers applied to every HTTP request, in order; may be empty
     * @return the started groups
     * @throws IllegalStateException when a group names an unknown connection or has the name of an ungrouped one
     */
    public static McpClientGroups start(QudagResilienceProperties.Client p, Map<String, String> urls,
            MeterRegistry registry, String clientName, String clientVersion,
            java.util.function.BiConsumer<String, io.modelcontextprotocol.spec.McpSchema.ProgressNotification> progress,
            java.util.function.Function<String, CircuitBreaker> breakers,
            List<io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer> requestCustomizers) {
        List<io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer> customizers =
                List.copyOf(requestCustomizers);
        Map<String, List<String>> members = new LinkedHashMap<>();
        Set<String> grouped = new TreeSet<>();
        for (Map.Entry<String, QudagResilienceProperties.Group> g : p.getGroups().entrySet()) {
            for (String c : g.getValue().getConnections()) {
                if (!urls.containsKey(c)) {
                    throw new IllegalStateException(QudagResilienceProperties.PREFIX + ".client.groups." + g.getKey()
                            + ".connections names an unknown connection, was " + c + " (streamable-HTTP connections: "
                            + urls.keySet() + ")");
                }
                grouped.add(c);
            }
            members.put(g.getKey(), ordered(p, g.getValue().getConnections()));
        }
        for (String c : urls.keySet()) {
            if (!grouped.contains(c)) {
                if (members.containsKey(c)) {
                    throw new IllegalStateException(QudagResilienceProperties.PREFIX + ".client.groups." + c
                            + " has the name of an ungrouped connection, was " + c);
                }
                members.put(c, List.of(c));
            }
        }
        Map<String, Group> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<String>> e : members.entrySet()) {
                out.put(e.getKey(), startGroup(p, e.getKey(), e.getValue(), urls, registry, clientName, clientVersion,
                        progress, breakers, customizers));
            }
        } catch (RuntimeException e) {
            out.values().forEach(g -> g.client().close());
            throw e;
        }
        awaitStartup(out, p.getStartupWait());
        return new McpClientGroups(out);
    }

    private static void awaitStartup(Map<String, Group> groups, java.time.Duration wait) {
        if (groups.isEmpty() || wait.isZero()) {
            return;
        }
        java.util.concurrent.CompletableFuture<?>[] any = groups.values().stream()
                .map(g -> g.client().whenAnyReady().exceptionally(e -> null))
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        try {
            java.util.concurrent.CompletableFuture.allOf(any).get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            groups.values().stream().filter(g -> !g.isAvailable()).forEach(g -> log.warn(
                    "MCP group {}: no connection up after {} ({}); starting anyway, it connects in the background",
                    g.name(), wait, g.describe()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("MCP groups: waiting for startup failed: {}", e.getCause().toString());
        }
    }

    /** The connections in routing order: by tier (unset counts as LOCAL), then in listed order. */
    static List<String> ordered(QudagResilienceProperties.Client p, List<String> connections) {
        List<String> ordered = new ArrayList<>(connections);
        ordered.sort(Comparator.comparing(c -> tierOf(p, c)));
        return ordered;
    }

    private static FailoverTier tierOf(QudagResilienceProperties.Client p, String connection) {
        FailoverTier t = connection(p, connection).getTier();
        return t != null ? t : FailoverTier.LOCAL;
    }

    /**
     * The client tiers ({@link McpEndpoint.Builder#tier(int)}) of a group's connections, in the order given:
     * {@code null} when no connection of the group names a tier, so that the client's default applies (each
     * connection its own tier, in listed order: strict priority); otherwise each connection's
     * {@link FailoverTier} ordinal, unset counting as LOCAL, so that connections of one tier share the calls
     * by latency.
     */
    static int[] clientTiers(QudagResilienceProperties.Client p, List<String> connections) {
        boolean any = false;
        for (String c : connections) {
            any |= connection(p, c).getTier() != null;
        }
        if (!any) {
            return null;
        }
        int[] tiers = new int[connections.size()];
        for (int i = 0; i < tiers.length; i++) {
            tiers[i] = tierOf(p, connections.get(i)).ordinal();
        }
        return tiers;
    }

    private static QudagResilienceProperties.Connection connection(QudagResilienceProperties.Client p, String name) {
        return p.getConnections().getOrDefault(name, new QudagResilienceProperties.Connection());
    }

    private static Group startGroup(QudagResilienceProperties.Client p, String name, List<String> connections,
            Map<String, String> urls, MeterRegistry registry, String clientName, String clientVersion,
            java.util.function.BiConsumer<String, io.modelcontextprotocol.spec.McpSchema.ProgressNotification> progress,
            java.util.function.Function<String, CircuitBreaker> breakers,
            List<io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer> customizers) {
        List<McpEndpoint> endpoints = new ArrayList<>();
        int[] tiers = clientTiers(p, connections);
        for (int i = 0; i < connections.size(); i++) {
            String c = connections.get(i);
            Boolean trusted = connection(p, c).getTrusted();
            McpEndpoint.Builder endpoint = McpEndpoint.http(c, urls.get(c)).trusted(trusted != null ? trusted : p.isTrusted());
            if (tiers != null) {
                endpoint.tier(tiers[i]);
            }
            if (!customizers.isEmpty()) {
                endpoint.httpTransport(t -> customizers.forEach(t::addHttpRequestCustomizer));
            }
            endpoints.add(endpoint.build());
        }
        // no endpoint selector: the client's default routing (tiers in order, the latency-aware choice inside a
        // tier, latency outliers ejected), the same engine a plain Java client gets
        ResilientMcpClientConfig.Builder b = ResilientMcpClientConfig.builder().endpoints(endpoints)
                .callTimeout(p.getCallTimeout()).sdkRequestTimeout(p.getSdkRequestTimeout())
                .pingInterval(p.getPingInterval().isZero() ? null : p.getPingInterval())
                .pingTimeout(p.getPingTimeout())
                .restartBackoff(p.getRestartInitialBackoff(), p.getRestartMaxBackoff())
                .maxRestarts(p.getMaxRestarts()).sessionRetries(p.getSessionRetries())
                .logArguments(p.isLogArguments()).clientInfo(clientName, clientVersion).meterRegistry(registry);
        if (p.getLivenessTimeoutFloor() != null) {
            b.livenessTimeoutFloor(p.getLivenessTimeoutFloor());
        }
        java.util.concurrent.atomic.AtomicReference<Group> self = new java.util.concurrent.atomic.AtomicReference<>();
        // the connection progress is attributed to, recomputed when a connection's state changes: progress
        // notifications are many and are handled on the connection's inbound path, so they only read it
        java.util.concurrent.atomic.AtomicReference<String> first = new java.util.concurrent.atomic.AtomicReference<>(
                connections.get(0));
        if (progress != null) {
            b.eventListener(e -> {
                Group g = self.get();
                if (g != null && e.type() != io.qudag.resilience.mcp.event.McpEndpointEvent.Type.TOOLS_REFRESHED) {
                    first.set(g.firstUp());
                }
            });
            // the client's progress consumer does not say which connection streamed it: attribute it to the
            // connection the group routes to first
            b.progressConsumer(n -> {
                try {
                    progress.accept(first.get(), n);
                } catch (RuntimeException e) {
                    log.warn("MCP group {}: a progress handler failed: {}", name, e.toString());
                }
            });
        }
        Map<String, CircuitBreaker> own = new LinkedHashMap<>();
        if (breakers != null) {
            for (String c : connections) {
                CircuitBreaker cb = breakers.apply(c);
                if (cb != null) {
                    own.put(c, cb);
                }
            }
        }
        if (!own.isEmpty()) {
            log.info("MCP group {}: Resilience4j circuit breakers from the application's registry for {}", name,
                    own.keySet());
            b.pipelineFactory(id -> pipeline(id, own.get(id), registry));
        }
        if (p.getHedgeDelay() != null) {
            b.hedging(p.getHedgeDelay(), p.getMaxHedges());
        }
        ResilientMcpAsyncClient client = ResilientMcpAsyncClient.create(b.build());
        log.info("MCP group {}: connections {} through the resilient client", name, connections);
        Group group = new Group(name, List.copyOf(connections), client);
        self.set(group);
        first.set(group.firstUp());
        return group;
    }

    /**
     * The client's default per-connection pipeline (one re-send of a call safe to repeat, spec §3.1 breaker),
     * with {@code breaker} as its breaker, or the client's default breaker settings when it is {@code null}.
     */
    private static ResiliencePipeline<McpSchema.CallToolResult> pipeline(String connection, CircuitBreaker breaker,
            MeterRegistry registry) {
        CircuitBreaker cb = breaker != null ? breaker : CircuitBreaker.of("mcp-" + connection,
                CircuitBreakerConfig.custom().slidingWindowSize(20).minimumNumberOfCalls(5).failureRateThreshold(50)
                        .waitDurationInOpenState(java.time.Duration.ofSeconds(5)).build());
        return ResiliencePipeline.<McpSchema.CallToolResult>builder("mcp-" + connection)
                .breaker(Breakers.of(cb, OutcomePolicy.defaults()))
                .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(java.time.Duration.ofMillis(50)).build())
                .outcomeClassifier(McpOutcomes.classifier()).outcomePolicy(OutcomePolicy.defaults())
                .meterRegistry(registry).build();
    }

    /** {@return the groups by name, in configured order} */
    public Map<String, Group> groups() {
        return groups;
    }

    /**
     * Finds the group of a connection.
     *
     * @param connection a connection name
     * @return the group that holds {@code connection}, or {@code null}
     */
    public Group groupOf(String connection) {
        for (Group g : groups.values()) {
            if (g.connections().contains(connection)) {
                return g;
            }
        }
        return null;
    }

    @Override
    public void close() {
        groups.values().forEach(g -> g.client().close());
    }
}
