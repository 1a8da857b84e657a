package io.qudag.resilience.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.chaos.report.DataLoss;
import io.qudag.resilience.chaos.report.ExperimentReport;
import io.qudag.resilience.chaos.report.ReportWriterTestAccess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrillDataLossJudgementTest {

    @Test
    void aDrillThatLostAcknowledgedRecords_failsEvenWhenTheLossFitsTheRpoObjective() {
        ExperimentReport lossy = ReportWriterTestAccess.sample().withDataLoss(new DataLoss(50, 2, Duration.ofMillis(1500)));
        DrillResult r = DrillResult.judge(DrillKind.DATA_CORRUPTION, lossy, true);
        assertThat(r.passed()).isFalse();
        assertThat(r.findings()).contains("lost 2 of 50 acknowledged records (within the CRITICAL RPO PT5S, but lost)");
    }

    @Test
    void aDrillThatLostNothing_isJudgedByItsOtherCriteriaOnly() {
        ExperimentReport clean = ReportWriterTestAccess.sample().withDataLoss(DataLoss.none(50));
        DrillResult r = DrillResult.judge(DrillKind.DATA_CORRUPTION, clean, true);
        assertThat(r.findings()).noneMatch(f -> f.startsWith("lost "));
    }
}
