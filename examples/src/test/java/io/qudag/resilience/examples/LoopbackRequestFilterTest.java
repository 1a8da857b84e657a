package io.qudag.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example server answers MCP clients on loopback and refuses foreign Host and Origin headers with 403. */
class LoopbackRequestFilterTest {

    @TempDir
    Path dir;
    private Tomcat tomcat;
    private int port;

    @BeforeEach
    void start() throws Exception {
        tomcat = FailoverDemoServer.start("filter-test", 0, dir.resolve("journal.txt"));
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void anMcpClientOnLoopbackIsServed() {
        try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build()) {
            client.initialize();
            McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("search")
                    .arguments(Map.of()).build());
            assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("result 1 from filter-test");
        }
    }

    @Test
    void aForeignHostOrOriginIsRefusedWith403() throws Exception {
        assertThat(post("evil.example:" + port, null)).startsWith("HTTP/1.1 403").contains("Host evil.example:");
        assertThat(post("127.0.0.1:" + port, "http://evil.example")).startsWith("HTTP/1.1 403")
                .contains("Origin http://evil.example may not call this loopback server");
        assertThat(post("localhost:" + port, "http://localhost:" + port)).as("its own origin passes the filter")
                .doesNotStartWith("HTTP/1.1 403");
    }

    @Test
    void theRuleItself() {
        assertThat(LoopbackRequestFilter.problem("127.0.0.1:8080", null, 8080)).isNull();
        assertThat(LoopbackRequestFilter.problem("LOCALHOST:8080", "http://127.0.0.1:8080", 8080)).isNull();
        assertThat(LoopbackRequestFilter.problem("127.0.0.1:8081", null, 8080)).isNotNull();
        assertThat(LoopbackRequestFilter.problem(null, null, 8080)).isNotNull();
        assertThat(LoopbackRequestFilter.problem("127.0.0.1:8080", "https://127.0.0.1:8080", 8080)).isNotNull();
        assertThat(LoopbackRequestFilter.problem("127.0.0.1:8080", "null", 8080)).isNotNull();
    }

    /** A raw request, so the Host header is exactly what the test says. */
    private String post(String host, String origin) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        String request = "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
