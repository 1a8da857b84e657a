package io.qudag.resilience.examples;

import io.qudag.resilience.health.CompositeHealth;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.event.HealthAlertEvent;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The health module (spec §2.1) on one subject, an MCP endpoint called {@code search-mcp}: three minutes
 * of its request success rate and p95 response time, one sample per second on a clock the example
 * moves by hand (so it takes milliseconds): a healthy minute, a 30 s outage (70% success, p95 2.5 s),
 * then recovery. It prints the composite score every 10 s of that clock, every alert crossing and every
 * automated action, and exits 0 when the score dipped during the outage, alerts were raised and then
 * cleared, and the score came back.
 *
 * <p>With {@code --serve} it then serves the health page and its JSON on 127.0.0.1 (the
 * {@link HealthHttpEndpoint}), prints the URL and waits for Enter. Run: {@code java -cp
 * examples/target/qudag-resilience-examples.jar io.qudag.resilience.examples.HealthExample [--serve]}.
 */
public final class HealthExample {

    static final String SUBJECT = "search-mcp";

    /** What the example saw; {@link #held()} when every point it shows held. */
    record Result(double scoreBefore, double lowestScore, double scoreAfter, List<String> alerts, List<String> actions) {
        boolean held() {
            return scoreBefore >= 90 && lowestScore < 60 && scoreAfter >= 90
                    && alerts.stream().anyMatch(a -> a.contains("RAISED")) && alerts.stream().anyMatch(a -> a.contains("CLEARED"));
        }
    }

    /** A clock the example moves by hand, one sample second at a time. */
    static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private HealthExample() {
    }

    public static void main(String[] args) throws Exception {
        boolean serve = List.of(args).contains("--serve");
        HandClock clock = new HandClock();
        List<String> alerts = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        try (HealthMonitoringSystem health = build(clock, alerts, actions)) {
            Result r = simulate(health, clock, alerts, actions);
            if (serve) {
                try (HealthHttpEndpoint endpoint = HealthHttpEndpoint.builder(health).port(0).build().start()) {
                    System.out.println("health page: " + endpoint.url() + "/  (JSON: " + endpoint.url()
                            + "/health); press Enter to stop");
                    System.in.read();
                }
            }
            System.out.println(r.held() ? "ALL BEHAVIOURS HELD" : "SOME BEHAVIOURS DID NOT HOLD: " + r);
            System.exit(r.held() ? 0 : 1);
        }
    }

    /** Runs the example on a fresh system; used by the test. */
    static Result run() {
        HandClock clock = new HandClock();
        List<String> alerts = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        try (HealthMonitoringSystem health = build(clock, alerts, actions)) {
            return simulate(health, clock, alerts, actions);
        }
    }

    static HealthMonitoringSystem build(HandClock clock, List<String> alerts, List<String> actions) {
        return HealthMonitoringSystem.builder()
                .clock(clock)
                .alertListener(e -> alerts.add(describe(e)))
                .actionListener(e -> actions.add(String.format(Locale.ROOT, "%s %s at score %.1f", e.kind(), e.action(),
                        e.score())))
                .build();
    }

    static Result simulate(HealthMonitoringSystem health, HandClock clock, List<String> alerts, List<String> actions) {
        System.out.println("subject " + SUBJECT + ": " + MetricSpecs.REQUEST_SUCCESS_RATE + " (warning < 0.98) and "
                + MetricSpecs.RESPONSE_TIME_P95 + " (warning > 500 ms), one sample per second; score over 60 s");
        double before = Double.NaN;
        double lowest = 100;
        int alertsPrinted = 0;
        int actionsPrinted = 0;
        for (int second = 1; second <= 180; second++) {
            boolean outage = second > 60 && second <= 90;
            clock.advance(Duration.ofSeconds(1));
            health.record(SUBJECT, MetricSpecs.REQUEST_SUCCESS_RATE, outage ? 0.70 : 1.0);
            health.record(SUBJECT, MetricSpecs.RESPONSE_TIME_P95, outage ? 2_500 : 80 + second % 7);
            health.evaluate();
            CompositeHealth h = health.health(SUBJECT);
            double score = h.score().orElse(Double.NaN);
            lowest = Math.min(lowest, score);
            if (second == 60) {
                before = score;
            }
            for (; alertsPrinted < alerts.size(); alertsPrinted++) {
                System.out.printf("  t=%3d s  alert  %s%n", second, alerts.get(alertsPrinted));
            }
            for (; actionsPrinted < actions.size(); actionsPrinted++) {
                System.out.printf("  t=%3d s  action %s%n", second, actions.get(actionsPrinted));
            }
            if (second % 10 == 0) {
                System.out.printf(Locale.ROOT, "t=%3d s  %-9s score %5.1f %-9s success-rate score %5.1f, p95 score %5.1f%n",
                        second, outage ? "OUTAGE" : second <= 60 ? "healthy" : "recovered", score, h.status(),
                        h.metrics().getOrDefault(MetricSpecs.REQUEST_SUCCESS_RATE, Double.NaN),
                        h.metrics().getOrDefault(MetricSpecs.RESPONSE_TIME_P95, Double.NaN));
            }
        }
        double after = health.health(SUBJECT).score().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "score %.1f before the outage, lowest %.1f, %.1f after recovery; %d alert crossings,"
                + " %d actions%n", before, lowest, after, alerts.size(), actions.size());
        return new Result(before, lowest, after, List.copyOf(alerts), List.copyOf(actions));
    }

    private static String describe(HealthAlertEvent e) {
        return String.format(Locale.ROOT, "%s %s %s -> %s (sample %.2f, threshold %.2f)", e.metric(), e.kind(),
                e.previousLevel(), e.level(), e.value(), e.threshold());
    }
}
