package io.qudag.resilience.examples.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo's client: an ordinary Spring AI MCP client application (profile {@code client}, see
 * {@code application-client.yaml}) with the starter on its class path and no code of its own. Its
 * {@code mcpToolCallbacks} are the starter's: one {@code lookup} tool for the group {@code catalog}
 * (spec §1.1 failover across an endpoint group).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ChatClientApp {

    /** Starts the client against the two servers. */
    public static ConfigurableApplicationContext start(String primaryUrl, String replicaUrl) {
        return new SpringApplicationBuilder(ChatClientApp.class).profiles("client").web(WebApplicationType.NONE)
                .properties("demo.primary-url=" + primaryUrl, "demo.replica-url=" + replicaUrl).run();
    }
}
