package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A child-JVM MCP server for crash tests: {@code http [port [journal [name]]]} prints {@code PORT <n>}
 * and serves streamable HTTP on 127.0.0.1 (port 0 or absent: any free port; a destroy journal file,
 * see {@link TestTools#journal}; a server name that "read" reports); {@code stdio} serves on
 * stdin/stdout. Runs until killed.
 */
public final class SdkServerMain {

    private SdkServerMain() {
    }

    public static void main(String[] args) throws Exception {
        TestTools tools = new TestTools();
        if (args.length > 0 && "stdio".equals(args[0])) {
            McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                    .serverInfo("qudag-test-stdio", "1.0")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                    .tools(tools.specs()).build();
        } else {
            int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
            if (args.length > 2 && !"-".equals(args[2])) {
                tools.journal = java.nio.file.Path.of(args[2]);
            }
            if (args.length > 3) {
                tools.serverName = args[3];
            }
            SdkHttpServer server = SdkHttpServer.start(port, tools.specs());
            System.out.println("PORT " + server.port());
            System.out.flush();
        }
        Thread.currentThread().join();
    }
}
