package io.qudag.resilience.recovery;

import java.nio.file.Path;

/**
 * A record whose checksum, length or sequence does not hold (spec §4.1 corruption detection). Names
 * the file and the offset of the damaged record.
 */
public class JournalCorruptedException extends JournalFormatException {

    public JournalCorruptedException(Path file, long offset, String problem) {
        super(file, offset, problem);
    }
}
