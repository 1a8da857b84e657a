package io.qudag.resilience.examples.spring;

import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The demo's MCP server: a plain Spring AI MCP server application (profile {@code server}) with one
 * read-only tool, {@code lookup}, that names the server that answered. With the starter on its class
 * path its tools are decorated with the library's server tools (spec §1.3 bulkheads).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CatalogServer {

    /** Starts a server named {@code name} on 127.0.0.1 and a free port. */
    public static ConfigurableApplicationContext start(String name) {
        return new SpringApplicationBuilder(CatalogServer.class).profiles("server")
                .properties("demo.server.name=" + name, "spring.ai.mcp.server.name=catalog-" + name).run();
    }

    /** The port a started server listens on. */
    public static int port(ConfigurableApplicationContext server) {
        return ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    @Bean
    CatalogTools catalogTools(@Value("${demo.server.name}") String name) {
        return new CatalogTools(name);
    }

    /** The server's tools. */
    public static class CatalogTools {
        private final String name;

        CatalogTools(String name) {
            this.name = name;
        }

        @McpTool(name = "lookup", description = "Looks an item up in the catalog", annotations = @McpTool.McpAnnotations(
                readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false))
        public String lookup(@McpToolParam(description = "the item id", required = true) int id) {
            return "item " + id + " served by " + name;
        }
    }
}
