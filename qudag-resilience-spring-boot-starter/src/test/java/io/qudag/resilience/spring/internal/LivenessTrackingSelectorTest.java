package io.qudag.resilience.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.mcp.event.McpEndpointEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivenessTrackingSelectorTest {

    private final LivenessTrackingSelector selector = new LivenessTrackingSelector(List.of("primary", "replica"));

    private void event(String id, McpEndpointEvent.Type type) {
        selector.onEvent(new McpEndpointEvent(id, type, Instant.EPOCH, "", 0));
    }

    @Test
    void nothingIsUpBeforeItsSessionIsInitialized() {
        assertThat(selector.isDown("primary")).isTrue();
        assertThat(selector.anySession()).isFalse();
        assertThat(selector.select(null)).containsExactly("primary", "replica");
    }

    @Test
    void aConnectionNotYetUpIsTriedAfterOneThatIs() {
        event("replica", McpEndpointEvent.Type.CONNECTED);
        assertThat(selector.select(null)).containsExactly("replica", "primary");
        assertThat(selector.anySession()).isTrue();
        event("primary", McpEndpointEvent.Type.CONNECTED);
        List<String> all = selector.select(null);
        assertThat(all).containsExactly("primary", "replica");
        assertThat(selector.select(null)).as("one shared list when everything is up").isSameAs(all);
    }

    @Test
    void livenessTransportErrorsAndRestartsMoveAConnectionBack() {
        event("primary", McpEndpointEvent.Type.CONNECTED);
        event("replica", McpEndpointEvent.Type.CONNECTED);
        selector.onLiveness("primary", false);
        assertThat(selector.select(null)).containsExactly("replica", "primary");
        selector.onLiveness("primary", true);
        assertThat(selector.select(null)).containsExactly("primary", "replica");
        selector.onOutcome("primary", null, CallOutcome.TRANSPORT_ERROR, 0);
        assertThat(selector.isDown("primary")).isTrue();
        selector.onOutcome("primary", null, CallOutcome.SUCCESS, 0);
        assertThat(selector.isDown("primary")).as("only liveness or a new session brings it back").isTrue();
        event("primary", McpEndpointEvent.Type.CONNECTION_LOST);
        assertThat(selector.anySession()).as("an HTTP session survives a lost connection").isTrue();
        event("primary", McpEndpointEvent.Type.RESTART_SCHEDULED);
        event("replica", McpEndpointEvent.Type.RESTART_SCHEDULED);
        assertThat(selector.anySession()).isFalse();
        assertThat(selector.isDown("replica")).isTrue();
    }

    @Test
    void progressIsAttributedToTheFirstConnectionThatIsUp() {
        assertThat(selector.firstUp()).as("nothing up: the first configured").isEqualTo("primary");
        event("replica", McpEndpointEvent.Type.CONNECTED);
        assertThat(selector.firstUp()).isEqualTo("replica");
        event("primary", McpEndpointEvent.Type.CONNECTED);
        assertThat(selector.firstUp()).isEqualTo("primary");
        selector.onLiveness("primary", false);
        assertThat(selector.firstUp()).isEqualTo("replica");
    }
}
