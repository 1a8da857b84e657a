package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A child-JVM MCP server for crash tests: {@code http [port [journal [name [idempotency-dir]]]]} prints
 * {@code PORT <n>} and serves streamable HTTP on 127.0.0.1 (port 0 or absent: any free port; a destroy
 * journal file, see {@link TestTools#journal}; a server name that "read" reports; a directory for an
 * idempotency journal: the tools are then decorated by {@code ResilientTools} deduplicating by
 * idempotency key, and the transactional tools of a {@link TransferLedger} are served too; the server
 * prints {@code UNRESOLVED <n> <keys,...>}, the intents without a result it found, before {@code PORT}; a sixth
 * argument {@code block} makes a "transfer_tx" with {@code block=true} print
 * {@code RUNNING <id>} and wait); {@code stdio} serves on
 * stdin/stdout. Runs until killed.
 */
public final class SdkServerMain {

    private SdkServerMain() {
    }

    public static void main(String[] args) throws Exception {
        TestTools tools = new TestTools();
        if (args.length > 0 && "silent".equals(args[0])) {
            // a stdio server that reads every request and never answers (a child hung before initialize)
            while (System.in.read() >= 0) {
                // discard
            }
            return;
        }
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
            java.util.List<io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification> specs = tools.specs();
            if (args.length > 4) {
                io.qudag.resilience.recovery.Journal journal = io.qudag.resilience.recovery.Journal.open(
                        io.qudag.resilience.recovery.JournalConfig.builder(java.nio.file.Path.of(args[4]))
                                .durability(io.qudag.resilience.recovery.Durability.GROUP_COMMIT).build());
                TransferLedger ledger = new TransferLedger();
                if (args.length > 5 && "block".equals(args[5])) {
                    ledger.honourBlock = true;
                    ledger.onRun = id -> {
                        System.out.println("RUNNING " + id);
                        System.out.flush();
                    };
                }
                io.qudag.resilience.recovery.IdempotencyStore store =
                        io.qudag.resilience.recovery.IdempotencyStore.open(journal, ledger);
                System.out.println("UNRESOLVED " + store.unresolved().size() + " " + String.join(",",
                        store.unresolved().stream().map(io.qudag.resilience.recovery.IdempotencyStore.Entry::key).toList()));
                io.qudag.resilience.mcp.server.ResilientTools resilient = io.qudag.resilience.mcp.server.ResilientTools
                        .create(io.qudag.resilience.mcp.server.ResilientToolsConfig.builder("child")
                                .idempotencyStore(store).build());
                specs = new java.util.ArrayList<>(resilient.decorateAll(specs));
                specs.addAll(ledger.specs(resilient));
            }
            SdkHttpServer server = SdkHttpServer.start(port, specs);
            System.out.println("PORT " + server.port());
            System.out.flush();
        }
        Thread.currentThread().join();
    }
}
