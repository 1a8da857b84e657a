package io.qudag.resilience.recovery.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.core.spi.FileChannelFactory;
import io.qudag.resilience.recovery.event.RecoveryCompletedEvent;
import io.qudag.resilience.recovery.event.RecoveryEvent;
import io.qudag.resilience.recovery.event.RecoveryProgressEvent;
import io.qudag.resilience.recovery.event.RecoveryStartedEvent;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery audit trail (spec §4.1 comprehensive_recovery_documentation): every
 * {@link RecoveryEvent} as one JSON object per line, to the SLF4J logger
 * {@value #LOGGER_NAME} and, forced, to {@code recovery-audit.jsonl} in the journal directory.
 */
public final class RecoveryAudit implements AutoCloseable {

    public static final String LOGGER_NAME = "io.qudag.resilience.recovery.audit";
    public static final String FILE_NAME = "recovery-audit.jsonl";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Logger log = LoggerFactory.getLogger(RecoveryAudit.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final FileChannel file;
    private final Path path;

    public RecoveryAudit(Path dir, FileChannelFactory files) {
        this.path = dir.resolve(FILE_NAME);
        FileChannel ch = null;
        try {
            ch = Files.exists(path) ? files.open(path, EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND))
                    : FileSupport.createNew(files, path);
        } catch (IOException e) {
            log.warn("Recovery audit file {} cannot be opened; auditing to the log only", path, e);
        }
        this.file = ch;
    }

    public Path path() {
        return path;
    }

    /**
     * Writes {@code event} as one JSON line. Progress goes to the debug log only; the steps that
     * change or judge state (corruption, quarantine, validation, resumption) are forced to disk.
     * Never throws.
     */
    public synchronized void record(RecoveryEvent event) {
        if (event instanceof RecoveryProgressEvent) {
            log.debug("{}", event);
            return;
        }
        boolean force = !(event instanceof RecoveryStartedEvent || event instanceof RecoveryCompletedEvent);
        try {
            ObjectNode n = mapper.createObjectNode();
            n.put("event", event.getClass().getSimpleName());
            for (RecordComponent c : event.getClass().getRecordComponents()) {
                Object v = c.getAccessor().invoke(event);
                if (v instanceof Number num) {
                    n.put(c.getName(), num.longValue());
                } else if (v instanceof Boolean b) {
                    n.put(c.getName(), b);
                } else {
                    n.put(c.getName(), String.valueOf(v));
                }
            }
            String line = mapper.writeValueAsString(n);
            AUDIT.info(line);
            if (file != null) {
                FileSupport.writeFully(file, ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)), file.size());
                if (force) {
                    file.force(false);
                }
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            log.warn("Recovery audit record for {} could not be written", event, e);
        }
    }

    @Override
    public synchronized void close() {
        SegmentedJournal.closeQuietly(file);
    }
}
