package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.event.McpEndpointEvent;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An idle HTTP endpoint whose server went away: the next ping is refused and marks it SUSPECT at once,
 * before any call is spent on it; calls, even destructive ones, go to the replica; when a server is
 * back on the port the endpoint returns.
 */
class RefusedEndpointTest {

    private final TestTools primaryTools = new TestTools();
    private final TestTools replicaTools = new TestTools();
    private final List<McpEndpointEvent> events = new CopyOnWriteArrayList<>();
    private SdkHttpServer primary;
    private SdkHttpServer replica;
    private ResilientMcpClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void refusedPing_marksTheIdleEndpointSuspect_soNoCallIsSpentOnIt_andItReturnsWithItsServer() throws Exception {
        primary = SdkHttpServer.start(0, primaryTools.specs());
        replica = SdkHttpServer.start(0, replicaTools.specs());
        int port = primary.port();
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("primary", primary.url()).trusted(true).build())
                .endpoint(McpEndpoint.http("replica", replica.url()).trusted(true).build())
                .eventListener(events::add)
                .build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);

        primary.close();
        primary = null;
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.health("primary").state() == EndpointHealth.ConnectionState.SUSPECT);
        assertThat(client.health("primary").failedPings()).isPositive();
        assertThat(client.health("primary").failures()).as("no call was spent on it").isZero();
        assertThat(events).anyMatch(e -> e.endpointId().equals("primary") && e.type() == McpEndpointEvent.Type.SUSPECTED);

        // a destructive call is not safe to move after sending: it must go to the replica first
        assertThat(client.callTool("destroy", Map.of()).isError()).isFalse();
        assertThat(replicaTools.destroyCount).hasValue(1);
        assertThat(client.health("primary").failures()).isZero();

        primary = SdkHttpServer.start(port, primaryTools.specs());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.health("primary").state() == EndpointHealth.ConnectionState.READY);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> !client.callTool("read", Map.of()).isError() && primaryTools.readCount.get() > 0);
    }
}
