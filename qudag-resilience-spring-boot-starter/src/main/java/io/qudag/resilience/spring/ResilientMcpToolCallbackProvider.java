package io.qudag.resilience.spring;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.spring.internal.ResilientToolCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.mcp.McpConnectionInfo;
import org.springframework.ai.mcp.McpToolFilter;
import org.springframework.ai.mcp.SyncMcpToolCallback;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.tool.ToolCallback;

/**
 * Replaces Spring AI's {@code mcpToolCallbacks} provider (spec §1.1 failover across endpoint groups): each
 * tool is exposed once per group of connections, under its own name (no {@code alt_N_} copies), and every
 * call goes through the group's resilient client. A tool name offered by two groups is exposed as
 * {@code <group>_<tool>}. Tool lists are discovered through Spring AI's own MCP clients (so their
 * customizers apply); a connection whose server is down is skipped with one log line and asked again on
 * a later {@link #getToolCallbacks()} call, at most once per retry interval. Connections the starter
 * does not route (Spring AI's SSE and stdio connections) keep Spring AI's own callbacks.
 */
public class ResilientMcpToolCallbackProvider extends SyncMcpToolCallbackProvider {

    private static final Logger log = LoggerFactory.getLogger(ResilientMcpToolCallbackProvider.class);

    private final McpClientGroups groups;
    private final Map<String, McpSyncClient> discovery;
    private final McpToolFilter toolFilter;
    private final ToolContextToMcpMetaConverter metaConverter;
    private final long retryNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<McpSchema.Tool>> listed = new ConcurrentHashMap<>();
    private volatile boolean invalid = true;
    private volatile long lastAttempt;
    private volatile List<ToolCallback> callbacks = List.of();

    /**
     * @param groups        the groups and their resilient clients
     * @param springClients Spring AI's MCP clients, used to list tools (matched to connections by their
     *                      client-info title, which Spring AI sets to the connection name)
     * @param toolFilter    Spring AI's tool filter
     * @param metaConverter Spring AI's tool-context to {@code _meta} converter
     * @param retryInterval how often a connection whose tool list failed is asked again
     * @param nanoTime      the ticker for that interval
     */
    @SuppressWarnings("deprecation")
    public ResilientMcpToolCallbackProvider(McpClientGroups groups, List<McpSyncClient> springClients,
            McpToolFilter toolFilter, ToolContextToMcpMetaConverter metaConverter, Duration retryInterval,
            LongSupplier nanoTime) {
        super(List.of());
        this.groups = groups;
        this.discovery = new HashMap<>();
        for (McpSyncClient c : springClients) {
            String title = c.getClientInfo().title();
            if (title != null) {
                discovery.put(title, c);
            }
        }
        this.toolFilter = toolFilter;
        this.metaConverter = metaConverter;
        this.retryNanos = retryInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public ToolCallback[] getToolCallbacks() {
        if (invalid || (missing() && nanoTime.getAsLong() - lastAttempt >= retryNanos)) {
            lock.lock();
            try {
                if (invalid || (missing() && nanoTime.getAsLong() - lastAttempt >= retryNanos)) {
                    if (invalid) {
                        listed.clear();
                        invalid = false;
                    }
                    lastAttempt = nanoTime.getAsLong();
                    callbacks = build();
                }
            } finally {
                lock.unlock();
            }
        }
        return callbacks.toArray(new ToolCallback[0]);
    }

    private boolean missing() {
        for (McpClientGroups.Group g : groups.groups().values()) {
            for (String c : g.connections()) {
                if (!listed.containsKey(c)) {
                    return true;
                }
            }
        }
        for (String c : discovery.keySet()) {
            if (!listed.containsKey(c)) {
                return true;
            }
        }
        return false;
    }

    private List<ToolCallback> build() {
        Map<String, Map<String, McpSchema.Tool>> perGroup = new LinkedHashMap<>();
        Map<String, Integer> groupsPerName = new HashMap<>();
        for (McpClientGroups.Group g : groups.groups().values()) {
            Map<String, McpSchema.Tool> tools = new LinkedHashMap<>();
            for (String c : g.connections()) {
                for (McpSchema.Tool t : tools(c)) {
                    tools.putIfAbsent(t.name(), t);
                }
            }
            tools.keySet().forEach(n -> groupsPerName.merge(n, 1, Integer::sum));
            perGroup.put(g.name(), tools);
        }
        // Spring AI connections the starter does not route (SSE, stdio): their tools as Spring AI serves them
        Map<String, List<McpSchema.Tool>> passThrough = new LinkedHashMap<>();
        for (String connection : discovery.keySet()) {
            if (groups.groupOf(connection) == null) {
                List<McpSchema.Tool> tools = tools(connection);
                tools.forEach(t -> groupsPerName.merge(t.name(), 1, Integer::sum));
                passThrough.put(connection, tools);
            }
        }
        List<ToolCallback> out = new ArrayList<>();
        passThrough.forEach((connection, tools) -> {
            for (McpSchema.Tool t : tools) {
                String exposed = groupsPerName.get(t.name()) > 1 ? connection + "_" + t.name() : t.name();
                out.add(SyncMcpToolCallback.builder().mcpClient(discovery.get(connection)).tool(t)
                        .prefixedToolName(exposed).toolContextToMcpMetaConverter(metaConverter).build());
            }
        });
        for (Map.Entry<String, Map<String, McpSchema.Tool>> e : perGroup.entrySet()) {
            McpClientGroups.Group g = groups.groups().get(e.getKey());
            for (McpSchema.Tool t : e.getValue().values()) {
                String exposed = groupsPerName.get(t.name()) > 1 ? g.name() + "_" + t.name() : t.name();
                out.add(new ResilientToolCallback(g, t, exposed, metaConverter));
            }
        }
        return List.copyOf(out);
    }

    private List<McpSchema.Tool> tools(String connection) {
        List<McpSchema.Tool> known = listed.get(connection);
        if (known != null) {
            return known;
        }
        McpSyncClient client = discovery.get(connection);
        if (client == null) {
            log.warn("MCP connection {}: no Spring AI client to list its tools", connection);
            return List.of();
        }
        try {
            McpConnectionInfo info = McpConnectionInfo.builder().clientCapabilities(client.getClientCapabilities())
                    .clientInfo(client.getClientInfo()).initializeResult(client.getCurrentInitializationResult())
                    .build();
            List<McpSchema.Tool> tools = client.listTools().tools().stream()
                    .filter(t -> toolFilter.test(info, t)).toList();
            listed.put(connection, tools);
            return tools;
        } catch (RuntimeException e) {
            log.warn("MCP connection {}: cannot list its tools now ({}); asking again later", connection,
                    e.toString());
            return List.of();
        }
    }

    @Override
    public void invalidateCache() {
        invalid = true;
    }

    /** {@return the groups behind the callbacks} */
    public McpClientGroups getGroups() {
        return groups;
    }
}
