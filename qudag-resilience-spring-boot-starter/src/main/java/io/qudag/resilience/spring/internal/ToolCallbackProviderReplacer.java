package io.qudag.resilience.spring.internal;

import io.modelcontextprotocol.client.McpSyncClient;
import io.qudag.resilience.spring.McpClientGroups;
import io.qudag.resilience.spring.ResilientMcpToolCallbackProvider;
import java.time.Duration;
import java.util.List;
import org.springframework.ai.mcp.McpToolFilter;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Swaps Spring AI's {@code mcpToolCallbacks} bean (which has no {@code @ConditionalOnMissingBean}) for a
 * {@link ResilientMcpToolCallbackProvider}, which Spring AI still treats as its MCP tool provider.
 */
public final class ToolCallbackProviderReplacer implements BeanPostProcessor {

    /** Spring AI's bean name. */
    public static final String BEAN_NAME = "mcpToolCallbacks";

    private final ObjectProvider<McpClientGroups> groups;
    private final ObjectProvider<List<McpSyncClient>> clients;
    private final ObjectProvider<McpToolFilter> filter;
    private final ObjectProvider<ToolContextToMcpMetaConverter> converter;

    public ToolCallbackProviderReplacer(ObjectProvider<McpClientGroups> groups,
            ObjectProvider<List<McpSyncClient>> clients, ObjectProvider<McpToolFilter> filter,
            ObjectProvider<ToolContextToMcpMetaConverter> converter) {
        this.groups = groups;
        this.clients = clients;
        this.filter = filter;
        this.converter = converter;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!BEAN_NAME.equals(beanName) || !(bean instanceof SyncMcpToolCallbackProvider)
                || bean instanceof ResilientMcpToolCallbackProvider) {
            return bean;
        }
        McpClientGroups g = groups.getIfAvailable();
        if (g == null) {
            return bean;
        }
        List<McpSyncClient> spring = clients.getIfAvailable(List::of);
        return new ResilientMcpToolCallbackProvider(g, spring, filter.getIfAvailable(() -> (info, tool) -> true),
                converter.getIfAvailable(ToolContextToMcpMetaConverter::defaultConverter), Duration.ofSeconds(1),
                System::nanoTime);
    }
}
