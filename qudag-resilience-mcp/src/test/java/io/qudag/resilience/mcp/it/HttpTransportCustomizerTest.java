package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Credentials reach a server that demands them, on every request of every session the client opens. */
class HttpTransportCustomizerTest {

    private final TestTools tools = new TestTools();
    private final AtomicInteger refused = new AtomicInteger();
    private SdkHttpServer server;
    private ResilientMcpClient client;

    @BeforeEach
    void start() throws Exception {
        Filter bearerOnly = (request, response, chain) -> {
            if (!"Bearer s3cret".equals(((HttpServletRequest) request).getHeader("Authorization"))) {
                refused.incrementAndGet();
                ((HttpServletResponse) response).sendError(401);
                return;
            }
            chain.doFilter(request, response);
        };
        server = SdkHttpServer.start(0, tools.specs(), bearerOnly);
    }

    @AfterEach
    void stop() throws Exception {
        tools.release.countDown();
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void aRequestCustomizerSendsTheCredentialsWithEveryRequest() {
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("secured", server.url()).trusted(true)
                        .httpTransport(b -> b.addHttpRequestCustomizer((req, method, uri, body, ctx) ->
                                req.header("Authorization", "Bearer s3cret")))
                        .build())
                .initializationTimeout(Duration.ofSeconds(20)).build());
        McpSchema.CallToolResult r = client.callTool("echo", Map.of("text", "with credentials"));
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("with credentials");
        assertThat(refused).as("no request went without them").hasValue(0);
    }

    @Test
    void withoutThemTheServerRefusesAndCreateSaysSo() {
        assertThatThrownBy(() -> ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("secured", server.url()).build())
                .initializationTimeout(Duration.ofSeconds(5)).maxRestarts(0).build()))
                .hasMessageContaining("secured");
        assertThat(refused.get()).isPositive();
    }

    @Test
    void aTransportCustomizerOnAStdioEndpointIsRefused() {
        assertThatThrownBy(() -> McpEndpoint.stdio("s", ServerParameters.builder("node").build())
                .httpTransport(b -> { }).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("httpTransport applies to HTTP endpoints only, was set on STDIO endpoint s");
        assertThatThrownBy(() -> McpEndpoint.http("h", "http://127.0.0.1:1/mcp").httpTransport(null).build())
                .hasMessage("httpTransport must not be null, was null");
    }
}
