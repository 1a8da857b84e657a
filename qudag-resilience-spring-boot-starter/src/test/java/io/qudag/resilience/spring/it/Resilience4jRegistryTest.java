package io.qudag.resilience.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.qudag.resilience.spring.McpClientGroups;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The application's Resilience4j {@link CircuitBreakerRegistry} (as {@code resilience4j-spring-boot4} builds
 * it from {@code resilience4j.circuitbreaker.instances.*}): a breaker instance named after a connection
 * counts that connection's calls; a connection without one keeps the client's default breaker.
 */
class Resilience4jRegistryTest {

    @Test
    void aBreakerInstanceNamedAfterTheConnectionCountsItsCalls() {
        try (TestMcpServer server = TestMcpServer.start("primary", 0);
                ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                        .web(WebApplicationType.NONE).properties(
                                "spring.ai.mcp.client.streamable-http.connections.primary.url=" + server.url(),
                                "spring.ai.mcp.client.streamable-http.connections.other.url=" + server.url(),
                                "spring.ai.mcp.server.enabled=false", "spring.main.banner-mode=off",
                                "qudag.resilience.client.startup-wait=30s")
                        .run()) {
            McpClientGroups groups = app.getBean(McpClientGroups.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> groups.groups().get("primary").isUp("primary"));
            ToolCallback whoami = Arrays.stream(app.getBean("mcpToolCallbacks", ToolCallbackProvider.class)
                    .getToolCallbacks()).filter(c -> c.getToolDefinition().name().equals("primary_whoami"))
                    .findFirst().orElseThrow();
            for (int i = 0; i < 3; i++) {
                assertThat(whoami.call("{}")).contains("primary");
            }
            CircuitBreaker breaker = app.getBean(CircuitBreakerRegistry.class).find("primary").orElseThrow();
            assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).as("calls the registry's breaker counted")
                    .isEqualTo(3);
            assertThat(app.getBean(CircuitBreakerRegistry.class).find("other")).isEmpty();
        }
    }

    /** A client application that has its own Resilience4j registry. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        CircuitBreakerRegistry circuitBreakerRegistry() {
            CircuitBreakerRegistry r = CircuitBreakerRegistry.ofDefaults();
            r.circuitBreaker("primary", CircuitBreakerConfig.custom().slidingWindowSize(50).build());
            return r;
        }
    }
}
