package io.qudag.resilience.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.spring.internal.ResilientToolsPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the starter: binds and validates {@link QudagResilienceProperties}, decorates the
 * application's MCP server tools with the library's {@code ResilientTools} (spec §1.3 bulkheads, §3.1
 * breakers) and routes Spring AI's MCP client tool callbacks through the library's resilient client
 * (spec §1.1 failover across endpoint groups).
 */
@AutoConfiguration
@EnableConfigurationProperties(QudagResilienceProperties.class)
@ConditionalOnBooleanProperty(name = QudagResilienceProperties.PREFIX + ".enabled", matchIfMissing = true)
public class QudagResilienceAutoConfiguration {

    /** Decorates every server tool list bean. */
    @Bean
    static ResilientToolsPostProcessor qudagResilientToolsPostProcessor(
            ObjectProvider<QudagResilienceProperties> properties, ObjectProvider<MeterRegistry> registry) {
        return new ResilientToolsPostProcessor(properties, registry);
    }
}
