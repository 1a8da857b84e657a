package io.qudag.resilience.failover.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.event.DecisionEvent;
import io.qudag.resilience.failover.event.DecisionSuppressedEvent;
import io.qudag.resilience.failover.event.EndpointStateChangedEvent;
import io.qudag.resilience.failover.event.FailoverConfirmedEvent;
import io.qudag.resilience.failover.event.FailoverEvent;
import io.qudag.resilience.failover.event.FailoverListener;
import io.qudag.resilience.failover.event.SessionReplicationEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover audit trail (spec §1.2 {@code audit_logging}): every decision and event as one JSON
 * object per line, written with Jackson to the SLF4J logger {@code io.qudag.resilience.failover.audit}
 * (INFO) and, when configured, appended to a file: each line goes to the file in one write of its
 * bytes, so nothing is left buffered after a failure to be written twice or joined to the next line.
 * A line that cannot be written is logged, counted in {@code qudag.resilience.failover.audit.failures}
 * and followed by a line break, so a partly written line stays a line of its own.
 */
public final class AuditLog implements FailoverListener, AutoCloseable {

    /** The logger the JSON lines go to. */
    public static final String LOGGER_NAME = "io.qudag.resilience.failover.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private static final byte[] NEWLINE = {'\n'};

    private final ObjectMapper mapper = new ObjectMapper();
    private final FileChannel file;
    private final Counter failures;
    /** A write failed part-way: the next line starts with a line break. Guarded by {@code this}. */
    private boolean lineOpen;

    /**
     * @param file     the file to append to, or {@code null} for the logger only
     * @param registry where to count lines that could not be written, or {@code null}
     * @param group    the group's name, the meter's tag
     * @throws IllegalArgumentException naming the file when it cannot be opened for appending
     */
    public AuditLog(Path file, MeterRegistry registry, String group) {
        this.failures = registry == null ? null : Counter.builder("qudag.resilience.failover.audit.failures")
                .tag("group", group).description("Audit lines that could not be written to the audit file")
                .register(registry);
        if (file == null) {
            this.file = null;
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.file = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException("auditFile must be a file that can be appended to, was " + file
                    + " (" + e + ")", e);
        }
    }

    @Override
    public void onEvent(FailoverEvent event) {
        String line = toJsonLine(event);
        AUDIT.info(line);
        if (file != null) {
            append((line + '\n').getBytes(StandardCharsets.UTF_8));
        }
    }

    private synchronized void append(byte[] bytes) {
        try {
            if (lineOpen) {
                writeFully(ByteBuffer.wrap(NEWLINE));
                lineOpen = false;
            }
            writeFully(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            lineOpen = true;
            if (failures != null) {
                failures.increment();
            }
            log.warn("cannot write failover audit line: {}", e.toString());
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            file.write(b);
        }
    }

    String toJsonLine(FailoverEvent event) {
        try {
            return mapper.writeValueAsString(toJson(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event, e);
        }
    }

    ObjectNode toJson(FailoverEvent event) {
        ObjectNode n = mapper.createObjectNode();
        if (event instanceof DecisionEvent de) {
            n.put("type", "decision");
            decision(n, de.decision());
        } else if (event instanceof EndpointStateChangedEvent e) {
            n.put("type", "state");
            n.put("group", e.group());
            n.put("endpoint", e.endpointId());
            n.put("from", e.from().name());
            n.put("to", e.to().name());
            n.put("trafficFactor", e.trafficFactor());
            n.put("reason", e.reason());
            n.put("at", e.at().toString());
        } else if (event instanceof FailoverConfirmedEvent e) {
            n.put("type", "confirmed");
            n.put("group", e.group());
            n.put("decision", e.decisionId());
            n.put("endpoint", e.endpointId());
            n.put("decisionToFirstSuccessMs", e.sinceDecision().toNanos() / 1e6);
            n.put("at", e.at().toString());
        } else if (event instanceof DecisionSuppressedEvent e) {
            n.put("type", "suppressed");
            n.put("group", e.group());
            n.put("endpoint", e.endpointId());
            n.put("condition", e.condition().name());
            n.put("role", e.role().name());
            n.put("at", e.at().toString());
        } else if (event instanceof SessionReplicationEvent e) {
            n.put("type", "session");
            n.put("group", e.group());
            n.put("decision", e.decisionId());
            n.put("session", e.sessionKey());
            n.put("from", e.fromEndpointId());
            n.put("to", e.toEndpointId());
            n.put("success", e.success());
            if (e.error() != null) {
                n.put("error", e.error());
            }
            n.put("at", e.at().toString());
        }
        return n;
    }

    private static void decision(ObjectNode n, FailoverDecision d) {
        n.put("id", d.id());
        n.put("group", d.group());
        n.put("trigger", d.trigger().name());
        n.put("condition", d.condition().name());
        n.put("action", d.action().name());
        n.put("source", d.sourceEndpointId());
        n.put("sourceStateBefore", d.sourceStateBefore().name());
        n.put("sourceStateAfter", d.sourceStateAfter().name());
        n.put("sourceShareBefore", d.sourceShareBefore());
        n.put("sourceShareAfter", d.sourceShareAfter());
        ObjectNode targets = n.putObject("targets");
        d.targets().forEach(targets::put);
        ObjectNode inputs = n.putObject("inputs");
        for (Map.Entry<String, Double> e : d.inputs().entrySet()) {
            inputs.put(e.getKey(), e.getValue());
        }
        n.put("reason", d.reason());
        n.put("detectedAt", d.detectedAt().toString());
        n.put("decidedAt", d.decidedAt().toString());
        n.put("executedAt", d.executedAt().toString());
        n.put("decisionLatencyMs", d.decisionLatency().toNanos() / 1e6);
        n.put("executionLatencyMs", d.executionLatency().toNanos() / 1e6);
        if (d.rollsBack() != null) {
            n.put("rollsBack", d.rollsBack());
        }
    }

    /** The JSON a coordinator commits for a decision before it is executed. */
    String payload(String id, String group, String condition, String action, String source, String stateBefore,
                   String stateAfter, double factorAfter, Map<String, Double> targets, Map<String, Double> shares,
                   Map<String, Double> inputs, String reason, String detectedAt, String decidedAt) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", id);
        n.put("group", group);
        n.put("condition", condition);
        n.put("action", action);
        n.put("source", source);
        n.put("sourceStateBefore", stateBefore);
        n.put("sourceStateAfter", stateAfter);
        n.put("sourceFactorAfter", factorAfter);
        ObjectNode t = n.putObject("targets");
        targets.forEach(t::put);
        ObjectNode sh = n.putObject("shares");
        shares.forEach(sh::put);
        ObjectNode in = n.putObject("inputs");
        inputs.forEach(in::put);
        n.put("reason", reason);
        n.put("detectedAt", detectedAt);
        n.put("decidedAt", decidedAt);
        try {
            return mapper.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                log.warn("cannot close failover audit file: {}", e.toString());
            }
        }
    }
}
