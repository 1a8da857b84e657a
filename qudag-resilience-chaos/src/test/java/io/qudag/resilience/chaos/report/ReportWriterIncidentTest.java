package io.qudag.resilience.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.chaos.testing.Chromium;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.IncidentStatus;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.PhaseSnapshot;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.RecoveryProcedures;
import io.qudag.resilience.core.plan.StepSnapshot;
import io.qudag.resilience.core.plan.StepStatus;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan-incident section of the report: JSON, Markdown and the page as headless Chromium renders it. */
class ReportWriterIncidentTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private final ReportWriter writer = new ReportWriter();

    /** A level-2 incident whose immediate response overran its 10-minute time box and escalated to level 3. */
    static IncidentReport incident() {
        DisasterRecoveryPlanConfig config = DisasterRecoveryPlanConfig.builder()
                .timeBox(RecoveryPhase.IMMEDIATE_RESPONSE, Duration.ofMinutes(10))
                .procedure(RecoveryProcedures.builder("isolate <service>").level(DisasterLevel.SERVICE_DISRUPTION)
                        .phase(RecoveryPhase.IMMEDIATE_RESPONSE).timeout(Duration.ofSeconds(5)).action(ctx -> { }).build())
                .build();
        Instant l3 = T0.plusSeconds(10 * 60);
        List<PhaseSnapshot> phases = List.of(
                new PhaseSnapshot(DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.IMMEDIATE_RESPONSE, T0, l3,
                        T0.plus(Duration.ofMinutes(10)), true),
                new PhaseSnapshot(DisasterLevel.REGIONAL_DISASTER, RecoveryPhase.IMMEDIATE_RESPONSE, l3,
                        l3.plusSeconds(90), l3.plus(Duration.ofMinutes(10)), false),
                new PhaseSnapshot(DisasterLevel.REGIONAL_DISASTER, RecoveryPhase.SHORT_TERM, l3.plusSeconds(90),
                        l3.plusSeconds(90 + 45 * 60), l3.plus(Duration.ofHours(4)), false));
        Instant closed = l3.plusSeconds(90 + 45 * 60);
        List<StepSnapshot> done = List.of(
                new StepSnapshot("isolate <service>", DisasterLevel.SERVICE_DISRUPTION, RecoveryPhase.IMMEDIATE_RESPONSE,
                        StepStatus.FAILED, false, 3, T0, T0.plusSeconds(20), "validation failed"),
                new StepSnapshot("activate-regional-tier", DisasterLevel.REGIONAL_DISASTER, RecoveryPhase.IMMEDIATE_RESPONSE,
                        StepStatus.SUCCEEDED, true, 1, l3, l3.plusSeconds(90), "succeeded"),
                new StepSnapshot("validate", DisasterLevel.REGIONAL_DISASTER, RecoveryPhase.SHORT_TERM,
                        StepStatus.SUCCEEDED, false, 4, l3.plusSeconds(90), closed, "succeeded"));
        IncidentSnapshot s = new IncidentSnapshot("search-7", IncidentStatus.CLOSED, DisasterLevel.REGIONAL_DISASTER,
                RecoveryPhase.SHORT_TERM, T0, l3, l3.plusSeconds(90), closed, Duration.ofMinutes(45),
                l3.plus(Duration.ofHours(4)), OperatingMode.REDUCED,
                List.of("service search down", "TIME_BOX_OVERRUN of IMMEDIATE_RESPONSE"), done, List.of(), phases);
        return IncidentReport.of("search", s, config, closed.plusSeconds(5));
    }

    private static ExperimentReport report() {
        return ReportWriterTest.sample().withIncident(incident());
    }

    @Test
    void incident_measuresPhasesAgainstTheConfiguredTimeBoxes() {
        IncidentReport i = incident();
        assertThat(i.phases()).extracting(IncidentReport.PhaseResult::measured)
                .containsExactly(Duration.ofMinutes(10), Duration.ofSeconds(90), Duration.ofMinutes(45));
        assertThat(i.phases()).extracting(IncidentReport.PhaseResult::timeBox)
                .containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(4));
        assertThat(i.phases().get(2).allowed()).isEqualTo(Duration.ofHours(4).minusSeconds(90));
        assertThat(i.anyPhaseOverran()).isTrue();
        assertThat(i.closed()).isTrue();
        assertThat(ReportWriterTest.sample().incident()).isEmpty();
    }

    @Test
    void json_andMarkdown_carryTheIncident() throws Exception {
        JsonNode j = new ObjectMapper().readTree(writer.json(report())).get("incident");
        assertThat(j.get("level").asInt()).isEqualTo(3);
        assertThat(j.get("mode").asText()).isEqualTo("REDUCED");
        assertThat(j.get("phases")).hasSize(3);
        assertThat(j.get("phases").get(0).get("overran").asBoolean()).isTrue();
        assertThat(j.get("phases").get(0).get("measuredMs").asDouble()).isEqualTo(600_000.0);
        assertThat(j.get("phases").get(2).get("timeBoxMs").asLong()).isEqualTo(14_400_000L);
        assertThat(j.get("steps").get(0).get("outcome").asText()).isEqualTo("validation failed");
        assertThat(new ObjectMapper().readTree(writer.json(ReportWriterTest.sample())).get("incident").isNull()).isTrue();

        String md = writer.markdown(report());
        assertThat(md).contains("incident search-7: **CLOSED** at level 3 (REGIONAL_DISASTER), phase SHORT_TERM, mode REDUCED",
                "| 2 | IMMEDIATE_RESPONSE | 10.0 min | 10.0 min |", "| OVERRAN |",
                "| 3 | SHORT_TERM | 45.0 min | 4.0 h |", "| activate-regional-tier (manual) | 3 | IMMEDIATE_RESPONSE | SUCCEEDED | 1 |");
    }

    @Test
    void html_renderedInHeadlessChromium_showsEveryPhaseWithDurationAndTimeBox_andIsNotBlank() throws Exception {
        String html = writer.html(report());
        assertThat(html).doesNotContain("<script", "src=", "href=", "https://", "<link");
        assertThat(html).contains("isolate &lt;service&gt;");

        Chromium.require();
        Path page = writer.writeAll(report(), dir);
        String dom = Chromium.dumpDom(page, dir);
        assertThat(dom).containsPattern("id=\"incident-status\"[^>]*>CLOSED<");
        assertThat(dom).containsPattern("id=\"incident-level\"[^>]*>3 REGIONAL_DISASTER<");
        assertThat(dom).containsPattern("id=\"incident-mode\"[^>]*>REDUCED<");
        assertThat(dom).contains(
                "<td>IMMEDIATE_RESPONSE</td><td class=\"measured\">10.0 min</td><td class=\"time-box\">10.0 min</td>",
                "<td>IMMEDIATE_RESPONSE</td><td class=\"measured\">90.00 s</td><td class=\"time-box\">10.0 min</td>",
                "<td>SHORT_TERM</td><td class=\"measured\">45.0 min</td><td class=\"time-box\">4.0 h</td>",
                "OVERRAN");
        assertThat(dom).contains("id=\"phase-bar-0\"", "id=\"phase-bar-1\"", "id=\"phase-bar-2\"",
                "10.0 min of 10.0 min — OVERRAN", "90.00 s of 10.0 min", "45.0 min of 4.0 h");
        assertThat(dom).contains("TIME_BOX_OVERRUN of IMMEDIATE_RESPONSE", "validation failed");

        Path png = dir.resolve("incident.png");
        Chromium.screenshot(page, png, dir);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 7) {
            for (int y = 0; y < image.getHeight(); y += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(5);
        // the blue of a measured phase bar is on screen
        assertThat(colours).anySatisfy(c -> {
            int r = (c >> 16) & 0xff;
            int b = c & 0xff;
            assertThat(b - r).isGreaterThan(100);
        });
        Files.deleteIfExists(png);
    }
}
