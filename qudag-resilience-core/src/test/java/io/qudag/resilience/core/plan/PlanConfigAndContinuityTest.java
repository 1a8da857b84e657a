package io.qudag.resilience.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.plan.spi.RecoveryProcedure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanConfigAndContinuityTest {

    private static RecoveryProcedure procedure(String name, DisasterLevel level, RecoveryPhase phase, Duration timeout) {
        return new RecoveryProcedure() {
            @Override public String name() { return name; }
            @Override public DisasterLevel level() { return level; }
            @Override public RecoveryPhase phase() { return phase; }
            @Override public void execute(RecoveryContext context) { }
            @Override public Duration timeout() { return timeout; }
        };
    }

    private static RecoveryProcedure ok(String name, DisasterLevel level) {
        return procedure(name, level, RecoveryPhase.IMMEDIATE_RESPONSE, Duration.ofMinutes(1));
    }

    @Test
    void procedureWithoutTimeoutIsRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder()
                .procedure(procedure("isolate", DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.IMMEDIATE_RESPONSE, null)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("procedures[isolate].timeout must be positive, was null");
        assertThatThrownBy(() -> RecoveryProcedures.builder("restore").level(DisasterLevel.SERVICE_DISRUPTION)
                .phase(RecoveryPhase.SHORT_TERM).action(ctx -> { }).timeout(Duration.ZERO).build())
                .hasMessage("procedures[restore].timeout must be positive, was PT0S");
        assertThatThrownBy(() -> RecoveryProcedures.builder("restore").phase(RecoveryPhase.SHORT_TERM).action(ctx -> { })
                .timeout(Duration.ofSeconds(1)).build())
                .hasMessage("procedures[restore].level must not be null, was null");
    }

    @Test
    void phasesOutOfOrderAreRejected() {
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder()
                .timeBox(RecoveryPhase.SHORT_TERM, Duration.ofMinutes(10)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeBoxes must grow in phase order, was SHORT_TERM=PT10M <= IMMEDIATE_RESPONSE=PT15M");
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder()
                .timeBox(RecoveryPhase.LONG_TERM, Duration.ofHours(-1)).build())
                .hasMessage("timeBoxes[LONG_TERM] must be positive, was PT-1H");
        assertThat(DisasterRecoveryPlanConfig.builder().timeBox(RecoveryPhase.IMMEDIATE_RESPONSE, Duration.ofMinutes(5))
                .build().timeBox(RecoveryPhase.IMMEDIATE_RESPONSE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void strictPlanNeedsAProcedureForEveryLevel() {
        List<RecoveryProcedure> three = new ArrayList<>();
        three.add(ok("a", DisasterLevel.COMPONENT_FAILURE));
        three.add(ok("b", DisasterLevel.SERVICE_DISRUPTION));
        three.add(ok("d", DisasterLevel.GLOBAL_CATASTROPHE));
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder().strict(true).procedures(three).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strict plan: level 3 (REGIONAL_DISASTER) must have a procedure, was 0 of 3 procedures");
        assertThat(DisasterRecoveryPlanConfig.builder().strict(false).procedures(three).build().procedures()).hasSize(3);
        three.add(ok("c", DisasterLevel.REGIONAL_DISASTER));
        DisasterRecoveryPlanConfig strict = DisasterRecoveryPlanConfig.builder().strict(true).procedures(three).build();
        assertThat(strict.procedures(DisasterLevel.REGIONAL_DISASTER)).extracting(RecoveryProcedure::name).containsExactly("c");
    }

    @Test
    void duplicateNamesAndOtherBadValuesAreRejected() {
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder().procedure(ok("x", DisasterLevel.COMPONENT_FAILURE))
                .procedure(ok("x", DisasterLevel.SERVICE_DISRUPTION)).build())
                .hasMessage("procedures[1].name must be unique, was \"x\" (also procedures[0])");
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder()
                .procedure(procedure("p", DisasterLevel.COMPONENT_FAILURE, null, Duration.ofSeconds(1))).build())
                .hasMessage("procedures[p].phase must not be null, was null");
        assertThatThrownBy(() -> DisasterRecoveryPlanConfig.builder().approvalTimeout(Duration.ZERO).build())
                .hasMessage("approvalTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> DisasterRecoveryPlan.builder().build()).hasMessage("config must not be null, was null");
        assertThatThrownBy(() -> RecoveryProcedures.isolate("i", null, RecoveryProcedures.paths(), Duration.ofMinutes(1)))
                .hasMessage("hierarchy must not be null, was null");
    }

    @Test
    void continuityModeFollowsTheLevelUnlessAnOperatorSetsIt() {
        ContinuityPolicy policy = ContinuityPolicy.builder().tool("login", ToolCriticality.CRITICAL)
                .tool("search", ToolCriticality.IMPORTANT).tool("summarize", ToolCriticality.OPTIONAL).build();
        List<String> changes = new ArrayList<>();
        policy.addModeListener((from, to, reason) -> changes.add(from + ">" + to));
        assertThat(policy.mode()).isEqualTo(OperatingMode.FULL);
        assertThat(policy.isServed("summarize")).isTrue();
        assertThat(policy.criticality("unknown")).isEqualTo(ToolCriticality.STANDARD);
        assertThat(java.util.stream.Stream.of("summarize", "unknown", "login", "search").sorted(policy.criticalFirst()).toList())
                .containsExactly("login", "search", "unknown", "summarize");

        policy.followLevel(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(policy.mode()).isEqualTo(OperatingMode.REDUCED);
        assertThat(policy.isServed("login")).isTrue();
        assertThat(policy.isServed("search")).isTrue();
        assertThat(policy.isServed("unknown")).isFalse();
        assertThat(policy.isServed("summarize")).isFalse();
        assertThat(policy.unavailableMessage("summarize")).isEqualTo(
                "Tool 'summarize' is temporarily unavailable: the service runs in REDUCED mode and serves only CRITICAL, IMPORTANT tools.");

        policy.followLevel(DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(policy.isServed("search")).isFalse();
        assertThat(policy.isServed("login")).isTrue();

        policy.setOperatorMode(OperatingMode.REDUCED);
        policy.followLevel(DisasterLevel.COMPONENT_FAILURE);
        assertThat(policy.mode()).as("the operator's mode wins").isEqualTo(OperatingMode.REDUCED);
        policy.clearOperatorMode();
        assertThat(policy.mode()).isEqualTo(OperatingMode.FULL);
        assertThat(changes).containsExactly("FULL>REDUCED", "REDUCED>EMERGENCY", "EMERGENCY>REDUCED", "REDUCED>FULL");
    }

    @Test
    void continuityPolicyKeepsCriticalToolsInEveryModeAndModesNested() {
        assertThatThrownBy(() -> ContinuityPolicy.builder().served(OperatingMode.EMERGENCY, ToolCriticality.IMPORTANT).build())
                .hasMessage("served[EMERGENCY] must include CRITICAL (critical functions are kept in every mode), was [IMPORTANT]");
        assertThatThrownBy(() -> ContinuityPolicy.builder()
                .served(OperatingMode.EMERGENCY, ToolCriticality.CRITICAL, ToolCriticality.OPTIONAL).build())
                .hasMessage("served[EMERGENCY] must be a subset of served[REDUCED] ([CRITICAL, IMPORTANT]), was [CRITICAL, OPTIONAL]");
        assertThatThrownBy(() -> ContinuityPolicy.builder()
                .levelMode(DisasterLevel.REGIONAL_DISASTER, OperatingMode.FULL).build())
                .hasMessage("levelMode[REGIONAL_DISASTER] must not be less restrictive than the level below (REDUCED), was FULL");
    }

    @Test
    void functionalityValidationUsesTheSpecShares() throws Exception {
        double[] important = {0.94};
        RecoveryProcedure v = RecoveryProcedures.validateFunctionality("functionality", java.util.Map.of(
                ToolCriticality.CRITICAL, () -> 1.0, ToolCriticality.IMPORTANT, () -> important[0],
                ToolCriticality.OPTIONAL, () -> 0.8)).level(DisasterLevel.SERVICE_DISRUPTION)
                .timeout(Duration.ofSeconds(5)).build();
        RecoveryContext ctx = new RecoveryContext("p", "i", DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.MEDIUM_TERM, 1,
                List.of(), java.time.Clock.systemUTC());
        assertThat(v.validate(ctx)).as("important below 95 %").isFalse();
        important[0] = 0.95;
        assertThat(v.validate(ctx)).isTrue();
        assertThat(v.phase()).isEqualTo(RecoveryPhase.MEDIUM_TERM);
    }

    @Test
    void levelsAndPhasesCarryTheSpecData() {
        assertThat(DisasterLevel.of(3)).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(DisasterLevel.GLOBAL_CATASTROPHE.next()).isNull();
        assertThat(DisasterLevel.COMPONENT_FAILURE.examples()).contains("single server failure");
        assertThatThrownBy(() -> DisasterLevel.of(5)).hasMessage("level must be 1 to 4, was 5");
        assertThat(RecoveryPhase.values()).extracting(RecoveryPhase::defaultTimeBox).containsExactly(
                Duration.ofMinutes(15), Duration.ofHours(4), Duration.ofHours(24), Duration.ofDays(7));
        assertThat(ToolCriticality.OPTIONAL.functionalityTarget()).isEqualTo(0.80);
    }
}
