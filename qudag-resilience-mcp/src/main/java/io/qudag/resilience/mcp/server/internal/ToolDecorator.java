package io.qudag.resilience.mcp.server.internal;

import io.micrometer.core.instrument.Counter;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.bulkhead.IsolationBulkheads;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.core.pipeline.CallTimeoutException;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.ResiliencePipelineBuilder;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.internal.ToolHintsMapping;
import io.qudag.resilience.mcp.server.RejectionMode;
import io.qudag.resilience.mcp.server.ResilientToolsConfig;
import io.qudag.resilience.mcp.server.TransactionalToolHandler;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Implementation of {@code ResilientTools}: one pipeline per isolation class, answers for refusals. */
public final class ToolDecorator implements AutoCloseable {

    /** Key in a refusal result's {@code _meta} naming the part that refused. */
    public static final String META_REJECTED_BY = "io.qudag.resilience/rejectedBy";

    private static final Logger log = LoggerFactory.getLogger(ToolDecorator.class);

    private final ResilientToolsConfig config;
    private final IsolationBulkheads bulkheads;
    private final Map<IsolationClass, ResiliencePipeline<McpSchema.CallToolResult>> pipelines =
            new EnumMap<>(IsolationClass.class);
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> refusals =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final IdempotentCalls idempotentCalls;

    public ToolDecorator(ResilientToolsConfig config, IsolationBulkheads bulkheads) {
        this.config = config;
        this.bulkheads = bulkheads;
        this.idempotentCalls = config.idempotencyStore() == null ? null
                : new IdempotentCalls(config.idempotencyStore(), config.inProgressWait(), config.name(),
                        config.meterRegistry());
        for (IsolationClass c : IsolationClass.values()) {
            ResiliencePipelineBuilder<McpSchema.CallToolResult> b = ResiliencePipeline
                    .<McpSchema.CallToolResult>builder(config.name() + "-" + c.name().toLowerCase(java.util.Locale.ROOT))
                    .bulkhead(bulkheads.bulkhead(c))
                    .outcomeClassifier(McpOutcomes.classifier())
                    .clock(config.clock())
                    .meterRegistry(config.meterRegistry());
            config.breakers().forEach(b::breaker);
            if (config.timeLimit(c) != null) {
                b.timeLimit(config.timeLimit(c));
            }
            if (config.executor() != null) {
                b.executor(config.executor());
            }
            pipelines.put(c, b.build());
        }
    }

    private static ToolCall toolCall(McpSchema.Tool tool, McpSchema.CallToolRequest request) {
        return ToolCall.builder(tool.name()).arguments(request.arguments()).hints(ToolHintsMapping.of(tool.annotations()))
                .build();
    }

    /** The idempotency key of a call that must run at most once, or {@code null}. */
    private String atMostOnceKey(McpSchema.Tool tool, McpSchema.CallToolRequest request) {
        if (idempotentCalls == null || ToolHintsMapping.of(tool.annotations()).safeToRepeat()) {
            return null;
        }
        return IdempotencyKeys.keyOf(request);
    }

    public SyncToolSpecification decorate(SyncToolSpecification spec) {
        McpSchema.Tool tool = spec.tool();
        ResiliencePipeline<McpSchema.CallToolResult> pipeline = pipelines.get(config.isolationClassOf(tool.name()));
        return new SyncToolSpecification(tool, (exchange, request) -> {
            String key = atMostOnceKey(tool, request);
            try {
                return pipeline.executeToolCall(toolCall(tool, request), c -> key == null
                        ? spec.callHandler().apply(exchange, request)
                        : idempotentCalls.call(key, request, () -> spec.callHandler().apply(exchange, request)));
            } catch (RejectedCallException | CallTimeoutException e) {
                return refusal(tool.name(), e);
            }
        });
    }

    /** A tool whose effect is committed with its idempotency record; see {@code ResilientTools#transactional}. */
    public SyncToolSpecification transactional(McpSchema.Tool tool, TransactionalToolHandler handler) {
        if (tool == null || handler == null) {
            throw new IllegalArgumentException("tool and handler must not be null, were " + tool + " and " + handler);
        }
        if (idempotentCalls == null || !config.idempotencyStore().transactional()) {
            throw new IllegalStateException("transactional tool '" + tool.name() + "' needs an idempotencyStore opened "
                    + "with TransactionalEffects (IdempotencyStore.open(journal, effects)) in ResilientToolsConfig '"
                    + config.name() + "', " + (idempotentCalls == null ? "there is none" : "this one has no effects"));
        }
        ResiliencePipeline<McpSchema.CallToolResult> pipeline = pipelines.get(config.isolationClassOf(tool.name()));
        return new SyncToolSpecification(tool, (exchange, request) -> {
            String given = IdempotencyKeys.keyOf(request);
            // without a key the call still commits its effect through the journal, under a key of its own
            String key = given != null ? given : "auto-" + UUID.randomUUID();
            try {
                return pipeline.executeToolCall(toolCall(tool, request),
                        c -> idempotentCalls.callTransactional(key, request, () -> handler.call(exchange, request)));
            } catch (RejectedCallException | CallTimeoutException e) {
                return refusal(tool.name(), e);
            }
        });
    }

    public AsyncToolSpecification decorate(AsyncToolSpecification spec) {
        McpSchema.Tool tool = spec.tool();
        ResiliencePipeline<McpSchema.CallToolResult> pipeline = pipelines.get(config.isolationClassOf(tool.name()));
        return new AsyncToolSpecification(tool, (exchange, request) -> Mono.defer(() -> {
                    String key = atMostOnceKey(tool, request);
                    return Mono.fromCompletionStage(pipeline.executeToolCallAsync(toolCall(tool, request), c -> key == null
                            ? spec.callHandler().apply(exchange, request).toFuture()
                            // the intent is made durable before the handler runs: off the event loop
                            : Mono.fromCallable(() -> idempotentCalls.call(key, request,
                                    () -> spec.callHandler().apply(exchange, request).block()))
                                    .subscribeOn(Schedulers.boundedElastic()).toFuture()));
                })
                .onErrorResume(e -> e instanceof RejectedCallException || e instanceof CallTimeoutException,
                        e -> Mono.fromCallable(() -> refusal(tool.name(), (RuntimeException) e))));
    }

    /** A refusal as a tool result, or thrown as a JSON-RPC error. */
    private McpSchema.CallToolResult refusal(String tool, RuntimeException e) {
        String by = e instanceof RejectedCallException r ? r.rejectedBy() : "time limit";
        String reason = e instanceof RejectedCallException ? "rejected" : "timed out";
        String message = "Tool '" + tool + "' " + reason + " by the server's resilience layer (" + by + "): "
                + e.getMessage() + ". Other tools are unaffected; retry later.";
        log.info("tool {} {} by {}", tool, reason, by);
        if (config.meterRegistry() != null) {
            refusals.computeIfAbsent(tool + '\u0000' + reason, k -> Counter.builder("qudag.resilience.mcp.server.refusals")
                    .tag("server", config.name()).tag("tool", tool).tag("reason", reason)
                    .description("decorated tool calls answered with a refusal").register(config.meterRegistry()))
                    .increment();
        }
        if (config.rejectionMode() == RejectionMode.JSON_RPC_ERROR) {
            throw McpError.builder(config.rejectionErrorCode()).message(message)
                    .data(Map.of(META_REJECTED_BY, by, "reason", reason)).build();
        }
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true)
                .meta(Map.of(META_REJECTED_BY, by, "reason", reason)).build();
    }

    @Override
    public void close() {
        pipelines.values().forEach(ResiliencePipeline::close);
        bulkheads.close();
    }
}
