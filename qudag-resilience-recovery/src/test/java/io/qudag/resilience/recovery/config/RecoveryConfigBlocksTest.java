package io.qudag.resilience.recovery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.config.ConfigException;
import io.qudag.resilience.core.config.ConfigFile;
import io.qudag.resilience.recovery.DataClass;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.RecoveryPolicy;
import io.qudag.resilience.recovery.RecoveryTier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The recovery blocks load from JSON and YAML into working objects; bad values name their path. */
class RecoveryConfigBlocksTest {

    @TempDir
    Path dir;

    private String yaml() {
        return """
                data_recovery_framework:
                  critical: { tier: hot, durability: group_commit, snapshot_interval: "30s" }
                  standard: { snapshot_interval: "10m" }
                journal:
                  directory: "%s"
                  name: orders
                  durability: group_commit
                  segment_size: 1048576
                  group_commit_max_delay: "2ms"
                  group_commit_max_batch: 64
                """.formatted(dir.toString().replace("\\", "/"));
    }

    private String json() {
        return """
                {"data_recovery_framework": {"critical": {"tier": "hot", "durability": "group_commit", "snapshot_interval": "30s"},
                   "standard": {"snapshot_interval": "10m"}},
                 "journal": {"directory": "%s", "name": "orders", "durability": "group_commit", "segment_size": 1048576,
                   "group_commit_max_delay": "2ms", "group_commit_max_batch": 64}}
                """.formatted(dir.toString().replace("\\", "/"));
    }

    @Test
    void yamlAndJsonGiveTheSameWorkingObjects() {
        for (ConfigFile file : new ConfigFile[] {
                ConfigFile.parse(yaml(), ConfigFile.Format.YAML, RecoveryConfigBlocks.DATA_RECOVERY_FRAMEWORK,
                        RecoveryConfigBlocks.JOURNAL),
                ConfigFile.parse(json(), ConfigFile.Format.JSON, RecoveryConfigBlocks.DATA_RECOVERY_FRAMEWORK,
                        RecoveryConfigBlocks.JOURNAL)}) {
            RecoveryPolicy policy = file.get(RecoveryConfigBlocks.DATA_RECOVERY_FRAMEWORK).orElseThrow();
            assertThat(policy.policyFor(DataClass.CRITICAL)).isEqualTo(new RecoveryPolicy.ClassPolicy(
                    RecoveryTier.HOT, Durability.GROUP_COMMIT, Duration.ofSeconds(30)));
            assertThat(policy.policyFor(DataClass.STANDARD).snapshotInterval()).isEqualTo(Duration.ofMinutes(10));
            assertThat(policy.policyFor(DataClass.STANDARD).tier()).as("kept from the default").isEqualTo(RecoveryTier.COLD);
            assertThat(policy.policyFor(DataClass.ARCHIVAL)).isEqualTo(RecoveryPolicy.defaults().policyFor(DataClass.ARCHIVAL));

            JournalConfig config = file.get(RecoveryConfigBlocks.JOURNAL).orElseThrow();
            assertThat(config.directory()).isEqualTo(dir);
            assertThat(config.segmentSize()).isEqualTo(1_048_576);
            assertThat(config.groupCommitMaxDelay()).isEqualTo(Duration.ofMillis(2));
            try (Journal journal = Journal.open(config)) {
                long seq = journal.append(1, "loaded from a file".getBytes(StandardCharsets.UTF_8));
                assertThat(seq).isPositive();
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "data_recovery_framework: {critical: {durability: async}}|data_recovery_framework.critical|CRITICAL.durability must be SYNC or GROUP_COMMIT",
            "data_recovery_framework: {secret: {durability: sync}}|data_recovery_framework.secret|must be one of [critical, important, standard, archival]",
            "data_recovery_framework: {standard: {tier: lukewarm}}|data_recovery_framework.standard.tier|must be one of [hot, warm, cold, archive]",
            "data_recovery_framework: {critical: {snapshot_interval: \"2h\"}}|data_recovery_framework.critical|at most 120 x",
            "data_recovery_framework: {critical: {snapshot_every: \"1m\"}}|data_recovery_framework.critical.snapshot_every|unknown key",
            "journal: {name: x}|journal.directory|missing",
            "journal: {directory: /tmp/j, segment_size: 1.5}|journal.segment_size|whole number",
            "journal: {directory: /tmp/j, group_commit_max_delay: \"5s\"}|journal.group_commit_max_delay|at most PT1S",
            "journal: {directory: /tmp/j, durability: eventually}|journal.durability|must be one of [sync, group_commit, async]",
    })
    void badValuesNameTheirPath(String yaml, String path, String message) {
        assertThatThrownBy(() -> ConfigFile.parse(yaml, ConfigFile.Format.YAML,
                RecoveryConfigBlocks.DATA_RECOVERY_FRAMEWORK, RecoveryConfigBlocks.JOURNAL))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo(path))
                .hasMessageContaining(message);
    }
}
