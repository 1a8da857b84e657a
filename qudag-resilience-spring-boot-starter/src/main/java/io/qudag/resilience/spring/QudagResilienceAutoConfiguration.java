package io.qudag.resilience.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.client.McpSyncClient;
import io.qudag.resilience.spring.internal.ResilientToolsPostProcessor;
import io.qudag.resilience.spring.internal.ToolCallbackProviderReplacer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.mcp.McpToolFilter;
import org.springframework.ai.mcp.annotation.spring.ClientMcpSyncHandlersRegistry;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpClientCommonProperties;
import org.springframework.ai.mcp.client.common.autoconfigure.properties.McpStreamableHttpClientProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the starter: binds and validates {@link QudagResilienceProperties}, decorates the
 * application's MCP server tools with the library's {@code ResilientTools} (spec §1.3 bulkheads, §3.1
 * breakers) and routes Spring AI's MCP client tool callbacks through the library's resilient client
 * (spec §1.1 failover across endpoint groups), with Actuator health per connection and group (spec §2.1).
 */
@AutoConfiguration(afterName = {
        "org.springframework.ai.mcp.client.common.autoconfigure.McpClientAutoConfiguration",
        "org.springframework.ai.mcp.client.httpclient.autoconfigure.StreamableHttpHttpClientTransportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@EnableConfigurationProperties(QudagResilienceProperties.class)
@ConditionalOnBooleanProperty(name = QudagResilienceProperties.PREFIX + ".enabled", matchIfMissing = true)
public class QudagResilienceAutoConfiguration {

    /** Decorates every server tool list bean. */
    @Bean
    static ResilientToolsPostProcessor qudagResilientToolsPostProcessor(
            ObjectProvider<QudagResilienceProperties> properties, ObjectProvider<MeterRegistry> registry) {
        return new ResilientToolsPostProcessor(properties, registry);
    }

    /** The client side: one resilient client per group of Spring AI streamable-HTTP connections. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({SyncMcpToolCallbackProvider.class, McpStreamableHttpClientProperties.class})
    @ConditionalOnBooleanProperty(name = QudagResilienceProperties.PREFIX + ".client.enabled", matchIfMissing = true)
    static class ClientConfiguration {

        @Bean(destroyMethod = "close")
        McpClientGroups qudagMcpClientGroups(QudagResilienceProperties properties,
                ObjectProvider<McpStreamableHttpClientProperties> http, ObjectProvider<McpClientCommonProperties> common,
                ObjectProvider<MeterRegistry> registry, ObjectProvider<ClientMcpSyncHandlersRegistry> handlers,
                ObjectProvider<CircuitBreakerRegistry> breakers,
                ObjectProvider<io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer> requestCustomizers) {
            Map<String, String> urls = new LinkedHashMap<>();
            McpStreamableHttpClientProperties h = http.getIfAvailable();
            if (h != null) {
                h.getConnections().forEach((name, c) -> urls.put(name, url(c.url(), c.endpoint())));
            }
            McpClientCommonProperties cp = common.getIfAvailable();
            String name = cp != null && cp.getName() != null ? cp.getName() : "qudag-resilience-spring";
            String version = cp != null && cp.getVersion() != null ? cp.getVersion() : "1.0.0";
            // progress of calls made through the groups reaches the application's @McpProgress handlers
            ClientMcpSyncHandlersRegistry h2 = handlers.getIfAvailable();
            // a connection with a Resilience4j breaker instance of its name (resilience4j.circuitbreaker.instances.<name>
            // with resilience4j-spring-boot4) is counted by that breaker
            CircuitBreakerRegistry r4j = breakers.getIfAvailable();
            return McpClientGroups.start(properties.getClient(), urls, registry.getIfAvailable(), name, version,
                    h2 == null ? null : h2::handleProgress, r4j == null ? null : c -> r4j.find(c).orElse(null),
                    // the application's request customizers (auth headers) reach the groups' tool calls too
                    requestCustomizers.orderedStream().toList());
        }

        @Bean
        static ToolCallbackProviderReplacer qudagToolCallbackProviderReplacer(ObjectProvider<McpClientGroups> groups,
                ObjectProvider<List<McpSyncClient>> clients, ObjectProvider<McpToolFilter> filter,
                ObjectProvider<ToolContextToMcpMetaConverter> converter) {
            return new ToolCallbackProviderReplacer(groups, clients, filter, converter);
        }

        private static String url(String base, String endpoint) {
            String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            String e = endpoint == null || endpoint.isBlank() ? "/mcp" : endpoint;
            return b + (e.startsWith("/") ? e : "/" + e);
        }
    }

    /** Actuator health of the groups and connections. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, SyncMcpToolCallbackProvider.class})
    @ConditionalOnBooleanProperty(name = QudagResilienceProperties.PREFIX + ".client.enabled", matchIfMissing = true)
    static class HealthConfiguration {

        @Bean
        CompositeHealthContributor mcpGroupsHealthContributor(McpClientGroups groups) {
            return McpHealthContributors.groups(groups);
        }

        @Bean
        CompositeHealthContributor mcpConnectionsHealthContributor(McpClientGroups groups) {
            return McpHealthContributors.connections(groups);
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
        McpEndpointsEndpoint mcpEndpointsEndpoint(McpClientGroups groups) {
            return new McpEndpointsEndpoint(groups);
        }
    }
}
