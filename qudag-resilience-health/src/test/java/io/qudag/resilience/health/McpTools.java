package io.qudag.resilience.health;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The tools of the in-process MCP SDK servers of the end-to-end health tests: {@code work} (read-only,
 * idempotent) takes {@link #latencyMillis} (switchable at run time) and answers with the server's name;
 * {@code progress} works {@code steps} × 100 ms and reports progress after each step.
 */
final class McpTools {

    final String name;
    final AtomicLong latencyMillis;
    final AtomicInteger calls = new AtomicInteger();

    McpTools(String name, long latencyMillis) {
        this.name = name;
        this.latencyMillis = new AtomicLong(latencyMillis);
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder(name, Map.of("type", "object")).description("health test tool " + name)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false)
                        .idempotentHint(true).openWorldHint(false).build())
                .build();
    }

    /** Parks for {@code millis} (the server's designed latency, not a test waiting for state). */
    private static void work(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    List<SyncToolSpecification> specs() {
        return List.of(
                new SyncToolSpecification(tool("work"), (ex, req) -> {
                    calls.incrementAndGet();
                    work(latencyMillis.get());
                    return McpSchema.CallToolResult.builder().addTextContent(name).isError(false).build();
                }),
                new SyncToolSpecification(tool("progress"), (ex, req) -> {
                    Object token = req.meta() == null ? null : req.meta().get("progressToken");
                    int steps = req.arguments().get("steps") instanceof Number n ? n.intValue() : 20;
                    for (int i = 0; i < steps; i++) {
                        work(100);
                        if (token != null) {
                            ex.progressNotification(McpSchema.ProgressNotification.builder(token, i + 1)
                                    .total((double) steps).message("step " + (i + 1)).build());
                        }
                    }
                    return McpSchema.CallToolResult.builder().addTextContent(name).isError(false).build();
                }));
    }
}
