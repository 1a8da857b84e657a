package io.qudag.resilience.health.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.PlanSnapshot;
import io.qudag.resilience.core.plan.StepSnapshot;
import io.qudag.resilience.health.ActiveAlert;
import io.qudag.resilience.health.CompositeHealth;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.HealthStatus;
import io.qudag.resilience.health.predict.EarlyWarning;
import io.qudag.resilience.health.spi.MetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>With a disaster-recovery plan (spec §4.3) the report carries its open {@link Incident}: level,
 * phase with time in phase against the phase's time box, operating mode, and the steps done and
 * pending. An open incident does not change the overall status by itself: the status describes the
 * scores, the incident what is being done about them. Without a plan, or with no open incident,
 * {@code incident} is {@code null}.
 *
 * @param status          UP, DEGRADED, DOWN or UNKNOWN
 * @param at              when the report was made (ISO-8601)
 * @param components      one per subject, sorted by subject
 * @param alerts          the raised alerts
 * @param predictions     the early warnings, worst first
 * @param findings        the latest detector findings, newest first (at most 20)
 * @param rejectedSamples samples rejected as NaN, infinite or negative so far
 * @param incident        the plan's open incident, or {@code null}
 */
public record HealthReport(String status, String at, List<Component> components, List<Alert> alerts,
                           List<Prediction> predictions, List<Finding> findings, long rejectedSamples,
                           Incident incident) {

    private static final Logger log = LoggerFactory.getLogger(HealthReport.class);
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

    /**
     * The open incident of a disaster-recovery plan (spec §4.3), as shown on the health page.
     *
     * @param plan               the plan's name
     * @param id                 the incident's id
     * @param level              the disaster level, 1 to 4
     * @param levelName          the level's name, e.g. SERVICE_DISRUPTION
     * @param phase              the current recovery phase, e.g. IMMEDIATE_RESPONSE
     * @param mode               the operating mode in force (FULL, REDUCED, EMERGENCY)
     * @param openedAt           when it opened
     * @param levelEnteredAt     when it reached its level (time boxes count from here)
     * @param phaseEnteredAt     when its phase began
     * @param timeInPhaseSeconds time in the current phase
     * @param phaseDeadline      the end of the phase's time box
     * @param timeBoxSeconds     the phase's time box, from {@code levelEnteredAt} to {@code phaseDeadline}
     * @param secondsToDeadline  time left until the deadline, negative once overrun
     * @param reasons            why it opened and escalated
     * @param done               steps that finished, in order
     * @param pending            steps still to run, running or waiting
     */
    public record Incident(String plan, String id, int level, String levelName, String phase, String mode,
                           String openedAt, String levelEnteredAt, String phaseEnteredAt, long timeInPhaseSeconds,
                           String phaseDeadline, long timeBoxSeconds, long secondsToDeadline, List<String> reasons,
                           List<Step> done, List<Step> pending) {
    }

    /**
     * One recovery step of an incident.
     *
     * @param procedure the procedure's name
     * @param phase     its phase
     * @param status    PENDING, AWAITING_APPROVAL, RUNNING, WAITING_RETRY, SUCCEEDED, FAILED or SKIPPED
     * @param manual    whether it needs approval
     * @param attempts  attempts started so far
     * @param startedAt when the first attempt started, or {@code null}
     * @param endedAt   when the last attempt ended, or {@code null}
     * @param outcome   the last outcome in words, or {@code null}
     */
    public record Step(String procedure, String phase, String status, boolean manual, int attempts, String startedAt,
                       String endedAt, String outcome) {
    }

    /**
     * {@return the report of {@code system} now, with {@code historyWindow} of score history per subject}
     *
     * @param system the monitoring system reported on
     * @param historyWindow how much score history per subject, at most 24 h
     */
    public static HealthReport of(HealthMonitoringSystem system, Duration historyWindow) {
        return of(system, historyWindow, null);
    }

    /**
     * {@return the report of {@code system} now, with {@code historyWindow} of score history per subject and
     * the open incident of the plan whose snapshots {@code plan} supplies ({@code null}: no plan)} A
     * supplier that fails is logged and the report carries no incident.
     *
     * @param system the monitoring system reported on
     * @param historyWindow how much score history per subject, at most 24 h
     * @param plan supplies the plan's state for the incident section
     */
    public static HealthReport of(HealthMonitoringSystem system, Duration historyWindow, Supplier<PlanSnapshot> plan) {
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
                findings, system.rejectedSamples(), incident(plan));
    }

    private static Incident incident(Supplier<PlanSnapshot> plan) {
        if (plan == null) {
            return null;
        }
        PlanSnapshot snap;
        try {
            snap = plan.get();
        } catch (RuntimeException e) {
            log.warn("Disaster-recovery plan snapshot failed; the report shows no incident", e);
            return null;
        }
        IncidentSnapshot i = snap == null ? null : snap.incident();
        if (i == null) {
            return null;
        }
        return new Incident(snap.plan(), i.id(), i.level().number(), i.level().name(), i.phase().name(),
                String.valueOf(i.mode()), str(i.openedAt()), str(i.levelEnteredAt()), str(i.phaseEnteredAt()),
                i.timeInPhase() == null ? 0 : i.timeInPhase().toSeconds(), str(i.phaseDeadline()),
                seconds(i.levelEnteredAt(), i.phaseDeadline()), seconds(snap.at(), i.phaseDeadline()), i.reasons(),
                steps(i.done()), steps(i.pending()));
    }

    private static List<Step> steps(List<StepSnapshot> steps) {
        List<Step> out = new ArrayList<>(steps.size());
        for (StepSnapshot s : steps) {
            out.add(new Step(s.procedure(), s.phase().name(), s.status().name(), s.manual(), s.attempts(),
                    str(s.startedAt()), str(s.endedAt()), s.outcome()));
        }
        return out;
    }

    private static long seconds(Instant from, Instant to) {
        return from == null || to == null ? 0 : Duration.between(from, to).toSeconds();
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    /** {@return the report as JSON} */
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
