package io.qudag.resilience.benchmarks.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code echo} tool call over streamable HTTP on loopback: the bare MCP Java SDK 2.1.0 client
 * against {@code ResilientMcpClient} (liveness transport, per-call deadline, per-endpoint pipeline
 * with a Resilience4j breaker and retry, meters off), against the same in-process SDK server on
 * embedded Tomcat, in one run. The difference is the library's overhead per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class McpClientBenchmark {

    private Tomcat tomcat;
    private McpSyncServer server;
    private McpSyncClient bare;
    private ResilientMcpClient resilient;
    private final McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder("echo")
            .arguments(Map.of("text", "hi")).build();

    @Setup
    public void setUp() throws Exception {
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        McpSchema.Tool echo = McpSchema.Tool.builder("echo", Map.of("type", "object"))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).idempotentHint(true).build())
                .build();
        server = McpServer.sync(provider).serverInfo("bench", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(new SyncToolSpecification(echo, (ex, req) -> McpSchema.CallToolResult.builder()
                        .addTextContent(String.valueOf(req.arguments().get("text"))).isError(false).build()))
                .build();
        tomcat = new Tomcat();
        File base = Files.createTempDirectory("qudag-bench-tomcat").toFile();
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
        int port = connector.getLocalPort();

        bare = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp")
                .build()).requestTimeout(Duration.ofSeconds(30)).build();
        bare.initialize();
        resilient = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("bench", "http://127.0.0.1:" + port + "/mcp").trusted(true).build())
                .callTimeout(Duration.ofSeconds(30)).build());
    }

    @TearDown
    public void tearDown() throws Exception {
        resilient.close();
        bare.close();
        server.close();
        tomcat.stop();
        tomcat.destroy();
    }

    @Benchmark
    public McpSchema.CallToolResult bareSdkClient() {
        return bare.callTool(request);
    }

    @Benchmark
    public McpSchema.CallToolResult resilientMcpClient() {
        return resilient.callTool(request);
    }
}
