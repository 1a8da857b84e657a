package io.qudag.resilience.chaos.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * An MCP Java SDK server (streamable HTTP on embedded Tomcat, 127.0.0.1). As a child JVM:
 * {@code McpServerMain <name>} prints {@code PORT <n>} and serves until killed. In-process:
 * {@link #start(String)} and {@link #close()}. Tool {@code read} (read-only, idempotent) answers
 * "served by &lt;name&gt;".
 */
public final class McpServerMain implements AutoCloseable {

    private final Tomcat tomcat;
    private final McpSyncServer server;
    private final int port;
    /** Calls of "read" this server answered. */
    public final AtomicLong reads;

    private McpServerMain(Tomcat tomcat, McpSyncServer server, int port, AtomicLong reads) {
        this.tomcat = tomcat;
        this.server = server;
        this.port = port;
        this.reads = reads;
    }

    public static void main(String[] args) throws Exception {
        McpServerMain s = start(args.length > 0 ? args[0] : "server");
        System.out.println("PORT " + s.port);
        System.out.flush();
        Thread.currentThread().join();
    }

    public static McpServerMain start(String name) throws Exception {
        return start(name, 0);
    }

    public static McpServerMain start(String name, int port) throws Exception {
        AtomicLong reads = new AtomicLong();
        McpSchema.Tool read = McpSchema.Tool.builder("read", Map.of("type", "object"))
                .description("read-only test tool")
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false)
                        .idempotentHint(true).openWorldHint(false).build())
                .build();
        SyncToolSpecification spec = SyncToolSpecification.builder().tool(read).callHandler((exchange, request) -> {
            reads.incrementAndGet();
            return McpSchema.CallToolResult.builder().addTextContent("served by " + name).isError(false).build();
        }).build();
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        McpSyncServer server = McpServer.sync(provider).serverInfo("chaos-test-" + name, "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build()).tools(List.of(spec)).build();
        Tomcat tomcat = new Tomcat();
        File base = Files.createTempDirectory("qudag-chaos-tomcat").toFile();
        base.deleteOnExit();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(ctx, "mcp", provider);
        wrapper.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "mcp");
        tomcat.start();
        return new McpServerMain(tomcat, server, connector.getLocalPort(), reads);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
