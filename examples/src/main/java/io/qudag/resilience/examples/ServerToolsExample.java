package io.qudag.resilience.examples;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.mcp.server.RejectionMode;
import io.qudag.resilience.mcp.server.ResilientTools;
import io.qudag.resilience.mcp.server.ResilientToolsConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.catalina.startup.Tomcat;

/**
 * Decorating the tools of an MCP SDK server with {@link ResilientTools} (spec §1.3 bulkheads, §3 time
 * limits): a server on 127.0.0.1 (embedded Tomcat, {@link LoopbackRequestFilter} checking Host and
 * Origin) offers three tools, and a real MCP SDK client calls them.
 *
 * <ul>
 *   <li>{@code search} (USER class) answers at once;</li>
 *   <li>{@code slow_report} (USER class) takes 5 s, longer than the USER time limit of 300 ms: the client
 *       gets an {@code isError} result saying the resilience layer cut it, not a hung call;</li>
 *   <li>{@code reindex} (BACKGROUND class, 1 permit) holds its permit while a first call runs: a second
 *       call at the same time is refused by the full bulkhead, also as an {@code isError} result, while
 *       {@code search} keeps answering.</li>
 * </ul>
 * Then a request with a foreign {@code Host} header is refused with 403 (DNS-rebinding protection).
 * Exits 0 when all four held. Run: {@code java -cp examples/target/qudag-resilience-examples.jar
 * io.qudag.resilience.examples.ServerToolsExample}.
 */
public final class ServerToolsExample {

    /** What the example saw; {@link #held()} when every point it shows held. */
    record Result(boolean searchAnswered, boolean slowToolCutByTimeLimit, boolean secondReindexRejected,
                  boolean searchAnsweredWhileBackgroundFull, boolean foreignHostRefused) {
        boolean held() {
            return searchAnswered && slowToolCutByTimeLimit && secondReindexRejected
                    && searchAnsweredWhileBackgroundFull && foreignHostRefused;
        }
    }

    private static final Map<String, Object> OBJECT_SCHEMA = Map.of("type", "object");

    private ServerToolsExample() {
    }

    public static void main(String[] args) throws Exception {
        Result r = run();
        System.out.println(r.held() ? "ALL BEHAVIOURS HELD" : "SOME BEHAVIOURS DID NOT HOLD: " + r);
        System.exit(r.held() ? 0 : 1);
    }

    static Result run() throws Exception {
        CountDownLatch reindexRunning = new CountDownLatch(1);
        CountDownLatch releaseReindex = new CountDownLatch(1);
        ResilientTools tools = ResilientTools.create(ResilientToolsConfig.builder("example-server")
                .isolationClass("reindex", IsolationClass.BACKGROUND)
                .bulkheads(IsolationBulkheadsConfig.builder().maxConcurrentCalls(IsolationClass.BACKGROUND, 1).build())
                .timeLimit(IsolationClass.USER, Duration.ofMillis(300))
                .rejectionMode(RejectionMode.TOOL_ERROR_RESULT)
                .build());
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        McpSyncServer server = McpServer.sync(transport).serverInfo("example-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tools.decorateAll(List.of(
                        new SyncToolSpecification(tool("search"), (ex, req) -> text("3 results")),
                        new SyncToolSpecification(tool("slow_report"), (ex, req) -> {
                            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5)); // a stuck dependency
                            return text("report");
                        }),
                        new SyncToolSpecification(tool("reindex"), (ex, req) -> {
                            reindexRunning.countDown();
                            try {
                                releaseReindex.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return text("reindexed");
                        }))))
                .build();
        Tomcat tomcat = FailoverDemoServer.host(transport, 0, Set.of());
        int port = tomcat.getConnector().getLocalPort();
        System.out.println("server: http://127.0.0.1:" + port + "/mcp (tools decorated by ResilientTools:"
                + " USER time limit 300 ms, BACKGROUND bulkhead of 1)");
        try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build()) {
            client.initialize();

            McpSchema.CallToolResult search = call(client, "search");
            boolean searchAnswered = !Boolean.TRUE.equals(search.isError());
            print("search", search);

            long t0 = System.nanoTime();
            McpSchema.CallToolResult slow = call(client, "slow_report");
            long slowMillis = (System.nanoTime() - t0) / 1_000_000;
            print("slow_report", slow);
            System.out.printf("  (answered after %d ms, the tool itself would take 5000 ms)%n", slowMillis);
            boolean slowCut = ResilientTools.isRejection(slow) && slowMillis < 5_000;

            CompletableFuture<McpSchema.CallToolResult> first = CompletableFuture.supplyAsync(() -> call(client, "reindex"));
            boolean running = reindexRunning.await(10, TimeUnit.SECONDS);
            McpSchema.CallToolResult second = call(client, "reindex");
            print("reindex #2", second);
            McpSchema.CallToolResult searchMeanwhile = call(client, "search");
            print("search", searchMeanwhile);
            releaseReindex.countDown();
            McpSchema.CallToolResult firstResult = first.get(20, TimeUnit.SECONDS);
            print("reindex #1", firstResult);
            boolean secondRejected = running && ResilientTools.isRejection(second)
                    && !Boolean.TRUE.equals(firstResult.isError());
            boolean searchMeanwhileOk = !Boolean.TRUE.equals(searchMeanwhile.isError());

            String foreign = rawPost(port, "evil.example:" + port);
            System.out.println("POST with Host evil.example -> " + foreign.lines().findFirst().orElse("")
                    + " (" + foreign.substring(foreign.lastIndexOf('\n') + 1) + ")");
            boolean refused = foreign.startsWith("HTTP/1.1 403");
            return new Result(searchAnswered, slowCut, secondRejected, searchMeanwhileOk, refused);
        } finally {
            releaseReindex.countDown();
            server.closeGracefully();
            tools.close();
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(Map.of()).build());
    }

    private static void print(String tool, McpSchema.CallToolResult r) {
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        System.out.printf("%-12s -> isError=%s, rejection=%s: %s%n", tool, Boolean.TRUE.equals(r.isError()),
                ResilientTools.isRejection(r), text);
    }

    /** A raw MCP ping whose Host header is exactly {@code host} (an HTTP client would set its own). */
    private static String rawPost(int port, String host) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        String request = "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder(name, OBJECT_SCHEMA).description("example tool " + name).build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return McpSchema.CallToolResult.builder().addTextContent(s).isError(false).build();
    }
}
