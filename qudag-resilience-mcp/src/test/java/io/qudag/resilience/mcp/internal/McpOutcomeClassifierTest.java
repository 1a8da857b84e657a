package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.SessionRestartedException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

class McpOutcomeClassifierTest {

    private final OutcomeClassifier c = McpOutcomes.classifier();

    private static McpSchema.CallToolResult result(Boolean isError, String text) {
        return new McpSchema.CallToolResult(java.util.List.of(McpSchema.TextContent.builder(text).build()),
                isError, null, null);
    }

    private static McpError mcpError(int code) {
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(code, "m", null));
    }

    @Test
    void results_isErrorNullMeansSuccess_trueIsToolError() {
        assertThat(c.classify(result(null, "ok"), null)).isEqualTo(CallOutcome.SUCCESS);
        assertThat(c.classify(result(false, "ok"), null)).isEqualTo(CallOutcome.SUCCESS);
        assertThat(c.classify(result(true, "the file was not found"), null)).isEqualTo(CallOutcome.TOOL_ERROR);
        assertThat(c.classify(null, null)).isEqualTo(CallOutcome.SUCCESS);
    }

    @Test
    void typeScriptTextFormOfProtocolErrors_classifiesByItsCode() {
        assertThat(c.classify(result(true, "MCP error -32602: Tool nope not found"), null))
                .isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(c.classify(result(true, "MCP error -32603: internal"), null)).isEqualTo(CallOutcome.SERVER_ERROR);
        assertThat(c.classify(result(true, "MCP error: no code"), null)).isEqualTo(CallOutcome.TOOL_ERROR);
        assertThat(c.classify(result(true, "MCP error -"), null)).isEqualTo(CallOutcome.TOOL_ERROR);
        // only a real error result counts: the same text in a successful result is just text
        assertThat(c.classify(result(false, "MCP error -32602"), null)).isEqualTo(CallOutcome.SUCCESS);
    }

    @Test
    void mcpErrorCodes() {
        assertThat(c.classify(null, mcpError(-32603))).isEqualTo(CallOutcome.SERVER_ERROR);
        assertThat(c.classify(null, mcpError(-32602))).isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(c.classify(null, mcpError(-32601))).isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(c.classify(null, mcpError(McpOutcomes.CONNECTION_CLOSED))).isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, mcpError(McpOutcomes.REQUEST_TIMEOUT))).isEqualTo(CallOutcome.TIMEOUT);
        assertThat(c.classify(null, new CompletionException(mcpError(-32603)))).isEqualTo(CallOutcome.SERVER_ERROR);
    }

    @Test
    void transportAndTimeouts_evenWhenWrappedByReactor() {
        assertThat(c.classify(null, Exceptions.propagate(new ConnectException("refused"))))
                .isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, new RuntimeException(new ConnectException()))).isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, Exceptions.propagate(new TimeoutException()))).isEqualTo(CallOutcome.TIMEOUT);
        assertThat(c.classify(null, new RuntimeException("MCP session with server terminated")))
                .isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, new McpTransportSessionNotFoundException("gone")))
                .isEqualTo(CallOutcome.TRANSPORT_ERROR);
    }

    @Test
    void typedExceptionsOfThisLibrary() {
        assertThat(c.classify(null, new SessionRestartedException("e", "t", null))).isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, new McpConnectionLostException("e", "x", null)))
                .isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, new McpDeadlineExceededException("e", "t", Duration.ofSeconds(1))))
                .isEqualTo(CallOutcome.TIMEOUT);
        assertThat(c.classify(null, new RejectedCallException("b", "full"))).isEqualTo(CallOutcome.REJECTED);
        assertThat(c.classify(null, new java.util.concurrent.CancellationException("hedge lost")))
                .isEqualTo(CallOutcome.REJECTED);
        assertThat(c.classify(null, new IllegalStateException("bug"))).isEqualTo(CallOutcome.SERVER_ERROR);
    }

    @Test
    void sessionTerminatedIsRecognisedOnlyInTheSdkShape() {
        assertThat(McpOutcomes.isSessionTerminated(new RuntimeException("MCP session with server terminated"))).isTrue();
        assertThat(McpOutcomes.isSessionTerminated(new IllegalStateException("MCP session with server terminated")))
                .isFalse();
        assertThat(McpOutcomes.isSessionTerminated(new RuntimeException("other"))).isFalse();
    }

    @Test
    void toolAnnotationsMapWithSpecDefaults() {
        assertThat(ToolHintsMapping.of(null)).isEqualTo(ToolHints.UNTRUSTED);
        assertThat(ToolHintsMapping.of(new McpSchema.ToolAnnotations(null, null, null, null, null, null)))
                .isEqualTo(ToolHints.UNTRUSTED);
        assertThat(ToolHintsMapping.of(new McpSchema.ToolAnnotations(null, true, false, true, false, null)))
                .isEqualTo(new ToolHints(true, false, true, false));
        assertThat(ToolHintsMapping.of(new McpSchema.ToolAnnotations(null, false, null, true, null, null)).safeToRepeat())
                .isTrue();
    }
}
