package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.failover.NoEndpointAvailableException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client whose endpoints never become ready says, per endpoint, why not. */
class CreateFailureTest {

    @Test
    void createNamesEachEndpointsReason() throws Exception {
        McpEndpoint primary = McpEndpoint.http("primary", "http://127.0.0.1:" + ChildProcess.freePort() + "/mcp").build();
        McpEndpoint replica = McpEndpoint.http("replica", "http://127.0.0.1:" + ChildProcess.freePort() + "/mcp").build();
        assertThatThrownBy(() -> ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                        .endpoint(primary).endpoint(replica).pingInterval(null)
                        .initializationTimeout(Duration.ofSeconds(2)).build()))
                .isInstanceOfSatisfying(NoEndpointAvailableException.class, e -> {
                    assertThat(e.causes()).containsOnlyKeys("primary", "replica");
                    assertThat(e.causes().values()).allSatisfy(c -> assertThat(c).isNotNull());
                    assertThat(e.getCause()).isSameAs(e.causes().get("primary"));
                    assertThat(e.getMessage()).startsWith("no endpoint of [primary, replica] became ready within PT2S;")
                            .contains("primary: ").contains("replica: ");
                });
    }
}
