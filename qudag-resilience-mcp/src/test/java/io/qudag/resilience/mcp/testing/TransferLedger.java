package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.server.ResilientTools;
import io.qudag.resilience.mcp.server.ToolTransaction;
import io.qudag.resilience.recovery.spi.TransactionalEffects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of a transactional test tool: a ledger of transfers, built only by the effects that
 * {@code ResilientTools} commits ("transfer &lt;id&gt; &lt;run token&gt;", one line per effect, in
 * journal order). Tool "transfer_tx" (destructive, not idempotent) computes a fresh line per run and
 * returns it as answer and effect; "ledger" (read-only) answers every line, one per line.
 */
public final class TransferLedger implements TransactionalEffects {

    private final List<String> lines = new ArrayList<>();
    /** Handler runs of "transfer_tx" in this process (committed or not). */
    public final AtomicInteger runs = new AtomicInteger();
    /** When set, a "transfer_tx" with {@code block=true} waits here (at most 60 s) before it answers. */
    public volatile boolean honourBlock;
    public final CountDownLatch release = new CountDownLatch(1);
    /** Called with the id of each "transfer_tx" run that is about to block (see {@link #honourBlock}). */
    public volatile java.util.function.Consumer<String> onRun = id -> { };

    @Override
    public synchronized void apply(String key, byte[] effect) {
        lines.add(new String(effect, StandardCharsets.UTF_8));
    }

    /** Every committed line, in commit order. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    private static McpSchema.Tool tool(String name, boolean readOnly) {
        return McpSchema.Tool.builder(name, Map.of("type", "object")).description("test tool " + name)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(readOnly).destructiveHint(!readOnly)
                        .idempotentHint(readOnly).openWorldHint(false).build())
                .build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return McpSchema.CallToolResult.builder().addTextContent(s).isError(false).build();
    }

    private void hold(long millis) {
        try {
            release.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** "transfer_tx" committed through {@code resilient}, and the read-only "ledger". */
    public List<SyncToolSpecification> specs(ResilientTools resilient) {
        return List.of(
                resilient.transactional(tool("transfer_tx", false), (ex, req) -> {
                    runs.incrementAndGet();
                    String id = String.valueOf(req.arguments().getOrDefault("id", "-"));
                    String line = "transfer " + id + " " + UUID.randomUUID();
                    if (honourBlock && Boolean.TRUE.equals(req.arguments().get("block"))) {
                        onRun.accept(id);
                        hold(60_000);
                    }
                    if (req.arguments().get("holdMs") instanceof Number ms) {
                        hold(ms.longValue());   // work in progress: a kill now cuts the run before its commit
                    }
                    if (Boolean.TRUE.equals(req.arguments().get("fail"))) {
                        throw new IllegalStateException("insufficient funds");
                    }
                    return ToolTransaction.of(text(line), line.getBytes(StandardCharsets.UTF_8));
                }),
                resilient.decorate(new SyncToolSpecification(tool("ledger", true),
                        (ex, req) -> text(String.join("\n", lines())))));
    }
}
