package io.qudag.resilience.mcp.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.plan.ContinuityPolicy;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.mcp.server.internal.ToolDecorator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Business continuity on the server (spec §4.3): server tools that ask a {@link ContinuityPolicy}
 * before they run. In a reduced mode a tool the mode does not serve answers at once with a
 * well-formed tool error ({@code isError: true}, the policy's "temporarily unavailable" text, and
 * {@code _meta} keys {@code io.qudag.resilience/rejectedBy = "continuity"}, {@code reason =
 * "unavailable"}, {@code io.qudag.resilience/mode}); the tools it serves run unchanged. The check
 * reads the policy's current mode on every call, so a mode set by the disaster-recovery plan or an
 * operator takes effect on the next call. Apply it outside {@link ResilientTools} so a refused tool
 * takes no bulkhead permit.
 */
public final class ContinuityTools {

    /** The {@code _meta} key carrying the operating mode a refused call met. */
    public static final String META_MODE = "io.qudag.resilience/mode";

    private static final Logger log = LoggerFactory.getLogger(ContinuityTools.class);

    private final ContinuityPolicy policy;
    private final MeterRegistry registry;
    private final String serverName;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    private ContinuityTools(String serverName, ContinuityPolicy policy, MeterRegistry registry) {
        this.serverName = serverName;
        this.policy = policy;
        this.registry = registry;
    }

    /**
     * Creates the continuity decorator of one server's tools.
     *
     * @param serverName the {@code server} tag of the refusal meter
     * @param policy     which tools the current mode serves
     * @param registry   where {@code qudag.resilience.mcp.server.refusals{reason=unavailable}} is counted, or null
     * @return the decorator
     * @throws IllegalArgumentException when {@code serverName} is blank or {@code policy} is {@code null}
     */
    public static ContinuityTools of(String serverName, ContinuityPolicy policy, MeterRegistry registry) {
        if (serverName == null || serverName.isBlank()) {
            throw new IllegalArgumentException("serverName must not be blank, was " + (serverName == null ? "null" : "\"" + serverName + "\""));
        }
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null, was null");
        }
        return new ContinuityTools(serverName, policy, registry);
    }

    /**
     * Decorates a blocking tool with the continuity check.
     *
     * @param spec the tool and its handler
     * @return the same tool, refused with a tool error while the current mode does not serve it
     */
    public SyncToolSpecification decorate(SyncToolSpecification spec) {
        Objects.requireNonNull(spec, "spec");
        String name = spec.tool().name();
        return new SyncToolSpecification(spec.tool(), (exchange, request) ->
                policy.isServed(name) ? spec.callHandler().apply(exchange, request) : unavailable(name));
    }

    /**
     * Decorates an asynchronous tool with the continuity check.
     *
     * @param spec the tool and its handler
     * @return the same tool, refused with a tool error while the current mode does not serve it
     */
    public AsyncToolSpecification decorate(AsyncToolSpecification spec) {
        Objects.requireNonNull(spec, "spec");
        String name = spec.tool().name();
        return new AsyncToolSpecification(spec.tool(), (exchange, request) ->
                policy.isServed(name) ? spec.callHandler().apply(exchange, request) : Mono.fromCallable(() -> unavailable(name)));
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
     * Tells a refusal by the continuity mode from other results.
     *
     * @param result a tool result, or {@code null}
     * @return whether {@code result} is a refusal by the continuity mode
     */
    public static boolean isUnavailable(McpSchema.CallToolResult result) {
        return result != null && Boolean.TRUE.equals(result.isError()) && result.meta() != null
                && "continuity".equals(result.meta().get(ToolDecorator.META_REJECTED_BY));
    }

    private McpSchema.CallToolResult unavailable(String tool) {
        OperatingMode mode = policy.mode();
        log.debug("tool {} refused: not served in {} mode", tool, mode);
        if (registry != null) {
            refusals.computeIfAbsent(tool, t -> Counter.builder("qudag.resilience.mcp.server.refusals")
                    .tag("server", serverName).tag("tool", t).tag("reason", "unavailable")
                    .description("decorated tool calls answered with a refusal").register(registry)).increment();
        }
        return unavailableResult(policy, tool);
    }

    /**
     * The tool error a tool not served in {@code policy}'s current mode is answered with — by a decorated
     * server, and by a client that checks the mode before sending.
     *
     * @param policy the continuity policy, whose current mode and message are used
     * @param tool the refused tool's name
     * @return the refusal: {@code isError}, the policy's message, and {@code _meta} naming the mode
     */
    public static McpSchema.CallToolResult unavailableResult(ContinuityPolicy policy, String tool) {
        return McpSchema.CallToolResult.builder().addTextContent(policy.unavailableMessage(tool)).isError(true)
                .meta(Map.of(ToolDecorator.META_REJECTED_BY, "continuity", "reason", "unavailable", META_MODE,
                        policy.mode().name()))
                .build();
    }
}
