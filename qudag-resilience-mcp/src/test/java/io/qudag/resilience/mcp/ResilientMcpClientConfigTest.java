package io.qudag.resilience.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.qudag.resilience.core.pipeline.ResiliencePipelineConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilientMcpClientConfigTest {

    private static ResilientMcpClientConfig.Builder valid() {
        return ResilientMcpClientConfig.builder().endpoint(McpEndpoint.http("a", "http://127.0.0.1:1/mcp").build());
    }

    @Test
    void defaults() {
        ResilientMcpClientConfig c = valid().build();
        assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.livenessTimeoutFloor()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.retryBudgetRatio()).isEqualTo(0.2);
        assertThat(c.retryBudgetMinPerSecond()).isEqualTo(10);
        assertThat(c.retryBudgetWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.hedgeDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.adaptiveHedging()).isTrue();
        assertThat(c.maxHedges()).isEqualTo(1);
        assertThat(valid().noHedging().build().hedgeDelay()).isNull();
        assertThat(valid().noHedging().build().adaptiveHedging()).isFalse();
        ResilientMcpClientConfig adaptive = valid().adaptiveHedging(Duration.ofMillis(50), 2).build();
        assertThat(adaptive.adaptiveHedging()).isTrue();
        assertThat(adaptive.hedgeDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(adaptive.maxHedges()).isEqualTo(2);
        assertThat(c.logArguments()).isFalse();
        assertThat(c.endpoints()).extracting(McpEndpoint::trusted).containsExactly(false);
        assertThat(c.nanoTime()).as("the pipeline hands System.nanoTime() end readings to breakers")
                .isSameAs(ResiliencePipelineConfig.SYSTEM_NANO_TIME);
    }

    @Test
    void validationNamesFieldAndValue() {
        assertThatThrownBy(() -> ResilientMcpClientConfig.builder().build())
                .hasMessage("endpoints must name at least one endpoint, was []");
        assertThatThrownBy(() -> valid().endpoint(McpEndpoint.http("a", "http://127.0.0.1:2/mcp").build()).build())
                .hasMessage("endpoints ids must be unique, was \"a\" twice");
        assertThatThrownBy(() -> valid().callTimeout(Duration.ZERO).build()).hasMessage("callTimeout must be > 0, was PT0S");
        assertThatThrownBy(() -> valid().pingInterval(Duration.ofMillis(-1)).build())
                .hasMessage("pingInterval must be > 0, was PT-0.001S");
        assertThatThrownBy(() -> valid().maxRestarts(-1).build()).hasMessage("maxRestarts must be >= 0, was -1");
        assertThatThrownBy(() -> valid().restartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessage("restartMaxBackoff must be >= restartInitialBackoff (PT2S), was PT1S");
        assertThatThrownBy(() -> valid().hedging(Duration.ofMillis(10), 0).build())
                .hasMessage("maxHedges must be >= 1, was 0");
        assertThat(valid().pingInterval(null).build().pingInterval()).isNull();
        assertThatThrownBy(() -> valid().livenessTimeoutFloor(Duration.ofSeconds(6)).build())
                .hasMessage("livenessTimeoutFloor must be <= pingTimeout (PT5S), was PT6S");
        assertThat(valid().pingTimeout(Duration.ofMillis(700)).build().livenessTimeoutFloor())
                .as("the default floor never exceeds a shorter ping timeout").isEqualTo(Duration.ofMillis(700));
        assertThatThrownBy(() -> valid().livenessTimeoutFloor(Duration.ZERO).build())
                .hasMessage("livenessTimeoutFloor must be > 0, was PT0S");
        assertThatThrownBy(() -> valid().retryBudget(-1, 10, Duration.ofSeconds(10)).build())
                .hasMessage("retryBudgetRatio must be in [0, 1000], was -1.0");
        assertThatThrownBy(() -> valid().retryBudget(0.2, -1, Duration.ofSeconds(10)).build())
                .hasMessage("retryBudgetMinPerSecond must be >= 0, was -1");
        assertThatThrownBy(() -> valid().retryBudget(0.2, 10, Duration.ofMillis(1500)).build())
                .hasMessage("retryBudgetWindow must be whole seconds in [1 s, 1 h], was PT1.5S");
        assertThatThrownBy(() -> valid().callTimeout(Duration.ofDays(365L * 300)).build())
                .hasMessage("callTimeout must be at most PT876000H (100 years), was PT2628000H");
        assertThatThrownBy(() -> valid().hedging(Duration.ofDays(365L * 300), 1).build())
                .hasMessageStartingWith("hedgeDelay must be at most PT876000H");
    }

    @Test
    void endpointValidation() {
        assertThatThrownBy(() -> McpEndpoint.http(" ", "http://x/mcp").build()).hasMessage("id must not be blank, was \" \"");
        assertThatThrownBy(() -> McpEndpoint.http("a", "ftp://x/mcp").build())
                .hasMessage("url must be http or https, was \"ftp://x/mcp\"");
        assertThatThrownBy(() -> McpEndpoint.stdio("a", ServerParameters.builder(" ").build()).build())
                .hasMessageStartingWith("serverParameters.command must not be blank");
        assertThat(McpEndpoint.stdio("s", ServerParameters.builder("node").build()).trusted(true).build().trusted()).isTrue();
    }
}
