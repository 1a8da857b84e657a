package io.qudag.resilience.mcp.server;

import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.bulkhead.IsolationBulkheads;
import io.qudag.resilience.mcp.server.internal.ToolDecorator;
import java.util.ArrayList;
import java.util.List;

/**
 * Decorates the tool handlers of an MCP Java SDK server with a {@code ResiliencePipeline} per
 * isolation class (spec §1.3 "Bulkhead Pattern", §3.1 breakers): bulkhead, time limit and breakers around
 * the handler. A refused or timed-out call becomes a well-formed MCP answer (a tool result with
 * {@code isError=true} and a clear message, or a JSON-RPC error, see {@link RejectionMode}) while the
 * tools of other isolation classes keep serving. Given an
 * {@link ResilientToolsConfig.Builder#idempotencyStore IdempotencyStore} (spec §4.2), a call to a tool
 * that is neither read-only nor idempotent and carries an idempotency key
 * ({@link io.qudag.resilience.mcp.IdempotencyKeys#META_KEY} in the request's {@code _meta}) runs at most
 * once per key, also across server restarts: a repeat gets the recorded result; a
 * {@link #transactional transactional} tool, whose effect is committed with that record, runs exactly
 * once per key. Thread-safe; close it to release the bulkheads.
 */
public final class ResilientTools implements AutoCloseable {

    private final ToolDecorator decorator;

    private ResilientTools(ToolDecorator decorator) {
        this.decorator = decorator;
    }

    /**
     * Creates the decorator and the bulkheads of its isolation classes.
     *
     * @param config the server's settings
     * @return the decorator; close it to release the bulkheads
     */
    public static ResilientTools create(ResilientToolsConfig config) {
        return new ResilientTools(new ToolDecorator(config,
                IsolationBulkheads.of(config.name(), config.bulkheads(), config.meterRegistry())));
    }

    /**
     * Decorates a blocking tool.
     *
     * @param spec the tool and its handler
     * @return the same tool with its handler running through the pipeline of its isolation class
     */
    public SyncToolSpecification decorate(SyncToolSpecification spec) {
        return decorator.decorate(spec);
    }

    /**
     * Decorates an asynchronous tool.
     *
     * @param spec the tool and its handler
     * @return the same tool with its handler running through the pipeline of its isolation class
     */
    public AsyncToolSpecification decorate(AsyncToolSpecification spec) {
        return decorator.decorate(spec);
    }

    /**
     * A transactional tool (spec §4.2, a transactional outbox): {@code handler} returns its answer and
     * its effect as data, and each call commits both in one record of the idempotency store's journal
     * under the call's idempotency key (a key of its own when the request carries none), then applies
     * the effect to the store's {@link io.qudag.resilience.recovery.spi.TransactionalEffects}. A repeat
     * of a committed key gets the recorded answer; a key whose run a crash cut off before the commit
     * had no effect and runs again when repeated, so each key takes effect exactly once, across server
     * restarts. The handler runs through the pipeline of the tool's isolation class like any other.
     *
     * @param tool the tool as listed to clients
     * @param handler computes the answer and the effect of a call without applying the effect
     * @return the tool specification to register with the server
     * @throws IllegalStateException when the config has no idempotency store opened with effects
     */
    public SyncToolSpecification transactional(McpSchema.Tool tool, TransactionalToolHandler handler) {
        return decorator.transactional(tool, handler);
    }

    /**
     * Decorates every tool of a list with {@link #decorate(SyncToolSpecification)}.
     *
     * @param specs the tools and their handlers
     * @return the decorated tools, in the same order
     */
    public List<SyncToolSpecification> decorateAll(List<SyncToolSpecification> specs) {
        List<SyncToolSpecification> out = new ArrayList<>(specs.size());
        for (SyncToolSpecification s : specs) {
            out.add(decorate(s));
        }
        return out;
    }

    /**
     * Tells a refusal by the decorator ({@link RejectionMode#TOOL_ERROR_RESULT} mode) from other results.
     *
     * @param result a tool result, or {@code null}
     * @return whether {@code result} is a refusal (its {@code _meta} names what rejected it)
     */
    public static boolean isRejection(McpSchema.CallToolResult result) {
        return result != null && Boolean.TRUE.equals(result.isError()) && result.meta() != null
                && result.meta().containsKey(ToolDecorator.META_REJECTED_BY);
    }

    @Override
    public void close() {
        decorator.close();
    }
}
