package io.qudag.resilience.examples.docs;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.network.TcpFaultProxy;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecoveryManager;
import io.qudag.resilience.recovery.spi.RecoverableState;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The real parts {@link DocsTest} runs the documentation's snippets against: two MCP Java SDK servers
 * (streamable HTTP on embedded Tomcat, 127.0.0.1, random ports) serving {@code web_search} and
 * {@code search}, a plain HTTP server for the README's generic {@code httpClient}, SDK clients of those
 * servers, a scheduler, and per snippet a temporary directory, journals, a TCP fault proxy and the like.
 *
 * <p>A snippet's context fields (see {@link DocsTest}) that its context leaves {@code null} are set by
 * {@link #fill}: by name first (URLs, tools, journals), then by type (meter registry, scheduler,
 * pipeline, chaos switch ...), and a field whose type is an interface the context declares (a stand-in
 * for the caller's own client) gets a proxy that makes the call for real against these servers. Snippet
 * checks reach this object through the generated class's {@code fixtures} field.
 */
public final class DocsFixtures implements AutoCloseable {

    private static final Map<String, Object> OBJECT_SCHEMA = Map.of("type", "object");

    private final Path root;
    private SdkHttpServer serverA;
    private SdkHttpServer serverB;
    private HttpServer plainHttp;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "docs-snippet-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private final Map<String, McpSyncClient> syncClients = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private final AtomicInteger dirs = new AtomicInteger();
    private McpAsyncClient asyncClient;
    private List<AutoCloseable> perSnippet = new ArrayList<>();
    private Path snippetDir;

    private DocsFixtures(Path root) {
        this.root = root;
    }

    /** Server A (records {@code Authorization} headers), started on first use. */
    private synchronized SdkHttpServer serverA() throws Exception {
        if (serverA == null) {
            startServers();
        }
        return serverA;
    }

    private synchronized SdkHttpServer serverB() throws Exception {
        if (serverB == null) {
            startServers();
        }
        return serverB;
    }

    /** The plain HTTP server of the README's {@code httpClient}: {@code /search?q=x} answers "results for x". */
    private synchronized HttpServer plainHttp() throws IOException {
        if (plainHttp == null) {
            plainHttp = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            plainHttp.createContext("/search", exchange -> {
                String query = exchange.getRequestURI().getRawQuery();
                String q = query == null ? "" : URLDecoder.decode(query.replaceFirst("^q=", ""), StandardCharsets.UTF_8);
                byte[] body = ("results for " + q).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            plainHttp.start();
        }
        return plainHttp;
    }

    private void startServers() throws Exception {
        Filter recordAuthorization = (request, response, chain) -> {
            String h = ((HttpServletRequest) request).getHeader("Authorization");
            if (h != null) {
                authorization.add(h);
            }
            chain.doFilter(request, response);
        };
        serverA = SdkHttpServer.start(0, searchTools("server-a"), recordAuthorization);
        serverB = SdkHttpServer.start(0, searchTools("server-b"));
    }

    /** Fixtures whose temporary files go under {@code root}; the servers start when a snippet first needs one. */
    public static DocsFixtures start(Path root) {
        return new DocsFixtures(root);
    }

    /** {@return the read-only search tools every docs server serves; their answers say which server answered} */
    public static List<SyncToolSpecification> searchTools(String server) {
        List<SyncToolSpecification> out = new ArrayList<>();
        for (String name : List.of("web_search", "search")) {
            out.add(new SyncToolSpecification(tool(name, true), (exchange, request) ->
                    CallToolResult.builder().addTextContent("results for " + request.arguments().get("q") + " from " + server)
                            .isError(false).build()));
        }
        return out;
    }

    static McpSchema.Tool tool(String name, boolean readOnly) {
        return McpSchema.Tool.builder(name, OBJECT_SCHEMA).description("docs tool " + name)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(readOnly).destructiveHint(!readOnly)
                        .idempotentHint(readOnly).openWorldHint(false).build())
                .build();
    }

    /** {@return every {@code Authorization} header server A received} */
    public List<String> authorizationHeaders() {
        return List.copyOf(authorization);
    }

    /** Serves {@code tool} on a fresh SDK server and calls it once through a real SDK client. */
    public CallToolResult callOnServer(SyncToolSpecification tool, Map<String, Object> arguments) throws Exception {
        try (SdkHttpServer server = SdkHttpServer.start(0, List.of(tool))) {
            McpSyncClient client = syncClient(server.url());
            try {
                return client.callTool(McpSchema.CallToolRequest.builder(tool.tool().name())
                        .arguments(arguments).build());
            } finally {
                syncClients.remove(server.url());
                client.closeGracefully();
            }
        }
    }

    // ------------------------------------------------------------------ per snippet

    /** Starts a snippet's run: a fresh directory holding {@code files} (name to content). */
    void beginSnippet(Map<String, String> files) throws IOException {
        snippetDir = Files.createDirectories(root.resolve("snippet-" + dirs.incrementAndGet()));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(snippetDir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
        if (!files.containsKey("health.yaml")) {
            Files.writeString(snippetDir.resolve("health.yaml"), String.join("\n",
                    "health_monitoring_system:",
                    "  score_window: \"30s\"",
                    "  category_weights: { system: \"20%\", application: \"50%\", business: \"20%\", predictive: \"10%\" }",
                    "health_consensus:",
                    "  minimum_nodes: 5",
                    ""));
        }
        if (!files.containsKey("recovery.yaml")) {
            Files.writeString(snippetDir.resolve("recovery.yaml"), String.join("\n",
                    "data_recovery_framework:",
                    "  critical: { durability: sync }",
                    "journal:",
                    "  directory: \"" + snippetDir.resolve("journal").toString().replace("\\", "/") + "\"",
                    "  durability: group_commit",
                    ""));
        }
    }

    /** Closes what {@link #fill} opened for the snippet that just ran, newest first. */
    void endSnippet() {
        List<AutoCloseable> open = perSnippet;
        perSnippet = new ArrayList<>();
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a snippet or its check may have closed it already
            }
        }
    }

    /**
     * Sets every instance field of {@code snippet} that is still {@code null} from a fixture.
     *
     * @return the names of fields no fixture matched (empty when all are set)
     */
    List<String> fill(Object snippet) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Field f : snippet.getClass().getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            f.setAccessible(true);
            if (f.getType().isPrimitive() || f.get(snippet) != null) {
                continue;
            }
            Object value = valueFor(f.getName(), f.getType(), snippet.getClass());
            if (value == null) {
                missing.add(f.getName() + " (" + f.getGenericType().getTypeName() + ")");
            } else {
                f.set(snippet, value);
            }
        }
        return missing;
    }

    private Object valueFor(String name, Class<?> type, Class<?> snippetClass) throws Exception {
        if (type == DocsFixtures.class) {
            return this;
        }
        if (type == String.class && name.endsWith("Url")) {
            return switch (name) {
                case "replicaUrl", "drUrl", "eu2Url", "us1Url" -> serverB().url();
                default -> serverA().url();
            };
        }
        if (type == Path.class) {
            return snippetDir;
        }
        if (type == McpEndpoint.class) {
            String url = name.equals("primary") ? serverA().url() : serverB().url();
            return McpEndpoint.http("search-" + name, url).trusted(true).build();
        }
        if (type == McpSchema.Tool.class) {
            return switch (name) {
                case "searchTool" -> tool("web_search", true);
                case "resetTool" -> tool("admin_reset", false);
                case "placeOrderTool" -> tool("place_order", false);
                default -> null;
            };
        }
        if (type == Journal.class) {
            return open(Journal.open(JournalConfig.builder(snippetDir.resolve("fixture-" + name)).name(name)
                    .durability(Durability.GROUP_COMMIT).build()));
        }
        if (type == RecoveryManager.class) {
            Journal journal = open(Journal.open(JournalConfig.builder(snippetDir.resolve("fixture-" + name)).name(name)
                    .durability(Durability.GROUP_COMMIT).build()));
            RecoveryManager<TreeMap<String, Long>> manager = open(
                    RecoveryManager.builder(journal, new Counters()).scrubOnSchedule(false).build());
            manager.append(1, "orders".getBytes(StandardCharsets.UTF_8));
            manager.snapshot();
            return manager;
        }
        if (type == List.class && name.equals("events")) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {   // more than the page's window of 4096
                events.add("event-" + i);
            }
            return events;
        }
        if (type == byte[].class) {
            return (name + " for sku-42").getBytes(StandardCharsets.UTF_8);
        }
        if (type == Supplier.class && name.equals("tokens")) {
            return (Supplier<String>) () -> "token-" + tokens.incrementAndGet();
        }
        if (type == ServerParameters.class) {
            return stdioServer();
        }
        if (type == MeterRegistry.class) {
            return new SimpleMeterRegistry();
        }
        if (type == ScheduledExecutorService.class) {
            return scheduler;
        }
        if (type == ResiliencePipeline.class) {
            return ResiliencePipeline.<String>builder("docs").build();
        }
        if (type == FailoverDecisionEngine.class) {
            EndpointGroup group = open(EndpointGroup.builder("docs-search")
                    .tier(FailoverTier.LOCAL, Endpoint.of("local-1", FailoverTier.LOCAL, serverA().url()))
                    .tier(FailoverTier.GEOGRAPHIC, Endpoint.of("geo-1", FailoverTier.GEOGRAPHIC, serverB().url()))
                    .build());
            FailoverDecisionEngine engine = open(FailoverDecisionEngine.builder(group).build());
            engine.start();
            return engine;
        }
        if (type == ChaosSwitch.class) {
            ChaosSwitch chaos = ChaosSwitch.create("docs", variable -> "true");
            chaos.enable();
            return chaos;
        }
        if (type == TcpFaultProxy.class) {
            return open(TcpFaultProxy.start(name, "127.0.0.1", serverA().port()));
        }
        if (type == BooleanSupplier.class || type == DoubleSupplier.class) {
            Field proxyField = findField(snippetClass, TcpFaultProxy.class);
            if (proxyField == null) {
                return null;
            }
            BooleanSupplier answers = () -> answersThrough(proxyField, snippetClass);
            return type == BooleanSupplier.class ? answers : (DoubleSupplier) () -> answers.getAsBoolean() ? 0.0 : 1.0;
        }
        if (type.isInterface() && type.getEnclosingClass() == snippetClass) {
            return callerClient(name, type);
        }
        return null;
    }

    private final Map<Class<?>, Object> lastInstance = new ConcurrentHashMap<>();

    /** Remembers the snippet instance being filled, so suppliers can find its proxy field. */
    void current(Object snippet) {
        lastInstance.put(snippet.getClass(), snippet);
    }

    /** Whether a request through the snippet's fault proxy gets any HTTP answer from the server behind it. */
    private boolean answersThrough(Field proxyField, Class<?> snippetClass) {
        try {
            TcpFaultProxy proxy = (TcpFaultProxy) proxyField.get(lastInstance.get(snippetClass));
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(proxy.httpUrl("/mcp")))
                    .timeout(Duration.ofMillis(500)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() > 0;
        } catch (IOException | IllegalAccessException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Field findField(Class<?> c, Class<?> type) {
        for (Field f : c.getDeclaredFields()) {
            if (f.getType() == type) {
                f.setAccessible(true);
                return f;
            }
        }
        return null;
    }

    /**
     * A stand-in interface of the caller's own client ({@code HttpClient httpClient}, {@code SyncTools
     * mcpClient}, {@code AsyncTools asyncClient}, {@code Backend backend}) made real: its one method
     * makes an HTTP request or an MCP tool call to the docs servers.
     */
    private Object callerClient(String name, Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "docs fixture " + name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> proxy == args[0];
                };
            }
            switch (name) {
                case "httpClient": {
                    String path = (String) args[0];
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + plainHttp().getAddress().getPort() + path.replace(" ", "%20")))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    return r.body();
                }
                case "mcpClient": {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> arguments = (Map<String, Object>) args[1];
                    return text(syncClient(serverA().url()).callTool(McpSchema.CallToolRequest.builder((String) args[0])
                            .arguments(arguments).build()));
                }
                case "asyncClient": {
                    ToolCall call = (ToolCall) args[0];
                    return asyncClient().callTool(McpSchema.CallToolRequest.builder(call.toolName())
                            .arguments(call.arguments()).build())
                            .map(DocsFixtures::text).toFuture();
                }
                case "backend": {
                    ToolCall call = (ToolCall) args[1];
                    return text(syncClient((String) args[0]).callTool(
                            McpSchema.CallToolRequest.builder(call.toolName()).arguments(call.arguments()).build()));
                }
                default:
                    throw new IllegalStateException("no fixture for the caller's client " + name + " (" + type + ")");
            }
        });
    }

    private static String text(CallToolResult r) {
        String s = r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining());
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException("tool error: " + s);
        }
        return s;
    }

    private McpSyncClient syncClient(String url) {
        return syncClients.computeIfAbsent(url, u -> {
            McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder(base(u)).endpoint("/mcp").build())
                    .requestTimeout(Duration.ofSeconds(10)).build();
            c.initialize();
            return c;
        });
    }

    private synchronized McpAsyncClient asyncClient() throws Exception {
        if (asyncClient == null) {
            asyncClient = McpClient.async(HttpClientStreamableHttpTransport.builder(base(serverA().url())).endpoint("/mcp").build())
                    .requestTimeout(Duration.ofSeconds(10)).build();
            asyncClient.initialize().block(Duration.ofSeconds(10));
        }
        return asyncClient;
    }

    private static String base(String url) {
        return url.substring(0, url.length() - "/mcp".length());
    }

    /** A child JVM running {@link DocsStdioServer}; its logs go to stderr so stdout carries only MCP. */
    private ServerParameters stdioServer() throws IOException {
        Path logback = root.resolve("logback-stderr.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                    + "<target>System.err</target><encoder><pattern>%msg%n</pattern></encoder></appender>"
                    + "<root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>");
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                        "-Dlogback.configurationFile=" + logback, "-cp", classpath, DocsStdioServer.class.getName()))
                .build();
    }

    private <T extends AutoCloseable> T open(T c) {
        perSnippet.add(c);
        return c;
    }

    @Override
    public void close() {
        endSnippet();
        syncClients.values().forEach(c -> {
            try {
                c.closeGracefully();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        });
        if (asyncClient != null) {
            asyncClient.close();
        }
        scheduler.shutdownNow();
        if (plainHttp != null) {
            plainHttp.stop(0);
        }
        if (serverA != null) {
            serverA.close();
        }
        if (serverB != null) {
            serverB.close();
        }
    }

    /** Counts per key: the state of the recovery page's {@code counters} manager (payload = the key). */
    static final class Counters implements RecoverableState<TreeMap<String, Long>> {
        @Override
        public TreeMap<String, Long> empty() {
            return new TreeMap<>();
        }

        @Override
        public TreeMap<String, Long> apply(TreeMap<String, Long> state, JournalRecord event) {
            TreeMap<String, Long> next = new TreeMap<>(state);
            next.merge(new String(event.payload(), StandardCharsets.UTF_8), 1L, Long::sum);
            return next;
        }

        @Override
        public byte[] snapshot(TreeMap<String, Long> state) {
            return state.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public TreeMap<String, Long> restore(byte[] image) {
            TreeMap<String, Long> state = new TreeMap<>();
            String s = new String(image, StandardCharsets.UTF_8);
            if (!s.isEmpty()) {
                for (String line : s.split("\n")) {
                    int eq = line.lastIndexOf('=');
                    state.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
                }
            }
            return state;
        }
    }
}
