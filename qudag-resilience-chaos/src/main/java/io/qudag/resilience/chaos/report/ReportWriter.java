package io.qudag.resilience.chaos.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.core.plan.StepSnapshot;
import io.qudag.resilience.core.plan.StepStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes an {@link ExperimentReport} (spec §5.1 {@code automated_report_generation}) as JSON (Jackson),
 * a Markdown summary, and one self-contained HTML page — inline CSS and an inline SVG timeline of the
 * fault windows, the probe readings against their tolerances and the RTO marker; no script, no external
 * resource. A drill run against a disaster-recovery plan (spec §4.3) adds the plan's incident: level,
 * operating mode, each phase's measured duration against its time box (a table and inline SVG bars)
 * and the recovery steps with their outcomes. Stateless and thread-safe.
 */
public final class ReportWriter {

    private static final int WIDTH = 1100;
    private static final int LEFT = 170;
    private static final int RIGHT = 30;
    private static final int FAULT_ROW = 34;
    private static final int PROBE_ROW = 90;

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes {@code report.json}, {@code report.md} and {@code report.html} into {@code dir}; returns the HTML file.
     *
     * @param report the report
     * @param dir    the directory (created when missing)
     * @return the HTML file
     * @throws IOException when a file cannot be written
     */
    public Path writeAll(ExperimentReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), json(report), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.md"), markdown(report), StandardCharsets.UTF_8);
        Path html = dir.resolve("report.html");
        Files.writeString(html, html(report), StandardCharsets.UTF_8);
        return html;
    }

    // ------------------------------------------------------------------ JSON

    /**
     * {@return the report as indented JSON}
     *
     * @param r the report
     */
    public String json(ExperimentReport r) {
        ObjectNode root = mapper.createObjectNode();
        root.put("title", r.title());
        root.put("status", r.status().name());
        root.put("passed", r.passed());
        root.put("dryRun", r.dryRun());
        root.put("startedAt", r.startedAt().toString());
        root.put("endedAt", r.endedAt().toString());
        root.put("hypothesis", r.hypothesis());
        root.put("hypothesisHeldBefore", r.hypothesisHeldBefore());
        root.put("hypothesisHeldAfter", r.hypothesisHeldAfter());
        root.put("blastRadiusLimit", r.blastRadiusLimit());
        root.put("blastRadiusReached", r.blastRadiusReached());
        root.put("probeIntervalMs", r.probeInterval().toMillis());
        putDuration(root, "rtoMs", r.rto());
        putDuration(root, "rpoMs", r.rpo());
        ObjectNode objective = root.putObject("objective");
        objective.put("class", r.objective().name());
        objective.put("rtoMs", r.objective().rto().toMillis());
        objective.put("rpoMs", r.objective().rpo().toMillis());
        objective.put("rtoMet", r.rtoMet());
        objective.put("rpoMet", r.rpoMet());
        r.dataLoss().ifPresent(d -> {
            ObjectNode loss = root.putObject("dataLoss");
            loss.put("acknowledged", d.acknowledged());
            loss.put("lost", d.lost());
            loss.put("windowMs", d.window().toMillis());
        });
        ArrayNode faults = root.putArray("faults");
        for (FaultWindow w : r.faults()) {
            ObjectNode f = faults.addObject();
            f.put("name", w.name());
            f.put("kind", w.kind().name());
            f.put("description", w.description());
            f.put("share", w.share());
            f.put("start", w.start().toString());
            f.put("end", w.end().toString());
            f.put("injected", w.injected());
            f.put("disrupted", w.disrupted());
            putDuration(f, "rtoMs", w.rto());
        }
        ArrayNode probes = root.putArray("probes");
        for (ProbeSummary p : r.probes()) {
            ObjectNode o = probes.addObject();
            o.put("name", p.name());
            o.put("kind", p.kind());
            o.put("unit", p.unit());
            putNumber(o, "min", p.min());
            putNumber(o, "max", p.max());
            o.put("samples", p.samples());
            o.put("violations", p.violations());
            putNumber(o, "worst", p.worst());
        }
        ArrayNode samples = root.putArray("samples");
        for (ProbeSample s : r.samples()) {
            ObjectNode o = samples.addObject();
            o.put("at", s.at().toString());
            o.put("probe", s.probe());
            putNumber(o, "value", s.value());
            o.put("within", s.within());
        }
        ArrayNode functionality = root.putArray("functionality");
        for (FunctionalityResult f : r.functionality()) {
            ObjectNode o = functionality.addObject();
            o.put("name", f.name());
            o.put("class", f.featureClass().name());
            o.put("percent", f.percent());
            o.put("requiredPercent", f.featureClass().requiredPercent());
            o.put("passed", f.passed());
        }
        r.abortReason().ifPresent(a -> root.put("abortReason", a));
        r.abortedAt().ifPresent(a -> root.put("abortedAt", a.toString()));
        r.rolledBackAt().ifPresent(a -> root.put("rolledBackAt", a.toString()));
        ArrayNode rollbacks = root.putArray("rollbacks");
        r.rollbacks().forEach(rollbacks::add);
        ArrayNode errors = root.putArray("errors");
        r.errors().forEach(errors::add);
        if (r.incident().isPresent()) {
            incidentJson(root.putObject("incident"), r.incident().get());
        } else {
            root.putNull("incident");
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putDuration(ObjectNode o, String field, Optional<Duration> d) {
        if (d.isPresent()) {
            o.put(field, d.get().toNanos() / 1e6);
        } else {
            o.putNull(field);
        }
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    private static void incidentJson(ObjectNode o, IncidentReport i) {
        o.put("plan", i.plan());
        o.put("id", i.id());
        o.put("status", i.status().name());
        o.put("closed", i.closed());
        o.put("level", i.level().number());
        o.put("levelName", i.level().name());
        o.put("phase", i.phase().name());
        o.put("mode", i.mode().name());
        o.put("openedAt", i.openedAt().toString());
        putInstant(o, "closedAt", i.closedAt());
        o.put("takenAt", i.takenAt().toString());
        ArrayNode reasons = o.putArray("reasons");
        i.reasons().forEach(reasons::add);
        ArrayNode phases = o.putArray("phases");
        for (IncidentReport.PhaseResult p : i.phases()) {
            ObjectNode n = phases.addObject();
            n.put("level", p.level().number());
            n.put("phase", p.phase().name());
            n.put("enteredAt", p.enteredAt().toString());
            putInstant(n, "endedAt", p.endedAt());
            n.put("measuredMs", p.measured().toNanos() / 1e6);
            n.put("timeBoxMs", p.timeBox().toMillis());
            n.put("deadline", p.deadline().toString());
            n.put("allowedMs", p.allowed().toMillis());
            n.put("overran", p.overran());
        }
        ArrayNode steps = o.putArray("steps");
        for (StepSnapshot st : i.steps()) {
            ObjectNode n = steps.addObject();
            n.put("procedure", st.procedure());
            n.put("level", st.level().number());
            n.put("phase", st.phase().name());
            n.put("status", st.status().name());
            n.put("manual", st.manual());
            n.put("attempts", st.attempts());
            putInstant(n, "startedAt", st.startedAt());
            putInstant(n, "endedAt", st.endedAt());
            if (st.outcome() == null) {
                n.putNull("outcome");
            } else {
                n.put("outcome", st.outcome());
            }
        }
    }

    private static void putInstant(ObjectNode o, String field, Instant t) {
        if (t == null) {
            o.putNull(field);
        } else {
            o.put(field, t.toString());
        }
    }

    // ------------------------------------------------------------------ Markdown

    /**
     * {@return the report as Markdown}
     *
     * @param r the report
     */
    public String markdown(ExperimentReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Chaos report: ").append(r.title()).append("\n\n");
        md.append("- Status: **").append(r.status()).append("**").append(r.dryRun() ? " (dry run: nothing injected)" : "")
                .append('\n');
        md.append("- Hypothesis: ").append(r.hypothesis()).append(" — held before: ").append(yes(r.hypothesisHeldBefore()))
                .append(", after: ").append(yes(r.hypothesisHeldAfter())).append('\n');
        md.append("- Run: ").append(r.startedAt()).append(" → ").append(r.endedAt()).append('\n');
        md.append("- Blast radius: reached ").append(pct(r.blastRadiusReached())).append(" of limit ")
                .append(pct(r.blastRadiusLimit())).append('\n');
        md.append("- RTO: ").append(fmt(r.rto())).append(" (objective ").append(r.objective()).append(" < ")
                .append(fmt(r.objective().rto())).append(": ").append(verdict(r.rto().isPresent(), r.rtoMet())).append(")\n");
        md.append("- RPO: ").append(fmt(r.rpo())).append(" (objective ").append(r.objective()).append(" < ")
                .append(fmt(r.objective().rpo())).append(": ").append(verdict(r.rpo().isPresent(), r.rpoMet())).append(")\n");
        r.dataLoss().ifPresent(d -> md.append("- Data lost: ").append(d.lost()).append(" of ").append(d.acknowledged())
                .append(" acknowledged records\n"));
        r.abortReason().ifPresent(a -> md.append("- Aborted: ").append(a).append('\n'));
        md.append("\n## Faults\n\n| fault | kind | share | start | end | injected | RTO |\n|---|---|---|---|---|---|---|\n");
        for (FaultWindow w : r.faults()) {
            md.append("| ").append(w.description()).append(" | ").append(w.kind()).append(" | ").append(pct(w.share()))
                    .append(" | ").append(offset(r, w.start())).append(" | ").append(offset(r, w.end())).append(" | ")
                    .append(yes(w.injected())).append(" | ").append(fmt(w.rto())).append(" |\n");
        }
        md.append("\n## Probes\n\n| probe | tolerance | samples | violations | worst |\n|---|---|---|---|---|\n");
        for (ProbeSummary p : r.probes()) {
            md.append("| ").append(p.name()).append(" | ").append(tolerance(p)).append(" | ").append(p.samples())
                    .append(" | ").append(p.violations()).append(" | ").append(num(p.worst())).append(' ')
                    .append(p.unit()).append(" |\n");
        }
        if (!r.functionality().isEmpty()) {
            md.append("\n## Functionality\n\n| check | class | measured | required | |\n|---|---|---|---|---|\n");
            for (FunctionalityResult f : r.functionality()) {
                md.append("| ").append(f.name()).append(" | ").append(f.featureClass()).append(" | ")
                        .append(num(f.percent())).append("% | ").append(num(f.featureClass().requiredPercent()))
                        .append("% | ").append(f.passed() ? "pass" : "FAIL").append(" |\n");
            }
        }
        r.incident().ifPresent(i -> incidentMarkdown(md, i));
        if (!r.rollbacks().isEmpty() || !r.errors().isEmpty()) {
            md.append("\n## Rollbacks and errors\n\n");
            r.rollbacks().forEach(x -> md.append("- rollback ").append(x).append('\n'));
            r.errors().forEach(x -> md.append("- error: ").append(x).append('\n'));
        }
        return md.toString();
    }

    private static void incidentMarkdown(StringBuilder md, IncidentReport i) {
        md.append("\n## Disaster-recovery incident\n\n");
        md.append("- Plan ").append(i.plan()).append(", incident ").append(i.id()).append(": **").append(i.status())
                .append("** at level ").append(i.level().number()).append(" (").append(i.level()).append("), phase ")
                .append(i.phase()).append(", mode ").append(i.mode()).append('\n');
        md.append("- Opened ").append(i.openedAt()).append(i.closedAt() == null ? ", still open at " + i.takenAt()
                : ", closed " + i.closedAt()).append('\n');
        i.reasons().forEach(x -> md.append("- Reason: ").append(x).append('\n'));
        md.append("\n| level | phase | measured | time box | deadline | |\n|---|---|---|---|---|---|\n");
        for (IncidentReport.PhaseResult p : i.phases()) {
            md.append("| ").append(p.level().number()).append(" | ").append(p.phase()).append(" | ")
                    .append(fmt(p.measured())).append(" | ").append(fmt(p.timeBox())).append(" | ").append(p.deadline())
                    .append(" | ").append(p.overran() ? "OVERRAN" : "within").append(" |\n");
        }
        md.append("\n| step | level | phase | status | attempts | outcome |\n|---|---|---|---|---|---|\n");
        for (StepSnapshot st : i.steps()) {
            md.append("| ").append(st.procedure()).append(st.manual() ? " (manual)" : "").append(" | ")
                    .append(st.level().number()).append(" | ").append(st.phase()).append(" | ").append(st.status())
                    .append(" | ").append(st.attempts()).append(" | ").append(st.outcome() == null ? "" : st.outcome())
                    .append(" |\n");
        }
    }

    // ------------------------------------------------------------------ HTML

    /**
     * {@return the report as one self-contained HTML page}
     *
     * @param r the report
     */
    public String html(ExperimentReport r) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Chaos report: ").append(esc(r.title())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}")
                .append("h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:22px 0 8px}")
                .append(".status{display:inline-block;padding:3px 10px;border-radius:4px;color:#fff;font-weight:600}")
                .append(".PASSED,.DRY_RUN{background:#1f8a4c}.FAILED,.ERROR{background:#c0392b}")
                .append(".ABORTED,.NOT_STEADY,.CHAOS_OFF{background:#d68910}")
                .append(".figures{display:flex;gap:16px;margin:14px 0}.figure{border:1px solid #d5d9e0;border-radius:6px;padding:10px 16px}")
                .append(".figure b{display:block;font-size:24px}.ok{color:#1f8a4c}.bad{color:#c0392b}")
                .append("table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #d5d9e0;padding:4px 9px;font-size:13px;text-align:left}")
                .append("th{background:#f0f2f6}svg{border:1px solid #d5d9e0;background:#fbfcfe}</style></head><body>\n");
        h.append("<h1>Chaos report: ").append(esc(r.title())).append("</h1>\n");
        h.append("<p><span id=\"status\" class=\"status ").append(r.status()).append("\">").append(r.status())
                .append("</span> ").append(r.dryRun() ? "dry run — nothing was injected. " : "")
                .append("Hypothesis <i>").append(esc(r.hypothesis())).append("</i>: held before ")
                .append(yes(r.hypothesisHeldBefore())).append(", after ").append(yes(r.hypothesisHeldAfter()))
                .append(". ").append(esc(r.startedAt().toString())).append(" → ").append(esc(r.endedAt().toString()))
                .append("</p>\n");
        r.abortReason().ifPresent(a -> h.append("<p id=\"abort\" class=\"bad\">Aborted: ").append(esc(a)).append("</p>\n"));
        h.append("<div class=\"figures\">");
        figure(h, "rto-value", "Measured RTO", fmt(r.rto()), "objective " + r.objective() + " &lt; "
                + fmt(r.objective().rto()), r.rto().isPresent() ? r.rtoMet() : null);
        figure(h, "rpo-value", "Measured RPO", fmt(r.rpo()), "objective " + r.objective() + " &lt; "
                + fmt(r.objective().rpo()), r.rpo().isPresent() ? r.rpoMet() : null);
        r.dataLoss().ifPresent(d -> figure(h, "data-loss-value", "Acknowledged records lost",
                d.lost() + " of " + d.acknowledged(), "counted record by record after recovery", d.nothingLost()));
        figure(h, "faults-injected", "Faults injected", Long.toString(r.faultsInjected()), "of " + r.faults().size()
                + " planned", null);
        figure(h, "blast-radius", "Blast radius", pct(r.blastRadiusReached()), "limit " + pct(r.blastRadiusLimit()),
                r.blastRadiusReached() <= r.blastRadiusLimit());
        h.append("</div>\n<h2>Timeline</h2>\n");
        timeline(h, r);
        r.incident().ifPresent(i -> incidentHtml(h, i));
        h.append("<h2>Faults</h2>\n<table id=\"faults\"><tr><th>fault</th><th>kind</th><th>share</th><th>from</th>")
                .append("<th>to</th><th>injected</th><th>RTO</th></tr>");
        for (FaultWindow w : r.faults()) {
            h.append("<tr><td>").append(esc(w.description())).append("</td><td>").append(w.kind()).append("</td><td>")
                    .append(pct(w.share())).append("</td><td>").append(offset(r, w.start())).append("</td><td>")
                    .append(offset(r, w.end())).append("</td><td>").append(yes(w.injected())).append("</td><td>")
                    .append(fmt(w.rto())).append("</td></tr>");
        }
        h.append("</table>\n<h2>Probes</h2>\n<table id=\"probes\"><tr><th>probe</th><th>kind</th><th>tolerance</th>")
                .append("<th>samples</th><th>violations</th><th>worst</th></tr>");
        for (ProbeSummary p : r.probes()) {
            h.append("<tr><td>").append(esc(p.name())).append("</td><td>").append(p.kind()).append("</td><td>")
                    .append(esc(tolerance(p))).append(' ').append(esc(p.unit())).append("</td><td>").append(p.samples())
                    .append("</td><td class=\"").append(p.violations() == 0 ? "ok" : "bad").append("\">")
                    .append(p.violations()).append("</td><td>").append(num(p.worst())).append("</td></tr>");
        }
        h.append("</table>\n<h2>Recovery objectives (spec §5.2)</h2>\n<table id=\"objectives\"><tr><th>class</th>")
                .append("<th>RTO</th><th>RPO</th></tr>");
        for (RecoveryObjective o : RecoveryObjective.values()) {
            h.append("<tr").append(o == r.objective() ? " style=\"font-weight:700\"" : "").append("><td>").append(o)
                    .append("</td><td>&lt; ").append(fmt(o.rto())).append("</td><td>&lt; ").append(fmt(o.rpo()))
                    .append("</td></tr>");
        }
        h.append("</table>\n<h2>Functionality (spec §5.2)</h2>\n<table id=\"functionality\"><tr><th>check</th>")
                .append("<th>class</th><th>measured</th><th>required</th><th></th></tr>");
        for (FunctionalityResult f : r.functionality()) {
            h.append("<tr><td>").append(esc(f.name())).append("</td><td>").append(f.featureClass()).append("</td><td>")
                    .append(num(f.percent())).append("%</td><td>").append(num(f.featureClass().requiredPercent()))
                    .append("%</td><td class=\"").append(f.passed() ? "ok\">pass" : "bad\">FAIL").append("</td></tr>");
        }
        if (r.functionality().isEmpty()) {
            h.append("<tr><td colspan=\"5\">no functionality checks (required: core 100%, important 95%, standard 90%, ")
                    .append("optional 80%)</td></tr>");
        }
        h.append("</table>\n");
        if (!r.rollbacks().isEmpty() || !r.errors().isEmpty()) {
            h.append("<h2>Rollbacks and errors</h2><ul>");
            r.rollbacks().forEach(x -> h.append("<li>rollback ").append(esc(x)).append("</li>"));
            r.errors().forEach(x -> h.append("<li class=\"bad\">").append(esc(x)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static final int PHASE_ROW = 34;

    private static void incidentHtml(StringBuilder h, IncidentReport i) {
        h.append("<h2>Disaster-recovery incident (spec §4.3)</h2>\n<div class=\"figures\">");
        figure(h, "incident-status", "Incident " + esc(i.id()), i.status().name(),
                i.closedAt() == null ? "still open" : "closed " + esc(i.closedAt().toString()), i.closed());
        figure(h, "incident-level", "Level", i.level().number() + " " + i.level(), "plan " + esc(i.plan()),
                null);
        figure(h, "incident-mode", "Operating mode", i.mode().name(), "phase " + i.phase(), null);
        h.append("</div>\n");
        if (!i.reasons().isEmpty()) {
            h.append("<ul id=\"incident-reasons\">");
            i.reasons().forEach(x -> h.append("<li>").append(esc(x)).append("</li>"));
            h.append("</ul>\n");
        }
        // phase bars: the measured duration against the time the phase had, full width = the time box
        int height = 16 + Math.max(1, i.phases().size()) * PHASE_ROW;
        int plot = WIDTH - LEFT - RIGHT - 260;
        h.append("<svg id=\"phase-bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" font-size=\"12\">\n");
        int y = 8;
        for (int n = 0; n < i.phases().size(); n++) {
            IncidentReport.PhaseResult p = i.phases().get(n);
            double used = Math.min(1.0, p.usedShare());
            h.append("<g id=\"phase-bar-").append(n).append("\" class=\"phase-bar\" data-phase=\"").append(p.phase())
                    .append("\"><text x=\"8\" y=\"").append(y + 17).append("\">L").append(p.level().number()).append(' ')
                    .append(p.phase()).append("</text>");
            h.append("<rect x=\"").append(LEFT).append("\" y=\"").append(y).append("\" width=\"").append(plot)
                    .append("\" height=\"").append(PHASE_ROW - 10).append("\" fill=\"#eef1f5\" stroke=\"#9aa3b2\"><title>")
                    .append("time box ").append(fmt(p.timeBox())).append("</title></rect>");
            h.append("<rect class=\"measured\" x=\"").append(LEFT).append("\" y=\"").append(y).append("\" width=\"")
                    .append(f1(Math.max(3, plot * used))).append("\" height=\"").append(PHASE_ROW - 10).append("\" fill=\"")
                    .append(p.overran() ? "#c0392b" : "#2e86c1").append("\"><title>measured ").append(fmt(p.measured()))
                    .append("</title></rect>");
            h.append("<text x=\"").append(LEFT + plot + 10).append("\" y=\"").append(y + 17).append("\" fill=\"")
                    .append(p.overran() ? "#c0392b" : "#1d2330").append("\">").append(fmt(p.measured())).append(" of ")
                    .append(fmt(p.allowed())).append(p.overran() ? " — OVERRAN" : "").append("</text></g>\n");
            y += PHASE_ROW;
        }
        h.append("</svg>\n");
        h.append("<table id=\"incident-phases\"><tr><th>level</th><th>phase</th><th>measured</th><th>time box</th>")
                .append("<th>deadline</th><th></th></tr>");
        for (IncidentReport.PhaseResult p : i.phases()) {
            h.append("<tr class=\"phase\" data-phase=\"").append(p.phase()).append("\"><td>").append(p.level().number())
                    .append("</td><td>").append(p.phase()).append("</td><td class=\"measured\">").append(fmt(p.measured()))
                    .append("</td><td class=\"time-box\">").append(fmt(p.timeBox())).append("</td><td>")
                    .append(esc(p.deadline().toString())).append("</td><td class=\"")
                    .append(p.overran() ? "bad\">OVERRAN" : "ok\">within").append("</td></tr>");
        }
        h.append("</table>\n<table id=\"incident-steps\"><tr><th>step</th><th>level</th><th>phase</th><th>status</th>")
                .append("<th>attempts</th><th>outcome</th></tr>");
        for (StepSnapshot st : i.steps()) {
            h.append("<tr><td>").append(esc(st.procedure())).append(st.manual() ? " (manual)" : "").append("</td><td>")
                    .append(st.level().number()).append("</td><td>").append(st.phase()).append("</td><td class=\"")
                    .append(st.status() == StepStatus.SUCCEEDED ? "ok" : st.status() == StepStatus.FAILED ? "bad" : "")
                    .append("\">").append(st.status()).append("</td><td>").append(st.attempts()).append("</td><td>")
                    .append(st.outcome() == null ? "" : esc(st.outcome())).append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static void figure(StringBuilder h, String id, String label, String value, String note, Boolean ok) {
        h.append("<div class=\"figure\">").append(label).append("<b id=\"").append(id).append("\" class=\"")
                .append(ok == null ? "" : ok ? "ok" : "bad").append("\">").append(esc(value)).append("</b>")
                .append(note).append("</div>");
    }

    private void timeline(StringBuilder h, ExperimentReport r) {
        long t0 = r.startedAt().toEpochMilli();
        long t1 = Math.max(r.endedAt().toEpochMilli(), t0 + 1);
        for (FaultWindow w : r.faults()) {
            t1 = Math.max(t1, w.end().toEpochMilli());
        }
        double span = t1 - t0;
        int plot = WIDTH - LEFT - RIGHT;
        int faultsHeight = Math.max(1, r.faults().size()) * FAULT_ROW;
        int height = 30 + faultsHeight + r.probes().size() * PROBE_ROW + 30;
        h.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" font-size=\"12\">\n");
        // time axis
        int axisY = height - 22;
        h.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(axisY).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y2=\"").append(axisY).append("\" stroke=\"#555\"/>");
        for (int i = 0; i <= 5; i++) {
            double x = LEFT + plot * i / 5.0;
            h.append("<text x=\"").append(f1(x)).append("\" y=\"").append(axisY + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#555\">").append(secs(span * i / 5.0)).append("</text>");
        }
        // fault windows
        int y = 20;
        for (int i = 0; i < r.faults().size(); i++) {
            FaultWindow w = r.faults().get(i);
            double x0 = LEFT + plot * (w.start().toEpochMilli() - t0) / span;
            double x1 = LEFT + plot * (w.end().toEpochMilli() - t0) / span;
            h.append("<text x=\"8\" y=\"").append(y + 17).append("\" fill=\"#1d2330\">").append(esc(clip(w.name(), 24)))
                    .append("</text>");
            h.append("<rect id=\"fault-window-").append(i).append("\" class=\"fault-window\" data-fault=\"")
                    .append(esc(w.name())).append("\" x=\"").append(f1(x0)).append("\" y=\"").append(y)
                    .append("\" width=\"").append(f1(Math.max(2, x1 - x0))).append("\" height=\"").append(FAULT_ROW - 8)
                    .append("\" fill=\"").append(w.injected() ? "#e74c3c" : "#f5b7b1").append("\" fill-opacity=\"0.75\"")
                    .append(w.injected() ? "" : " stroke=\"#c0392b\" stroke-dasharray=\"4 3\"").append("><title>")
                    .append(esc(w.description())).append(w.injected() ? "" : " (planned, not injected)")
                    .append("</title></rect>");
            h.append("<text x=\"").append(f1(x0 + 4)).append("\" y=\"").append(y + 17).append("\" fill=\"#fff\">")
                    .append(esc(clip(w.kind() + (w.injected() ? "" : " (plan)"), 40))).append("</text>\n");
            // shade the window across the probe rows
            h.append("<rect x=\"").append(f1(x0)).append("\" y=\"").append(20 + faultsHeight).append("\" width=\"")
                    .append(f1(Math.max(2, x1 - x0))).append("\" height=\"").append(r.probes().size() * PROBE_ROW)
                    .append("\" fill=\"#e74c3c\" fill-opacity=\"0.08\"/>\n");
            if (w.rto().isPresent() && w.injected()) {
                double xr = LEFT + plot * (w.start().toEpochMilli() + w.rto().get().toMillis() - t0) / span;
                h.append("<g id=\"rto-marker-").append(i).append("\" class=\"rto-marker\"><line x1=\"").append(f1(xr))
                        .append("\" y1=\"").append(y).append("\" x2=\"").append(f1(xr)).append("\" y2=\"").append(axisY)
                        .append("\" stroke=\"#1f8a4c\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"")
                        .append(f1(xr + 4)).append("\" y=\"").append(axisY - 6).append("\" fill=\"#1f8a4c\">RTO ")
                        .append(fmt(w.rto())).append("</text></g>\n");
            }
            y += FAULT_ROW;
        }
        // probe rows
        y = 20 + faultsHeight;
        for (ProbeSummary p : r.probes()) {
            List<ProbeSample> own = new ArrayList<>();
            for (ProbeSample s : r.samples()) {
                if (s.probe().equals(p.name()) && !Double.isNaN(s.value())) {
                    own.add(s);
                }
            }
            double lo = Double.isNaN(p.min()) ? Double.POSITIVE_INFINITY : p.min();
            double hi = Double.isNaN(p.max()) ? Double.NEGATIVE_INFINITY : p.max();
            for (ProbeSample s : own) {
                lo = Math.min(lo, s.value());
                hi = Math.max(hi, s.value());
            }
            if (!(hi > lo)) {
                hi = lo + 1;
            }
            double pad = (hi - lo) * 0.1;
            lo -= pad;
            hi += pad;
            int top = y + 12;
            int bottom = y + PROBE_ROW - 12;
            h.append("<g class=\"probe\" data-probe=\"").append(esc(p.name())).append("\"><text x=\"8\" y=\"")
                    .append(y + PROBE_ROW / 2).append("\">").append(esc(clip(p.name(), 24))).append("</text>");
            h.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(bottom).append("\" stroke=\"#ccc\"/>");
            for (double bound : new double[] {p.min(), p.max()}) {
                if (!Double.isNaN(bound)) {
                    double by = bottom - (bottom - top) * (bound - lo) / (hi - lo);
                    h.append("<line class=\"tolerance\" x1=\"").append(LEFT).append("\" y1=\"").append(f1(by))
                            .append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"").append(f1(by))
                            .append("\" stroke=\"#d68910\" stroke-dasharray=\"5 4\"/><text x=\"").append(WIDTH - RIGHT - 4)
                            .append("\" y=\"").append(f1(by - 3)).append("\" text-anchor=\"end\" fill=\"#d68910\">tolerance ")
                            .append(num(bound)).append(' ').append(esc(p.unit())).append("</text>");
                }
            }
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (ProbeSample s : own) {
                double x = LEFT + plot * (s.at().toEpochMilli() - t0) / span;
                double py = bottom - (bottom - top) * (s.value() - lo) / (hi - lo);
                points.append(f1(x)).append(',').append(f1(py)).append(' ');
                dots.append("<circle cx=\"").append(f1(x)).append("\" cy=\"").append(f1(py)).append("\" r=\"2.5\" fill=\"")
                        .append(s.within() ? "#2e86c1" : "#c0392b").append("\"/>");
            }
            h.append("<polyline fill=\"none\" stroke=\"#2e86c1\" stroke-width=\"1.5\" points=\"").append(points)
                    .append("\"/>").append(dots).append("</g>\n");
            y += PROBE_ROW;
        }
        h.append("</svg>\n");
    }

    // ------------------------------------------------------------------ formatting

    private static String fmt(Optional<Duration> d) {
        return d.map(ReportWriter::fmt).orElse("not measured");
    }

    static String fmt(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
        }
        if (ms < 7_200_000) {
            return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
    }

    private static String offset(ExperimentReport r, Instant t) {
        return "+" + secs(Duration.between(r.startedAt(), t).toMillis());
    }

    private static String secs(double ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static String verdict(boolean measured, boolean met) {
        return !measured ? "not measured" : met ? "met" : "MISSED";
    }

    private static String tolerance(ProbeSummary p) {
        if (Double.isNaN(p.min())) {
            return "<= " + num(p.max());
        }
        if (Double.isNaN(p.max())) {
            return ">= " + num(p.min());
        }
        return num(p.min()) + " .. " + num(p.max());
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
