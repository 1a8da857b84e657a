package io.qudag.resilience.recovery;

import java.util.Iterator;

/**
 * Reads a {@link Journal} forward from a sequence (spec §4.2 deterministic replay). Independent of
 * other readers and of appenders; sees every record appended before {@link #hasNext()} is asked.
 * Skips sequences whose segment was quarantined. Not thread-safe: one reader per thread.
 *
 * <p>{@link #next()} throws {@link JournalCorruptedException} naming file and offset at a damaged
 * record and {@link JournalFormatException} at a record type the journal does not accept.
 */
public interface JournalReader extends Iterator<JournalRecord>, AutoCloseable {

    /** Releases the reader's open files. */
    @Override
    void close();
}
