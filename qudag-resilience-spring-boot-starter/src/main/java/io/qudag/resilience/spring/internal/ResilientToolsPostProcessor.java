package io.qudag.resilience.spring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.qudag.resilience.mcp.server.ResilientTools;
import io.qudag.resilience.spring.QudagResilienceProperties;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Decorates every {@code List<SyncToolSpecification>} and {@code List<AsyncToolSpecification>} bean (the
 * lists Spring AI builds from {@code @McpTool} methods and {@code ToolCallback} beans, and the user's own)
 * with one shared {@link ResilientTools}: same tools, handlers run through the pipeline of their isolation
 * class (spec §1.3, §3.1).
 */
public final class ResilientToolsPostProcessor implements BeanPostProcessor, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ResilientToolsPostProcessor.class);

    private final ObjectProvider<QudagResilienceProperties> properties;
    private final ObjectProvider<MeterRegistry> registry;
    private volatile ResilientTools tools;

    public ResilientToolsPostProcessor(ObjectProvider<QudagResilienceProperties> properties,
            ObjectProvider<MeterRegistry> registry) {
        this.properties = properties;
        this.registry = registry;
    }

    private synchronized ResilientTools tools() {
        if (tools == null) {
            tools = ServerToolsFactory.create(properties.getObject().getServer(), registry.getIfAvailable());
        }
        return tools;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof List<?> list) || list.isEmpty()) {
            return bean;
        }
        if (list.stream().allMatch(SyncToolSpecification.class::isInstance)) {
            QudagResilienceProperties p = properties.getObject();
            if (!p.isEnabled() || !p.getServer().isEnabled()) {
                return bean;
            }
            List<SyncToolSpecification> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(tools().decorate((SyncToolSpecification) o));
            }
            log.debug("decorated {} sync MCP tools of bean {}", out.size(), beanName);
            return out;
        }
        if (list.stream().allMatch(AsyncToolSpecification.class::isInstance)) {
            QudagResilienceProperties p = properties.getObject();
            if (!p.isEnabled() || !p.getServer().isEnabled()) {
                return bean;
            }
            List<AsyncToolSpecification> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(tools().decorate((AsyncToolSpecification) o));
            }
            log.debug("decorated {} async MCP tools of bean {}", out.size(), beanName);
            return out;
        }
        if (list.stream().allMatch(McpStatelessServerFeatures.SyncToolSpecification.class::isInstance)) {
            QudagResilienceProperties p = properties.getObject();
            if (!p.isEnabled() || !p.getServer().isEnabled()) {
                return bean;
            }
            List<McpStatelessServerFeatures.SyncToolSpecification> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(StatelessToolsDecorator.decorate(tools(), (McpStatelessServerFeatures.SyncToolSpecification) o));
            }
            log.debug("decorated {} stateless sync MCP tools of bean {}", out.size(), beanName);
            return out;
        }
        if (list.stream().allMatch(McpStatelessServerFeatures.AsyncToolSpecification.class::isInstance)) {
            QudagResilienceProperties p = properties.getObject();
            if (!p.isEnabled() || !p.getServer().isEnabled()) {
                return bean;
            }
            List<McpStatelessServerFeatures.AsyncToolSpecification> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(StatelessToolsDecorator.decorate(tools(), (McpStatelessServerFeatures.AsyncToolSpecification) o));
            }
            log.debug("decorated {} stateless async MCP tools of bean {}", out.size(), beanName);
            return out;
        }
        return bean;
    }

    @Override
    public synchronized void destroy() {
        if (tools != null) {
            tools.close();
        }
    }
}
