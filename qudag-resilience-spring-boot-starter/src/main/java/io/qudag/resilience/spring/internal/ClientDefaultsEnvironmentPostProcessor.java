package io.qudag.resilience.spring.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code spring.ai.mcp.client.initialized=false} the default (lowest precedence: any value the
 * application sets wins), so Spring AI does not initialize every MCP client eagerly and a server that is
 * down at startup no longer stops the application; the starter's resilient clients connect in the
 * background instead.
 */
public final class ClientDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE = "qudagResilienceDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ("false".equalsIgnoreCase(environment.getProperty("qudag.resilience.enabled"))
                || "false".equalsIgnoreCase(environment.getProperty("qudag.resilience.client.enabled"))) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE,
                Map.of("spring.ai.mcp.client.initialized", "false")));
    }
}
