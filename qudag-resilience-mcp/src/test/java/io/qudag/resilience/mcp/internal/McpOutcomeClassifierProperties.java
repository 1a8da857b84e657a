package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.mcp.McpOutcomes;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class McpOutcomeClassifierProperties {

    /** A Java server's McpError and a TypeScript server's "MCP error N" result classify the same. */
    @Property(tries = 300)
    void javaAndTypeScriptShapesOfOneErrorClassifyTheSame(@ForAll @IntRange(min = -33000, max = -31000) int code,
            @ForAll("messages") String message) {
        CallOutcome java = McpOutcomes.classifier().classify(null,
                new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null)));
        CallOutcome ts = McpOutcomes.classifier().classify(new McpSchema.CallToolResult(
                List.of(McpSchema.TextContent.builder("MCP error " + code + ": " + message).build()),
                true, null, null), null);
        assertThat(ts).isEqualTo(java);
        assertThat(java).isNotIn(CallOutcome.SUCCESS, CallOutcome.TOOL_ERROR, CallOutcome.REJECTED);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> messages() {
        return net.jqwik.api.Arbitraries.strings().ofMaxLength(40);
    }
}
