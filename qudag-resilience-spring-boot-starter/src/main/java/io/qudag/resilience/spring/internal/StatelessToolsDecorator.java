package io.qudag.resilience.spring.internal;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.server.ResilientTools;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Decorates stateless MCP tool specifications (spec §1.3 bulkheads, time limits) with the library's
 * {@link ResilientTools}, which decorates session-bound ones: the stateless handler runs inside a
 * session-bound specification whose exchange is {@code null}, and the call's transport context travels
 * beside its request object (the decorator hands the same request instance to the handler).
 */
final class StatelessToolsDecorator {

    private StatelessToolsDecorator() {
    }

    static McpStatelessServerFeatures.SyncToolSpecification decorate(ResilientTools tools,
            McpStatelessServerFeatures.SyncToolSpecification spec) {
        Map<McpSchema.CallToolRequest, McpTransportContext> contexts = Collections.synchronizedMap(new IdentityHashMap<>());
        McpServerFeatures.SyncToolSpecification decorated = tools.decorate(new McpServerFeatures.SyncToolSpecification(
                spec.tool(), (exchange, request) -> spec.callHandler().apply(contexts.get(request), request)));
        return new McpStatelessServerFeatures.SyncToolSpecification(spec.tool(), (context, request) -> {
            contexts.put(request, context);
            try {
                return decorated.callHandler().apply(null, request);
            } finally {
                contexts.remove(request);
            }
        });
    }

    static McpStatelessServerFeatures.AsyncToolSpecification decorate(ResilientTools tools,
            McpStatelessServerFeatures.AsyncToolSpecification spec) {
        Map<McpSchema.CallToolRequest, McpTransportContext> contexts = Collections.synchronizedMap(new IdentityHashMap<>());
        McpServerFeatures.AsyncToolSpecification decorated = tools.decorate(new McpServerFeatures.AsyncToolSpecification(
                spec.tool(), (exchange, request) -> spec.callHandler().apply(contexts.get(request), request)));
        return new McpStatelessServerFeatures.AsyncToolSpecification(spec.tool(), (context, request) ->
                reactor.core.publisher.Mono.defer(() -> {
                    contexts.put(request, context);
                    return decorated.callHandler().apply(null, request);
                }).doFinally(s -> contexts.remove(request)));
    }
}
