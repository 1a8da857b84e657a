package io.qudag.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class PropertiesValidationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QudagResilienceAutoConfiguration.class));

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            qudag.resilience.client.call-timeout          | -1s   | PT-1S
            qudag.resilience.client.ping-timeout          | 0s    | PT0S
            qudag.resilience.client.max-restarts          | -1    | -1
            qudag.resilience.client.liveness-timeout-floor | 9s   | PT9S
            qudag.resilience.client.max-hedges            | 0     | 0
            qudag.resilience.client.restart-max-backoff   | 50ms  | PT0.05S
            qudag.resilience.client.session-retries       | -2    | -2
            qudag.resilience.server.rejection-error-code  | 5     | 5
            qudag.resilience.server.time-limit            | 0ms   | PT0S
            qudag.resilience.server.breaker.failure-threshold | 1.5 | 1.5
            qudag.resilience.server.rejection-mode        | SHOUT | SHOUT
            qudag.resilience.server.isolation-class       | HUGE  | HUGE
            qudag.resilience.server.time-limits.CRITICAL  | -5s   | PT-5S
            """)
    void aBadValueFailsStartupNamingPropertyAndValue(String property, String value, String shown) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            String messages = messages(context.getStartupFailure());
            assertThat(messages).contains(property).contains(shown);
        });
    }

    @Test
    void aConnectionInTwoGroupsFailsStartupNamingIt() {
        runner.withPropertyValues("qudag.resilience.client.groups.a.connections=primary,replica",
                "qudag.resilience.client.groups.b.connections=replica").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("qudag.resilience.client.groups.b.connections").contains("was replica");
                });
    }

    @Test
    void aGroupNamingAnUnknownConnectionFailsStartupNamingIt() {
        runner.withPropertyValues("qudag.resilience.client.groups.search.connections=nowhere").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("qudag.resilience.client.groups.search.connections").contains("was nowhere");
        });
    }

    @Test
    void goodValuesBindIntoTheLibraryShape() {
        runner.withPropertyValues("qudag.resilience.client.enabled=false", "qudag.resilience.client.call-timeout=2s",
                "qudag.resilience.client.groups.search.connections=primary,replica",
                "qudag.resilience.client.connections.replica.tier=REGIONAL",
                "qudag.resilience.server.tools.admin_reset.isolation-class=CRITICAL",
                "qudag.resilience.server.time-limits.CRITICAL=5s").run(context -> {
                    assertThat(context).hasNotFailed();
                    QudagResilienceProperties p = context.getBean(QudagResilienceProperties.class);
                    assertThat(p.getClient().getCallTimeout()).hasSeconds(2);
                    assertThat(p.getClient().getGroups().get("search").getConnections())
                            .containsExactly("primary", "replica");
                    assertThat(p.getClient().getConnections().get("replica").getTier().name()).isEqualTo("REGIONAL");
                    assertThat(p.getServer().getTools().get("admin_reset").getIsolationClass().name())
                            .isEqualTo("CRITICAL");
                });
    }

    private static String messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(String.valueOf(c.getMessage()));
        }
        return String.join("\n", out);
    }
}
