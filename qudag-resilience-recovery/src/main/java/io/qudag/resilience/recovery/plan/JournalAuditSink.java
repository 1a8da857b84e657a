package io.qudag.resilience.recovery.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.event.PlanEvent;
import io.qudag.resilience.core.plan.spi.AuditSink;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalException;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecordTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link AuditSink} of a disaster-recovery plan (spec §4.3 audit trail) that writes every
 * {@link PlanEvent} as one record of type {@link RecordTypes#PLAN_AUDIT} (a JSON object) to a recovery
 * {@link Journal}, so the trail of an incident survives a crash as durably as the journal's
 * {@code Durability} promises. {@link #read(Journal)} gives the events back in the order they were
 * written. Application replay ignores these records (library record types never reach a
 * {@code RecoverableState}).
 *
 * <pre>{@code
 * DisasterRecoveryPlan plan = DisasterRecoveryPlan.builder().config(config)
 *         .auditSink(JournalAuditSink.of(journal)).build();
 * }</pre>
 */
public final class JournalAuditSink implements AuditSink {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Journal journal;

    private JournalAuditSink(Journal journal) {
        this.journal = journal;
    }

    /**
     * {@return a sink appending to {@code journal} (which it does not close)}
     *
     * @param journal the open journal
     * @throws IllegalArgumentException when {@code journal} is null
     */
    public static JournalAuditSink of(Journal journal) {
        if (journal == null) {
            throw new IllegalArgumentException("journal must not be null, was null");
        }
        return new JournalAuditSink(journal);
    }

    /**
     * Appends {@code entry}; returns once the journal acknowledged it.
     *
     * @throws JournalException when the journal is closed or the write failed (the plan logs it and goes on)
     */
    @Override
    public void record(PlanEvent entry) {
        journal.append(RecordTypes.PLAN_AUDIT, encode(entry));
    }

    /**
     * {@return the plan events in {@code journal}, oldest first (records of other types are skipped)}
     *
     * @param journal the open journal
     */
    public static List<PlanEvent> read(Journal journal) {
        List<PlanEvent> out = new ArrayList<>();
        try (JournalReader r = journal.read(journal.firstSequence())) {
            while (r.hasNext()) {
                JournalRecord rec = r.next();
                if (rec.type() == RecordTypes.PLAN_AUDIT) {
                    out.add(decode(rec.payload()));
                }
            }
        }
        return out;
    }

    /** {@code event} as the JSON bytes of one audit record. */
    static byte[] encode(PlanEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", e.type().name());
        n.put("plan", e.plan());
        n.put("sequence", e.sequence());
        n.put("incidentId", e.incidentId());
        n.put("level", e.level() == null ? null : e.level().name());
        n.put("phase", e.phase() == null ? null : e.phase().name());
        n.put("mode", e.mode() == null ? null : e.mode().name());
        n.put("procedure", e.procedure());
        n.put("attempt", e.attempt());
        n.put("detail", e.detail());
        n.put("duration", e.duration().toString());
        n.put("at", e.at() == null ? null : e.at().toString());
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The event an audit record holds. */
    static PlanEvent decode(byte[] json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            return new PlanEvent(PlanEvent.Type.valueOf(n.get("type").asText()), text(n, "plan"),
                    n.get("sequence").asLong(), text(n, "incidentId"),
                    text(n, "level") == null ? null : DisasterLevel.valueOf(text(n, "level")),
                    text(n, "phase") == null ? null : RecoveryPhase.valueOf(text(n, "phase")),
                    text(n, "mode") == null ? null : OperatingMode.valueOf(text(n, "mode")),
                    text(n, "procedure"), n.get("attempt").asInt(), text(n, "detail"),
                    Duration.parse(n.get("duration").asText()),
                    text(n, "at") == null ? null : Instant.parse(text(n, "at")));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        return "JournalAuditSink{" + journal.directory() + "}";
    }
}
