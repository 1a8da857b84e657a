package io.qudag.resilience.mcp.failover.internal;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.spi.HealthProbe;
import io.qudag.resilience.mcp.failover.McpFailover;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The MCP health check: a fresh streamable-HTTP session to the endpoint's address, {@code initialize}
 * then {@code ping}, closed afterwards. Never blocks the caller.
 */
public final class McpPingProbe implements HealthProbe {

    private static final Logger log = LoggerFactory.getLogger(McpPingProbe.class);
    private static final McpSchema.Implementation CLIENT_INFO =
            McpSchema.Implementation.builder("qudag-resilience-health-check", "0.1.0").build();

    private final Duration timeout;

    public McpPingProbe(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Boolean> check(Endpoint endpoint) {
        if (!"HTTP".equals(endpoint.attributes().get(McpFailover.KIND_ATTRIBUTE))
                && !endpoint.address().startsWith("http")) {
            return CompletableFuture.completedFuture(false);
        }
        McpAsyncClient client;
        try {
            URI url = URI.create(endpoint.address());
            String base = url.getScheme() + "://" + url.getRawAuthority();
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/mcp" : url.getRawPath();
            client = McpClient.async(HttpClientStreamableHttpTransport.builder(base).endpoint(path).build())
                    .requestTimeout(timeout).initializationTimeout(timeout).clientInfo(CLIENT_INFO).build();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.initialize().then(Mono.defer(client::ping)).timeout(timeout).map(x -> Boolean.TRUE)
                .doOnError(e -> log.debug("health check of endpoint {} failed: {}", endpoint.id(), e.toString()))
                .doFinally(s -> client.closeGracefully().onErrorResume(e -> Mono.empty())
                        .subscribe())
                .toFuture();
    }
}
