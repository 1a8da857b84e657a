package io.qudag.resilience.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo as a user runs it, shortened: the primary is killed, the replica answers, nothing fails. */
class SpringFailoverDemoTest {

    @Test
    void primaryKilledWhileCalling_replicaAnswers_noCallFails() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SpringFailoverDemo.Summary s = SpringFailoverDemo.run(Duration.ofSeconds(3),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertThat(s.failures()).as("failed calls").isEmpty();
        assertThat(s.byPrimary()).as("answered by the primary before the kill").isPositive();
        assertThat(s.byReplica()).as("answered by the replica").isPositive();
        assertThat(out).contains("tools the model sees: [lookup]").contains("killing the primary")
                .contains("health mcpGroups: UP");
    }
}
