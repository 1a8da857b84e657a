package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecoveryPolicyTest {

    @Test
    void tiersAndClassesCarryTheSpecifiedObjectives() {
        assertThat(RecoveryTier.HOT.rto()).isEqualTo(Duration.ofSeconds(30));
        assertThat(RecoveryTier.HOT.rpo()).isEqualTo(Duration.ofSeconds(5));
        assertThat(RecoveryTier.WARM.rto()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RecoveryTier.WARM.rpo()).isEqualTo(Duration.ofMinutes(1));
        assertThat(RecoveryTier.COLD.rto()).isEqualTo(Duration.ofMinutes(30));
        assertThat(RecoveryTier.COLD.rpo()).isEqualTo(Duration.ofMinutes(15));
        assertThat(RecoveryTier.ARCHIVE.rto()).isEqualTo(Duration.ofHours(4));
        assertThat(RecoveryTier.ARCHIVE.rpo()).isEqualTo(Duration.ofHours(1));
        assertThat(DataClass.CRITICAL.replicationFactor()).isEqualTo(5);
        assertThat(DataClass.CRITICAL.backupFrequency()).isZero();
        assertThat(DataClass.IMPORTANT.replicationFactor()).isEqualTo(3);
        assertThat(DataClass.IMPORTANT.backupFrequency()).isEqualTo(Duration.ofMinutes(5));
        assertThat(DataClass.STANDARD.replicationFactor()).isEqualTo(2);
        assertThat(DataClass.STANDARD.backupFrequency()).isEqualTo(Duration.ofHours(1));
        assertThat(DataClass.ARCHIVAL.replicationFactor()).isEqualTo(1);
        assertThat(DataClass.ARCHIVAL.backupFrequency()).isEqualTo(Duration.ofDays(1));
        assertThat(DataClass.CRITICAL.priority()).isEqualTo(RecoveryPriority.HIGHEST);
        assertThat(DataClass.ARCHIVAL.priority()).isEqualTo(RecoveryPriority.LOW);
    }

    @Test
    void thePolicyMapsClassesToDurabilityTierAndSnapshotFrequency() {
        RecoveryPolicy p = RecoveryPolicy.defaults();
        assertThat(p.policyFor(DataClass.CRITICAL).durability()).isEqualTo(Durability.SYNC);
        assertThat(p.policyFor(DataClass.CRITICAL).tier()).isEqualTo(RecoveryTier.HOT);
        assertThat(p.policyFor(DataClass.ARCHIVAL).durability()).isEqualTo(Durability.ASYNC);
        assertThat(p.policyFor(DataClass.IMPORTANT).snapshotInterval()).isEqualTo(Duration.ofMinutes(5));
        JournalConfig cfg = p.journalFor(DataClass.CRITICAL, Path.of("j")).build();
        assertThat(cfg.durability()).isEqualTo(Durability.SYNC);
        assertThat(cfg.name()).isEqualTo("critical");

        RecoveryPolicy custom = RecoveryPolicy.builder()
                .policy(DataClass.STANDARD, RecoveryTier.WARM, Durability.ASYNC, Duration.ofMinutes(2)).build();
        assertThat(custom.policyFor(DataClass.STANDARD).tier()).isEqualTo(RecoveryTier.WARM);
        assertThatThrownBy(() -> RecoveryPolicy.builder()
                .policy(DataClass.CRITICAL, RecoveryTier.HOT, Durability.ASYNC, Duration.ofMinutes(1)).build())
                .hasMessage("CRITICAL.durability must be SYNC or GROUP_COMMIT (critical data is backed up in real time), was ASYNC");
        assertThatThrownBy(() -> RecoveryPolicy.builder()
                .policy(DataClass.CRITICAL, RecoveryTier.HOT, Durability.SYNC, Duration.ofHours(2)).build())
                .hasMessage("CRITICAL.snapshotInterval must be at most 120 x the HOT RTO (PT1H), was PT2H");
        assertThatThrownBy(() -> RecoveryPolicy.builder()
                .policy(DataClass.STANDARD, null, Durability.SYNC, Duration.ofMinutes(1)).build())
                .hasMessage("STANDARD.tier must not be null, was null");
    }

    @Test
    void objectivesRecordMeasuredValuesAndWhetherTheyWereMet() {
        RecoveryObjectives o = RecoveryPolicy.defaults().objectivesFor("orders", DataClass.CRITICAL);
        assertThat(o.last()).isNull();
        Instant t = Instant.parse("2026-05-01T00:00:00Z");
        assertThat(o.record(t, Duration.ofSeconds(2), Duration.ZERO, 10).met()).isTrue();
        assertThat(o.record(t, Duration.ofSeconds(31), Duration.ZERO, 10).met()).isFalse();
        assertThat(o.record(t, Duration.ofSeconds(1), Duration.ofSeconds(6), 10).met()).isFalse();
        assertThat(o.measurements()).hasSize(3);
        assertThat(o.last().measuredRpo()).isEqualTo(Duration.ofSeconds(6));
        assertThatThrownBy(() -> new RecoveryObjectives(" ", DataClass.CRITICAL, RecoveryTier.HOT))
                .hasMessage("name must not be blank, was ' '");
    }
}
