package io.qudag.resilience.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.chaos.FaultKind;
import io.qudag.resilience.chaos.testing.Chromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    private final ReportWriter writer = new ReportWriter();

    static ExperimentReport sample() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        List<ProbeSample> samples = new ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            Instant at = t0.plusMillis(250L * i);
            boolean disrupted = i >= 9 && i <= 13;
            samples.add(new ProbeSample(at, "error-rate", disrupted ? 0.4 : 0.0, !disrupted));
            samples.add(new ProbeSample(at, "p95 <script>", disrupted ? 900 : 40 + i, !disrupted));
        }
        FaultWindow partition = new FaultWindow("partition-primary", FaultKind.NETWORK,
                "partition TCP proxy primary", 0.5, t0.plusSeconds(2), t0.plusSeconds(5), true, true,
                Optional.of(Duration.ofMillis(1250)));
        FaultWindow freeze = new FaultWindow("freeze-primary", FaultKind.NETWORK, "freeze TCP proxy primary", 0.5,
                t0.plusSeconds(6), t0.plusSeconds(8), true, false, Optional.of(Duration.ZERO));
        return new ExperimentReport("primary partition & freeze", ExperimentStatus.PASSED, false, t0,
                t0.plusSeconds(10), "errors stay under 5%", true, true, 0.5, 0.5, Duration.ofMillis(250),
                List.of(partition, freeze),
                List.of(new ProbeSummary("error-rate", "ERROR_RATE", "ratio", Double.NaN, 0.05, 41, 5, 0.4),
                        new ProbeSummary("p95 <script>", "P95_LATENCY", "ms", Double.NaN, 500, 41, 5, 900)),
                samples, Optional.of(Duration.ofMillis(1250)), Optional.of(Duration.ZERO), RecoveryObjective.CRITICAL,
                List.of(new FunctionalityResult("read tools", FeatureClass.CORE, 100.0),
                        new FunctionalityResult("search", FeatureClass.OPTIONAL, 75.0)),
                Optional.empty(), Optional.empty(), Optional.of(t0.plusSeconds(9)), List.of("heal proxies: done"),
                List.of()).withDataLoss(DataLoss.none(1234));
    }

    @Test
    void json_carriesTheFiguresAndWindows() throws Exception {
        JsonNode j = new ObjectMapper().readTree(writer.json(sample()));
        assertThat(j.get("status").asText()).isEqualTo("PASSED");
        assertThat(j.get("rtoMs").asDouble()).isEqualTo(1250.0);
        assertThat(j.get("rpoMs").asDouble()).isEqualTo(0.0);
        assertThat(j.get("objective").get("rtoMet").asBoolean()).isTrue();
        assertThat(j.get("dataLoss").get("acknowledged").asLong()).isEqualTo(1234);
        assertThat(j.get("dataLoss").get("lost").asLong()).isZero();
        assertThat(j.get("dataLoss").get("windowMs").asLong()).isZero();
        assertThat(j.get("faults")).hasSize(2);
        assertThat(j.get("faults").get(0).get("name").asText()).isEqualTo("partition-primary");
        assertThat(j.get("probes").get(0).get("min").isNull()).isTrue();
        assertThat(j.get("samples")).hasSize(82);
        assertThat(j.get("functionality").get(1).get("passed").asBoolean()).isFalse();
    }

    @Test
    void markdown_summarisesTheRun() {
        String md = writer.markdown(sample());
        assertThat(md).contains("# Chaos report: primary partition & freeze", "Status: **PASSED**",
                "RTO: 1.25 s (objective CRITICAL < 30.00 s: met)", "| partition TCP proxy primary | NETWORK | 50%",
                "| search | OPTIONAL | 75% | 80% | FAIL |", "- Data lost: 0 of 1234 acknowledged records");
    }

    @Test
    void html_isSelfContained() {
        String html = writer.html(sample());
        assertThat(html).doesNotContain("<script", "src=", "href=", "https://", "<link");
        assertThat(html).contains("p95 &lt;script&gt;");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://");
    }

    @Test
    void html_renderedInHeadlessChromium_showsTheRtoAndEveryFaultWindow_andIsNotBlank() throws Exception {
        Chromium.require();
        Path page = writer.writeAll(sample(), dir);
        assertThat(dir.resolve("report.json")).exists();
        assertThat(dir.resolve("report.md")).exists();

        String dom = Chromium.dumpDom(page, dir);
        assertThat(dom).contains("id=\"rto-value\"");
        assertThat(dom).containsPattern("id=\"rto-value\"[^>]*>1\\.25 s<");
        assertThat(dom).containsPattern("id=\"data-loss-value\"[^>]*>0 of 1234<");
        assertThat(dom).contains("id=\"fault-window-0\"", "data-fault=\"partition-primary\"",
                "id=\"fault-window-1\"", "data-fault=\"freeze-primary\"", "id=\"rto-marker-0\"", "RTO 1.25 s");
        assertThat(dom).contains("<td>CRITICAL</td><td>&lt; 30.00 s</td><td>&lt; 5.00 s</td>");

        Path png = dir.resolve("report.png");
        Chromium.screenshot(page, png, dir);
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 7) {
            for (int y = 0; y < image.getHeight(); y += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(5);
        // the red of an injected fault window is on screen
        assertThat(colours).anySatisfy(c -> {
            int r = (c >> 16) & 0xff;
            int g = (c >> 8) & 0xff;
            int b = c & 0xff;
            assertThat(r - g).isGreaterThan(60);
            assertThat(r - b).isGreaterThan(60);
        });
        Files.deleteIfExists(png);
    }
}
