package io.qudag.resilience.mcp.internal;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionClosedException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.Outcomes;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import io.qudag.resilience.mcp.McpCallException;
import io.qudag.resilience.mcp.McpOutcomes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Implementation of {@link McpOutcomes#classifier()}. */
public final class McpOutcomeClassifier implements OutcomeClassifier {

    public static final McpOutcomeClassifier INSTANCE = new McpOutcomeClassifier();

    /** The SDK's message when a session ends with requests pending. */
    public static final String SESSION_TERMINATED = "MCP session with server terminated";
    private static final String TS_ERROR_PREFIX = "MCP error ";

    private McpOutcomeClassifier() {
    }

    @Override
    public CallOutcome classify(Object result, Throwable error) {
        if (error == null) {
            if (result instanceof McpSchema.CallToolResult r && Boolean.TRUE.equals(r.isError())) {
                int code = textErrorCode(r);
                return code == 0 ? CallOutcome.TOOL_ERROR : classifyCode(code);
            }
            return CallOutcome.SUCCESS;
        }
        Throwable t = unwrapAll(error);
        if (t instanceof RejectedCallException || t instanceof CancellationException) {
            // A call its caller cancelled (a lost hedge) is neither retried nor counted as a failure.
            return CallOutcome.REJECTED;
        }
        McpCallException typed = Outcomes.findCause(t, McpCallException.class);
        if (typed != null) {
            return typed.outcome();
        }
        McpError mcp = Outcomes.findCause(t, McpError.class);
        if (mcp != null && mcp.getJsonRpcError() != null && mcp.getJsonRpcError().code() != null) {
            return classifyCode(mcp.getJsonRpcError().code());
        }
        if (Outcomes.findCause(t, TimeoutException.class) != null) {
            return CallOutcome.TIMEOUT;
        }
        if (isSessionTerminated(t) || Outcomes.findCause(t, IOException.class) != null
                || Outcomes.findCause(t, UncheckedIOException.class) != null
                || Outcomes.findCause(t, McpTransportException.class) != null
                || Outcomes.findCause(t, McpTransportSessionClosedException.class) != null) {
            return CallOutcome.TRANSPORT_ERROR;
        }
        return Outcomes.defaultClassifier().classify(result, t);
    }

    /** JSON-RPC code to outcome. */
    public static CallOutcome classifyCode(int code) {
        switch (code) {
            case McpSchema.ErrorCodes.INVALID_PARAMS:
            case McpSchema.ErrorCodes.METHOD_NOT_FOUND:
            case McpSchema.ErrorCodes.INVALID_REQUEST:
            case McpSchema.ErrorCodes.PARSE_ERROR:
            case McpSchema.ErrorCodes.RESOURCE_NOT_FOUND:
                return CallOutcome.CLIENT_ERROR;
            case McpOutcomes.CONNECTION_CLOSED:
                return CallOutcome.TRANSPORT_ERROR;
            case McpOutcomes.REQUEST_TIMEOUT:
                return CallOutcome.TIMEOUT;
            default:
                return CallOutcome.SERVER_ERROR;
        }
    }

    /** Whether the cause chain holds the SDK's "session terminated" error or a 404 for the session. */
    public static boolean isSessionTerminated(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 32; depth++) {
            if (t instanceof McpTransportSessionNotFoundException) {
                return true;
            }
            if (t.getClass() == RuntimeException.class && SESSION_TERMINATED.equals(t.getMessage())) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s != t && s.getClass() == RuntimeException.class && SESSION_TERMINATED.equals(s.getMessage())) {
                    return true;
                }
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    /**
     * The code of a TypeScript-style protocol error carried as a tool result ("MCP error -32602: ..."),
     * or 0 when the first text content is not of that form.
     */
    static int textErrorCode(McpSchema.CallToolResult r) {
        List<McpSchema.Content> content = r.content();
        if (content == null || content.isEmpty() || !(content.get(0) instanceof McpSchema.TextContent text)
                || text.text() == null) {
            return 0;
        }
        String s = text.text();
        if (!s.startsWith(TS_ERROR_PREFIX)) {
            return 0;
        }
        int i = TS_ERROR_PREFIX.length();
        int end = i;
        if (end < s.length() && s.charAt(end) == '-') {
            end++;
        }
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == i || (end == i + 1 && s.charAt(i) == '-')) {
            return 0;
        }
        try {
            return Integer.parseInt(s, i, end, 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Removes completion and Reactor wrappers. */
    static Throwable unwrapAll(Throwable error) {
        Throwable t = Outcomes.unwrap(error);
        Throwable u = reactor.core.Exceptions.unwrap(t);
        return u == t ? t : Outcomes.unwrap(u);
    }
}
