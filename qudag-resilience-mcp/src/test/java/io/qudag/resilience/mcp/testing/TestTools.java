package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tools of the SDK test servers (in-process and child JVM), with server-side counters. Blocking
 * tools wait on {@link #release} (at most 60 s) so tests decide when they answer.
 */
public final class TestTools {

    public final AtomicInteger destroyCount = new AtomicInteger();
    public final AtomicInteger readCount = new AtomicInteger();
    public final AtomicInteger started = new AtomicInteger();
    /** Invocations of "fail_read", a read-only tool that always fails with -32603. */
    public final AtomicInteger failedReads = new AtomicInteger();
    public volatile CountDownLatch release = new CountDownLatch(1);
    /** When set, every "read" blocks like {@code block=true} (a slow replica for hedging tests). */
    public volatile boolean slowReads;
    /** Multiplies the time the {@code sleep} tool takes; set at run time with the {@code slowdown} tool. */
    public volatile double sleepFactor = 1;
    /** When set, "read" answers "read &lt;n&gt; from &lt;serverName&gt;" (which server answered). */
    public volatile String serverName;
    /**
     * When set, every "destroy" appends "destroy &lt;id&gt;" to this file (forced to disk) before it does
     * anything else, so a count survives a SIGKILL of the server's JVM.
     */
    public volatile Path journal;

    private static final Map<String, Object> OBJECT_SCHEMA = Map.of("type", "object");

    private static McpSchema.Tool tool(String name, Boolean readOnly, Boolean destructive, Boolean idempotent) {
        return McpSchema.Tool.builder(name, OBJECT_SCHEMA).description("test tool " + name)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(readOnly).destructiveHint(destructive)
                        .idempotentHint(idempotent).openWorldHint(false).build())
                .build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return McpSchema.CallToolResult.builder().addTextContent(s).isError(false).build();
    }

    private void await() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAtMost(long millis) {
        try {
            release.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void journal(String line) {
        Path file = journal;
        if (file == null) {
            return;
        }
        synchronized (this) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public List<SyncToolSpecification> specs() {
        return List.of(
                new SyncToolSpecification(tool("echo", true, false, true),
                        (ex, req) -> text(String.valueOf(req.arguments().get("text")))),
                new SyncToolSpecification(tool("progress", true, false, true), (ex, req) -> {
                    started.incrementAndGet();
                    Object token = req.meta() == null ? null : req.meta().get("progressToken");
                    Object t = token == null ? "p-" + System.nanoTime() : token;
                    int steps = req.arguments().get("steps") instanceof Number n ? n.intValue() : 600;
                    for (int i = 0; i < steps && release.getCount() > 0; i++) {
                        ex.progressNotification(McpSchema.ProgressNotification.builder(t, i)
                                .total((double) steps).message("step " + i).build());
                        try {
                            release.await(100, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    return text("progress done");
                }),
                new SyncToolSpecification(tool("fail", false, false, false), (ex, req) -> {
                    throw new IllegalStateException("boom");
                }),
                new SyncToolSpecification(tool("fail_read", true, false, true), (ex, req) -> {
                    failedReads.incrementAndGet();
                    throw new IllegalStateException("read failed");
                }),
                new SyncToolSpecification(tool("tool_error", true, false, true), (ex, req) ->
                        McpSchema.CallToolResult.builder().addTextContent("the tool reports an error").isError(true)
                                .build()),
                new SyncToolSpecification(tool("destroy", false, true, false), (ex, req) -> {
                    destroyCount.incrementAndGet();
                    started.incrementAndGet();
                    journal("destroy " + req.arguments().getOrDefault("id", "-"));
                    if (Boolean.TRUE.equals(req.arguments().get("block"))) {
                        await();
                    }
                    if (req.arguments().get("holdMs") instanceof Number ms) {
                        awaitAtMost(ms.longValue());
                    }
                    return text("destroyed");
                }),
                // destructive, not idempotent, each run answers differently: "transfer <id> <run token>",
                // the same line goes to the journal before the answer
                new SyncToolSpecification(tool("transfer", false, true, false), (ex, req) -> {
                    destroyCount.incrementAndGet();
                    String line = "transfer " + req.arguments().getOrDefault("id", "-") + " "
                            + java.util.UUID.randomUUID();
                    journal(line);
                    if (Boolean.TRUE.equals(req.arguments().get("block"))) {
                        await();
                    }
                    if (req.arguments().get("holdMs") instanceof Number ms) {
                        awaitAtMost(ms.longValue());
                    }
                    return text(line);
                }),
                new SyncToolSpecification(tool("read", true, false, true), (ex, req) -> {
                    readCount.incrementAndGet();
                    started.incrementAndGet();
                    if (slowReads || Boolean.TRUE.equals(req.arguments().get("block"))) {
                        await();
                    }
                    String name = serverName;
                    return text("read " + readCount.get() + (name == null ? "" : " from " + name));
                }),
                new SyncToolSpecification(tool("stats", true, false, true), (ex, req) ->
                        text("destroy=" + destroyCount.get() + " read=" + readCount.get() + " started="
                                + started.get())),
                new SyncToolSpecification(tool("slowdown", false, false, true), (ex, req) -> {
                    sleepFactor = ((Number) req.arguments().getOrDefault("factor", 1)).doubleValue();
                    return text("sleep factor " + sleepFactor + " started=" + started.get());
                }),
                new SyncToolSpecification(tool("sleep", true, false, true), (ex, req) -> {
                    started.incrementAndGet();
                    long ms = Math.round(((Number) req.arguments().getOrDefault("ms", 1000)).longValue() * sleepFactor);
                    try {
                        release.await(ms, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    String name = serverName;
                    return text(name == null || !Boolean.TRUE.equals(req.arguments().get("sign")) ? "slept"
                            : "slept on " + name);
                }));
    }
}
