package io.qudag.resilience.mcp.internal;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;

/** MCP tool annotations to {@link ToolHints}, with the spec's defaults for absent hints. */
public final class ToolHintsMapping {

    private ToolHintsMapping() {
    }

    /**
     * readOnlyHint default false, destructiveHint default true, idempotentHint default false,
     * openWorldHint default true; no annotations at all gives {@link ToolHints#UNTRUSTED}.
     */
    public static ToolHints of(McpSchema.ToolAnnotations a) {
        if (a == null) {
            return ToolHints.UNTRUSTED;
        }
        return new ToolHints(Boolean.TRUE.equals(a.readOnlyHint()), !Boolean.FALSE.equals(a.destructiveHint()),
                Boolean.TRUE.equals(a.idempotentHint()), !Boolean.FALSE.equals(a.openWorldHint()));
    }
}
