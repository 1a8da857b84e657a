package io.qudag.resilience.spring.it;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import org.springframework.ai.mcp.annotation.McpProgressToken;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** A real Spring AI MCP server (webmvc, streamable HTTP on {@code /mcp}) on 127.0.0.1 and a free port. */
public final class TestMcpServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private TestMcpServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts a server named {@code id}; {@code port} 0 picks a free one. */
    public static TestMcpServer start(String id, int port, String... extraProperties) {
        List<String> props = new ArrayList<>(List.of("server.port=" + port, "server.address=127.0.0.1",
                "server.shutdown=immediate", "spring.main.banner-mode=off",
                "spring.ai.mcp.server.protocol=STREAMABLE", "spring.ai.mcp.server.name=" + id,
                "spring.ai.mcp.client.enabled=false", "test.server.id=" + id,
                "management.endpoints.enabled-by-default=false"));
        props.addAll(List.of(extraProperties));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ServerApp.class)
                .properties(props.toArray(String[]::new)).run();
        return new TestMcpServer(ctx);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public ServerTools tools() {
        return context.getBean(ServerTools.class);
    }

    /** An SDK client of this server. */
    public McpSyncClient client() {
        McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder(url()).endpoint("/mcp").build())
                .requestTimeout(Duration.ofSeconds(10)).build();
        c.initialize();
        return c;
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * Runs a server as a child JVM: {@code args} are its id and extra properties; prints {@code PORT <n>}
     * when it listens.
     */
    public static void main(String[] args) {
        String[] extra = java.util.Arrays.copyOfRange(args, 1, args.length);
        TestMcpServer server = start(args[0], 0, extra);
        System.out.println("PORT " + server.port());
        System.out.flush();
    }

    /** The server application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class ServerApp {
        @Bean
        ServerTools serverTools(@Value("${test.server.id}") String id,
                @Value("${test.server.step-millis:20}") long stepMillis) {
            return new ServerTools(id, stepMillis);
        }
    }

    /** The tools every test server offers. */
    public static class ServerTools {
        private final String id;
        private final long stepMillis;
        /** How often {@code increment} ran on this server. */
        public final AtomicInteger increments = new AtomicInteger();
        /** When ({@link System#nanoTime()}) each {@code progress} call started here, by progress token. */
        public final java.util.Map<String, Long> progressStarted = new java.util.concurrent.ConcurrentHashMap<>();

        ServerTools(String id, long stepMillis) {
            this.id = id;
            this.stepMillis = stepMillis;
        }

        @McpTool(name = "echo", description = "Echoes the text back", annotations = @McpTool.McpAnnotations(
                title = "Echo", readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false))
        public String echo(@McpToolParam(description = "the text to echo", required = true) String text) {
            return text;
        }

        @McpTool(name = "whoami", description = "Names the server that answered", annotations = @McpTool.McpAnnotations(
                readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false))
        public String whoami() {
            return id;
        }

        @McpTool(name = "slow", description = "Works for the given time", annotations = @McpTool.McpAnnotations(
                readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false))
        public String slow(@McpToolParam(description = "how long to work, in ms", required = true) int millis)
                throws InterruptedException {
            Thread.sleep(millis); // simulates server-side work, not a wait for test state
            return "worked " + millis + " ms";
        }

        @McpTool(name = "progress", description = "Works in steps and reports each step as MCP progress",
                annotations = @McpTool.McpAnnotations(readOnlyHint = true, destructiveHint = false,
                        idempotentHint = true, openWorldHint = false))
        public String progress(@McpToolParam(description = "how many steps", required = true) int steps,
                McpSyncServerExchange exchange, @McpProgressToken String progressToken) throws InterruptedException {
            if (progressToken != null) {
                progressStarted.putIfAbsent(progressToken, System.nanoTime());
            }
            for (int i = 1; i <= steps; i++) {
                if (progressToken != null) {
                    exchange.progressNotification(McpSchema.ProgressNotification.builder(progressToken, i)
                            .total((double) steps).message("step " + i).build());
                }
                Thread.sleep(stepMillis); // simulates server-side work, not a wait for test state
            }
            return id + " did " + steps + " steps";
        }

        @McpTool(name = "increment", description = "Adds one to a counter (not safe to repeat)",
                annotations = @McpTool.McpAnnotations(readOnlyHint = false, destructiveHint = true,
                        idempotentHint = false, openWorldHint = false))
        public int increment() {
            return increments.incrementAndGet();
        }
    }
}
