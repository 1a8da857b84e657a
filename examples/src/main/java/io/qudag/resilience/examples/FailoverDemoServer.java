package io.qudag.resilience.examples;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The MCP server of {@link FailoverDemo}, run in its own JVM so the demo can SIGKILL it: an MCP Java SDK
 * server (streamable HTTP on embedded Tomcat, 127.0.0.1) with a read-only tool {@code search} that says
 * which server answered, and a destructive tool {@code delete_record} that appends its call id to a
 * journal file (forced to disk) before it does anything, so executions can be counted after a crash.
 *
 * <p>Arguments: {@code <name> <port, 0 = any> <journal file>}. Prints {@code PORT <n>} when it listens.
 */
public final class FailoverDemoServer {

    private static final Map<String, Object> OBJECT_SCHEMA = Map.of("type", "object");
    /**
     * Embedded Tomcat logs through java.util.logging: its start and stop notes would bury what the
     * in-process examples print, so only its SEVERE messages show (held here: JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    private FailoverDemoServer() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = start(args[0], Integer.parseInt(args[1]), Path.of(args[2]));
        System.out.println("PORT " + tomcat.getConnector().getLocalPort());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0: any free port); requests pass a
     * {@link LoopbackRequestFilter} (Host and Origin must be this loopback server) before the MCP servlet.
     */
    static Tomcat start(String name, int port, Path journal) throws Exception {
        return start(name, port, journal, Set.of());
    }

    /** As {@link #start(String, int, Path)}, also serving requests addressed to the loopback ports {@code alsoServedOn}. */
    static Tomcat start(String name, int port, Path journal, Set<Integer> alsoServedOn) throws Exception {
        AtomicLong searches = new AtomicLong();

        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        McpServer.sync(provider).serverInfo("qudag-failover-demo-" + name, "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(List.of(
                        new SyncToolSpecification(tool("search", true, false, true), (ex, req) ->
                                text("result " + searches.incrementAndGet() + " from " + name)),
                        new SyncToolSpecification(tool("delete_record", false, true, false), (ex, req) -> {
                            append(journal, "delete " + req.arguments().getOrDefault("id", "-"));
                            Object hold = req.arguments().get("holdMs");
                            if (hold instanceof Number ms) {
                                LockSupport.parkNanos(ms.longValue() * 1_000_000L); // a slow destructive operation
                            }
                            return text("deleted on " + name);
                        })))
                .build();
        return host(provider, port, alsoServedOn);
    }

    /**
     * Hosts an MCP servlet on embedded Tomcat bound to 127.0.0.1:{@code port} (0: any free port), behind a
     * {@link LoopbackRequestFilter}; the server is started when this returns.
     */
    static Tomcat host(HttpServletStreamableServerTransportProvider provider, int port, Set<Integer> alsoServedOn)
            throws Exception {
        TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
        Tomcat tomcat = new Tomcat();
        File base = Files.createTempDirectory("qudag-demo-tomcat").toFile();
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
        FilterDef loopbackOnly = new FilterDef();
        loopbackOnly.setFilterName("loopback-only");
        loopbackOnly.setFilter(new LoopbackRequestFilter(alsoServedOn));
        loopbackOnly.setAsyncSupported("true");
        ctx.addFilterDef(loopbackOnly);
        FilterMap everything = new FilterMap();
        everything.setFilterName("loopback-only");
        everything.addURLPattern("/*");
        ctx.addFilterMap(everything);
        tomcat.start();
        return tomcat;
    }

    private static McpSchema.Tool tool(String name, boolean readOnly, boolean destructive, boolean idempotent) {
        return McpSchema.Tool.builder(name, OBJECT_SCHEMA).description("demo tool " + name)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(readOnly).destructiveHint(destructive)
                        .idempotentHint(idempotent).openWorldHint(false).build())
                .build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return McpSchema.CallToolResult.builder().addTextContent(s).isError(false).build();
    }

    private static synchronized void append(Path file, String line) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
