package io.qudag.resilience.health.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qudag.resilience.health.ActiveAlert;
import io.qudag.resilience.health.CompositeHealth;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.HealthStatus;
import io.qudag.resilience.health.predict.EarlyWarning;
import io.qudag.resilience.health.spi.MetricSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON health report (spec §2.1, §2.2 "health status reporting"): an overall status and one
 * component per subject with its composite score, grade, dimension and metric scores, source states
 * and score history, plus the active alerts and the current predictions. Serialised with Jackson by
 * {@link #toJson()}.
 *
 * <p>Overall status: UNKNOWN while no subject has data; DOWN when any subject is CRITICAL (score
 * below 40); DEGRADED when any is FAIR or POOR or any alert is raised; otherwise UP. A component
 * without data has status UNKNOWN and score {@code null}, never NaN.
 *
 * @param status          UP, DEGRADED, DOWN or UNKNOWN
 * @param at              when the report was made (ISO-8601)
 * @param components      one per subject, sorted by subject
 * @param alerts          the raised alerts
 * @param predictions     the early warnings, worst first
 * @param findings        the latest detector findings, newest first (at most 20)
 * @param rejectedSamples samples rejected as NaN, infinite or negative so far
 */
public record HealthReport(String status, String at, List<Component> components, List<Alert> alerts,
                           List<Prediction> predictions, List<Finding> findings, long rejectedSamples) {

    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /**
     * One subject.
     *
     * @param subject    the subject
     * @param status     UNKNOWN or a grade
     * @param score      the composite, null without data
     * @param dimensions dimension name to score
     * @param metrics    metric name to score
     * @param sources    metric name to source state (AVAILABLE, UNSUPPORTED)
     * @param history    score history points {@code [epochMillis, score]}, oldest first
     */
    public record Component(String subject, String status, Double score, Map<String, Double> dimensions,
                            Map<String, Double> metrics, Map<String, String> sources, List<double[]> history) {
    }

    /** One raised alert. */
    public record Alert(String subject, String metric, String level, double value, double threshold, String since) {
    }

    /** One early warning. */
    public record Prediction(String subject, String metric, String level, double confidence,
                             long secondsToThreshold, double threshold, String reason) {
    }

    /** One detector finding. */
    public record Finding(String subject, String metric, String kind, double value, String detail, String at) {
    }

    /** The report of {@code system} now, with {@code historyWindow} of score history per subject. */
    public static HealthReport of(HealthMonitoringSystem system, Duration historyWindow) {
        List<Component> components = new ArrayList<>();
        Map<String, Map<String, MetricSource.State>> sources = system.sourceStates();
        boolean anyData = false;
        boolean down = false;
        boolean degraded = false;
        for (String subject : system.subjects()) {
            CompositeHealth h = system.health(subject);
            anyData |= h.status() != HealthStatus.UNKNOWN;
            down |= h.status() == HealthStatus.CRITICAL;
            degraded |= h.status() == HealthStatus.FAIR || h.status() == HealthStatus.POOR;
            Map<String, Double> dims = new LinkedHashMap<>();
            h.dimensions().forEach((k, v) -> dims.put(k.name(), round(v)));
            Map<String, Double> metrics = new LinkedHashMap<>();
            h.metrics().forEach((k, v) -> metrics.put(k, round(v)));
            Map<String, String> src = new LinkedHashMap<>();
            sources.getOrDefault(subject, Map.of()).forEach((k, v) -> src.put(k, v.name()));
            List<double[]> history = new ArrayList<>();
            for (double[] p : system.scoreHistory(subject, historyWindow)) {
                history.add(new double[] {p[0], round(p[1])});
            }
            components.add(new Component(subject, h.status().name(),
                    h.score().isPresent() ? round(h.score().getAsDouble()) : null, dims, metrics, src, history));
        }
        List<Alert> alerts = new ArrayList<>();
        for (ActiveAlert a : system.alerts()) {
            alerts.add(new Alert(a.subject(), a.metric(), a.level().name(), round(a.value()), a.threshold(),
                    a.since().toString()));
        }
        List<Prediction> predictions = new ArrayList<>();
        for (EarlyWarning w : system.warnings()) {
            predictions.add(new Prediction(w.subject(), w.metric(), w.level().name(), round(w.confidence()),
                    w.timeToThreshold().toSeconds(), w.threshold(), w.reason()));
        }
        List<Finding> findings = new ArrayList<>();
        List<io.qudag.resilience.health.event.HealthFindingEvent> all = system.findings();
        for (int i = all.size() - 1; i >= 0 && findings.size() < 20; i--) {
            io.qudag.resilience.health.event.HealthFindingEvent f = all.get(i);
            findings.add(new Finding(f.subject(), f.metric(), f.kind().name(), round(f.value()), f.detail(),
                    f.at().toString()));
        }
        String status = !anyData ? "UNKNOWN" : down ? "DOWN" : degraded || !alerts.isEmpty() ? "DEGRADED" : "UP";
        return new HealthReport(status, system.clock().instant().toString(), components, alerts, predictions,
                findings, system.rejectedSamples());
    }

    /** The report as JSON. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health report not serialisable", e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
