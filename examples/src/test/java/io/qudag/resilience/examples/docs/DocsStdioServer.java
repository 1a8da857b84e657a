package io.qudag.resilience.examples.docs;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The stdio MCP server {@link DocsTest} hands to documentation snippets that name a local server on
 * stdin/stdout: an MCP Java SDK server, in a child JVM, with the same tools as {@link DocsFixtures}'s HTTP
 * servers. Runs until the JVM that started it exits, or it is killed.
 */
public final class DocsStdioServer {

    private DocsStdioServer() {
    }

    public static void main(String[] args) throws Exception {
        McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                .serverInfo("qudag-docs-stdio", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(DocsFixtures.searchTools("stdio")).build();
        // A server on stdio lives as long as its client: exit with the test JVM, even if it never closed us.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        Thread.currentThread().join();
    }
}
