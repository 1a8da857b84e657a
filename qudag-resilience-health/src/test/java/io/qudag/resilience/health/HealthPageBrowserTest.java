package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health page as a person sees it: headless Chromium renders it from the live endpoint. Fails
 * (does not skip) when {@code CI} is set and chromium is missing.
 */
class HealthPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock).build();
    private final List<Process> processes = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HealthHttpEndpoint endpoint;
    private DisasterRecoveryPlan plan;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (plan != null) {
            plan.close();
        }
        system.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                fail("CI is set but " + CHROMIUM + " is missing");
            }
            Assumptions.abort("chromium not installed");
        }
    }

    private String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=3000"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout-" + processes.size());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(dir.resolve("stderr").toFile())
                .start();
        processes.add(p);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            fail("chromium did not finish within 60 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void pageShowsScoresHistoryAndActiveAlert() throws Exception {
        requireChromium();
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            system.record("mcp-primary", MetricSpecs.RESPONSE_TIME_P95, 100 + i);
            system.record("mcp-backup", MetricSpecs.RESPONSE_TIME_P95, i < 20 ? 200 : 1200);
            system.evaluate();
        }
        endpoint = HealthHttpEndpoint.builder(system).build().start();

        String dom = chromium("--dump-dom", endpoint.url() + "/health/page");
        assertThat(dom).contains("data-subject=\"mcp-primary\"", "data-subject=\"mcp-backup\"");
        double primary = system.health("mcp-primary").score().getAsDouble();
        assertThat(dom).contains(String.format(java.util.Locale.ROOT, "<div class=\"score\">%.1f</div>", primary));
        assertThat(dom).contains("<polyline");
        assertThat(dom).containsPattern("id=\"alert-table\".*mcp-backup.*response_time_p95.*CRITICAL");

        assertThat(dom).as("no plan, no incident section").containsPattern("<div id=\"incident\" hidden=\"\"></div>");
        assertScreenshotNotBlank(endpoint.url() + "/", "health.png");
    }

    @Test
    void pageShowsTheOpenIncidentOfALevel2Plan() throws Exception {
        requireChromium();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            system.record("search", MetricSpecs.RESPONSE_TIME_P95, 150);
            system.evaluate();
        }
        plan = Level2Incident.drive(clock, executor);
        clock.advance(Duration.ofMinutes(3));
        plan.tick();
        endpoint = HealthHttpEndpoint.builder(system).plan(plan).build().start();

        String dom = chromium("--dump-dom", endpoint.url() + "/health/page");
        String incident = plan.currentIncident().orElseThrow().id();
        assertThat(dom).contains("data-incident=\"" + incident + "\"");
        assertThat(dom).contains("id=\"incident-level\">Level 2 SERVICE_DISRUPTION<");
        assertThat(dom).contains("id=\"incident-phase\">SHORT_TERM<");
        assertThat(dom).contains("id=\"incident-mode\">REDUCED<");
        assertThat(dom).contains("In phase 3 min 0 s of a 4 h 0 min time box");
        assertThat(dom).containsPattern("id=\"incident-steps\".*" + Level2Incident.ISOLATE + ".*SUCCEEDED.*"
                + Level2Incident.ACTIVATE + " \\(manual\\).*AWAITING_APPROVAL");
        assertThat(dom).as("the subject card is still there").contains("data-subject=\"search\"");

        assertScreenshotNotBlank(endpoint.url() + "/", "incident.png");
    }

    private void assertScreenshotNotBlank(String url, String name) throws Exception {
        Path png = dir.resolve(name);
        chromium("--screenshot=" + png, "--window-size=1200,900", url);
        assertThat(png).exists();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(10);
    }
}
