package io.qudag.resilience.chaos.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.FaultInjector;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;

/** A decorated tool on a real SDK server, called by a real SDK client over HTTP on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpToolChaosTest {

    private Tomcat tomcat;
    private McpSyncServer server;
    private McpSyncClient client;
    private final AtomicInteger handlerRuns = new AtomicInteger();
    private final ChaosSwitch chaos = ChaosSwitch.create("server-side", n -> "true");
    private final ChaosSwitch off = ChaosSwitch.create("off", n -> null);
    private FaultInjector<McpSchema.CallToolResult> isError;
    private FaultInjector<McpSchema.CallToolResult> rpcError;
    private FaultInjector<McpSchema.CallToolResult> offInjector;

    @BeforeAll
    void startServer() throws Exception {
        chaos.enable();
        off.enable();
        isError = FaultInjector.<McpSchema.CallToolResult>builder("iserr", chaos)
                .toolErrorResult(McpFaults.toolError("injected by chaos"));
        rpcError = FaultInjector.<McpSchema.CallToolResult>builder("rpc", chaos)
                .jsonRpcError(-32603, "injected internal error");
        offInjector = FaultInjector.<McpSchema.CallToolResult>builder("off", off).jsonRpcError(-32603, "never");
        start(offInjector, isError, rpcError);
    }

    @AfterEach
    void stopInjectors() {
        isError.stop();
        rpcError.stop();
        offInjector.stop();
        handlerRuns.set(0);
    }

    @SafeVarargs
    private void start(FaultInjector<McpSchema.CallToolResult>... injector) throws Exception {
        SyncToolSpecification echo = SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder("echo", Map.of("type", "object")).description("echo").build())
                .callHandler((ex, req) -> {
                    handlerRuns.incrementAndGet();
                    return McpSchema.CallToolResult.builder().addTextContent("echo").isError(false).build();
                }).build();
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        server = McpServer.sync(provider).serverInfo("chaos-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(List.of(McpToolChaos.decorate(echo, injector))).build();
        tomcat = new Tomcat();
        File base = Files.createTempDirectory("qudag-chaos-tomcat").toFile();
        base.deleteOnExit();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(ctx, "mcp", provider);
        wrapper.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "mcp");
        tomcat.start();
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + connector.getLocalPort())
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.closeGracefully();
        }
        if (server != null) {
            server.close();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void anIsErrorResultReplacesTheHandler() {
        isError.start();
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("echo")
                .arguments(Map.of()).build());
        assertThat(r.isError()).isTrue();
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("injected by chaos");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void aJsonRpcErrorReachesTheClientWithItsCode() {
        rpcError.start();
        assertThatThrownBy(() -> client.callTool(McpSchema.CallToolRequest.builder("echo").arguments(Map.of()).build()))
                .isInstanceOf(McpError.class).hasMessageContaining("injected internal error");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void withChaosOff_theToolRunsUnchanged() {
        offInjector.start();
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("echo")
                .arguments(Map.of()).build());
        assertThat(r.isError()).isFalse();
        assertThat(handlerRuns).hasValue(1);
    }
}
