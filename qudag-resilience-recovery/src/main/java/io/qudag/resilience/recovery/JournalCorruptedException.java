package io.qudag.resilience.recovery;

import java.nio.file.Path;

/**
 * A record whose checksum, length or sequence does not hold (spec §4.1 corruption detection). Names
 * the file and the offset of the damaged record.
 */
public class JournalCorruptedException extends JournalFormatException {

    /**
     * Creates the exception; the message names the problem, the file and the offset.
     *
     * @param file    the damaged file
     * @param offset  the byte offset of the damaged record
     * @param problem what does not hold
     */
    public JournalCorruptedException(Path file, long offset, String problem) {
        super(file, offset, problem);
    }
}
