package io.qudag.resilience.spring.internal;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.spring.McpClientGroups;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.McpToolUtils;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.util.JsonHelper;

/**
 * One MCP tool of a group as a Spring AI {@link ToolCallback}: each call goes through the group's
 * resilient client (deadline, liveness, failover to the next connection for tools safe to repeat).
 * Answers like Spring AI's own MCP callback (content as JSON, an {@code isError} result or a failure as a
 * {@link ToolExecutionException}), but a failure logs one line, not a stack trace.
 */
public final class ResilientToolCallback implements ToolCallback {

    private static final Logger log = LoggerFactory.getLogger(ResilientToolCallback.class);
    private static final JsonHelper JSON = new JsonHelper();

    private final McpClientGroups.Group groupRef;
    private final String group;
    private final List<String> connections;
    private final ResilientMcpAsyncClient client;
    private final McpSchema.Tool tool;
    private final ToolDefinition definition;
    private final ToolContextToMcpMetaConverter metaConverter;

    public ResilientToolCallback(McpClientGroups.Group group, McpSchema.Tool tool, String exposedName,
            ToolContextToMcpMetaConverter metaConverter) {
        this.groupRef = group;
        this.group = group.name();
        this.connections = group.connections();
        this.client = group.client();
        this.tool = tool;
        this.definition = McpToolUtils.createToolDefinition(exposedName, tool);
        this.metaConverter = metaConverter;
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    /** The tool's name on the MCP servers. */
    public String getOriginalToolName() {
        return tool.name();
    }

    /** The group whose client serves this tool. */
    public String getGroup() {
        return group;
    }

    @Override
    public String call(String toolInput) {
        return call(toolInput, null);
    }

    @Override
    public String call(String toolInput, @Nullable ToolContext toolContext) {
        String input = toolInput == null || toolInput.isBlank() ? "{}" : toolInput;
        Map<String, Object> arguments = JSON.fromJsonToMap(input);
        Map<String, Object> meta = toolContext != null ? metaConverter.convert(toolContext) : null;
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder(tool.name()).arguments(arguments)
                .meta(meta).build();
        if (!groupRef.anySession()) {
            // fail fast: no connection of the group has a session, so the call would only wait for its deadline
            String states = groupRef.describe();
            log.warn("MCP tool {} of group {} refused: no connection has a session ({})", tool.name(), group, states);
            throw new ToolExecutionException(definition, new IllegalStateException("MCP tool '" + tool.name()
                    + "' of group '" + group + "' is unavailable: no connection has a session (" + states + ")"));
        }
        McpSchema.CallToolResult result;
        try {
            result = client.callTool(request).join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = unwrap(e);
            log.warn("MCP tool {} of group {} {} failed: {}", tool.name(), group, connections, cause.toString());
            if (cause instanceof McpError mcp) {
                throw mcp;
            }
            throw new ToolExecutionException(definition, new IllegalStateException("MCP tool '" + tool.name()
                    + "' of group '" + group + "' (connections " + connections + ") failed: " + cause.getMessage(),
                    cause));
        }
        if (Boolean.TRUE.equals(result.isError())) {
            log.warn("MCP tool {} of group {} answered an error result", tool.name(), group);
            throw new ToolExecutionException(definition,
                    new IllegalStateException("Error calling tool: " + result.content()));
        }
        return JSON.toJson(result.content());
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        return "ResilientToolCallback{" + definition.name() + " -> " + group + connections + '}';
    }
}
