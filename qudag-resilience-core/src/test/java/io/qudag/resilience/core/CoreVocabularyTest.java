package io.qudag.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CoreVocabularyTest {

    @Test
    void tiersCarryTheirRecoveryTimeObjectivesInOrder() {
        assertThat(FailoverTier.LOCAL.rtoMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(FailoverTier.REGIONAL.rtoMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(FailoverTier.GEOGRAPHIC.rtoMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(FailoverTier.DISASTER_RECOVERY.rtoMax()).isEqualTo(Duration.ofMinutes(30));
        assertThat(FailoverTier.BUSINESS_CONTINUITY.isRtoBounded()).isFalse();
        assertThat(FailoverTier.BUSINESS_CONTINUITY.rtoMin()).isEqualTo(Duration.ofMinutes(30));
        assertThat(FailoverTier.LOCAL.next()).isEqualTo(FailoverTier.REGIONAL);
        assertThat(FailoverTier.BUSINESS_CONTINUITY.next()).isNull();
        assertThat(FailoverTier.LOCAL.mechanisms()).contains("connection pool switching");
    }

    @Test
    void hintsDecideWhetherACallIsSafeToRepeat() {
        assertThat(ToolHints.UNTRUSTED.safeToRepeat()).isFalse();
        assertThat(ToolHints.READ_ONLY.safeToRepeat()).isTrue();
        assertThat(new ToolHints(false, true, true, true).safeToRepeat()).isTrue();
    }

    @Test
    void toolCallNeverPrintsItsArgumentsAndValidates() {
        ToolCall call = ToolCall.of("login", Map.of("password", "hunter2"), ToolHints.UNTRUSTED);
        assertThat(call.toString()).doesNotContain("hunter2").contains("login");
        assertThat(call.withEndpoint("e1").endpointId()).isEqualTo("e1");
        assertThatThrownBy(() -> ToolCall.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("toolName must not be blank, was \" \"");
        assertThatThrownBy(() -> ToolCall.builder("t").endpointId("").build())
                .hasMessage("endpointId must not be blank, was \"\"");
        assertThatThrownBy(() -> ToolCall.builder("t").serviceId(" ").build())
                .hasMessage("serviceId must not be blank, was \" \"");
    }

    @Test
    void defaultClassifierMapsPlainJavaErrors() {
        var c = Outcomes.defaultClassifier();
        assertThat(c.classify("x", null)).isEqualTo(CallOutcome.SUCCESS);
        assertThat(c.classify(null, new CompletionException(new ConnectException("refused"))))
                .isEqualTo(CallOutcome.TRANSPORT_ERROR);
        assertThat(c.classify(null, new RuntimeException(new TimeoutException())))
                .isEqualTo(CallOutcome.TIMEOUT);
        assertThat(c.classify(null, new IllegalArgumentException("bad"))).isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(c.classify(null, new RejectedCallException("b", "open"))).isEqualTo(CallOutcome.REJECTED);
        assertThat(c.classify(null, new IllegalStateException("boom"))).isEqualTo(CallOutcome.SERVER_ERROR);
        assertThat(c.classify(null, new IOException("reset"))).isEqualTo(CallOutcome.TRANSPORT_ERROR);
    }

    @Test
    void outcomePolicyDefaultsAndValidation() {
        OutcomePolicy p = OutcomePolicy.defaults();
        assertThat(p.isFailure(CallOutcome.TOOL_ERROR)).isFalse();
        assertThat(p.isFailure(CallOutcome.CLIENT_ERROR)).isFalse();
        assertThat(p.isFailure(CallOutcome.SERVER_ERROR)).isTrue();
        assertThat(p.isRetryable(CallOutcome.TIMEOUT)).isTrue();
        assertThat(p.isRetryable(CallOutcome.REJECTED)).isFalse();
        assertThatThrownBy(() -> OutcomePolicy.builder().failureOutcomes(EnumSet.of(CallOutcome.SUCCESS)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureOutcomes must not contain SUCCESS, was [SUCCESS]");
    }
}
