package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** An MCP Java SDK server (streamable HTTP) on embedded Tomcat at 127.0.0.1. */
public final class SdkHttpServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final McpSyncServer server;
    private final int port;

    private SdkHttpServer(Tomcat tomcat, McpSyncServer server, int port) {
        this.tomcat = tomcat;
        this.server = server;
        this.port = port;
    }

    /** Starts on {@code port} (0 = any free port). */
    public static SdkHttpServer start(int port, List<SyncToolSpecification> tools) throws Exception {
        return start(port, tools, null);
    }

    /** Starts on {@code port} with {@code filter} (or none) in front of the MCP servlet. */
    public static SdkHttpServer start(int port, List<SyncToolSpecification> tools, jakarta.servlet.Filter filter)
            throws Exception {
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        McpSyncServer server = McpServer.sync(provider).serverInfo("qudag-test-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tools).build();
        Tomcat tomcat = new Tomcat();
        File base = Files.createTempDirectory("qudag-tomcat").toFile();
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
        if (filter != null) {
            org.apache.tomcat.util.descriptor.web.FilterDef def = new org.apache.tomcat.util.descriptor.web.FilterDef();
            def.setFilterName("test-filter");
            def.setFilter(filter);
            def.setAsyncSupported("true");
            ctx.addFilterDef(def);
            org.apache.tomcat.util.descriptor.web.FilterMap map = new org.apache.tomcat.util.descriptor.web.FilterMap();
            map.setFilterName("test-filter");
            map.addURLPattern("/*");
            ctx.addFilterMap(map);
        }
        tomcat.start();
        return new SdkHttpServer(tomcat, server, connector.getLocalPort());
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    public McpSyncServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (RuntimeException ignored) {
            // the server may already be closed
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }
}
