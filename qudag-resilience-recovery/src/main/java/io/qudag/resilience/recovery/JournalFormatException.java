package io.qudag.resilience.recovery;

import java.nio.file.Path;

/**
 * A journal or snapshot file that this version cannot read (spec §4.2): a wrong magic number, an
 * unsupported format version, or an unknown record type. Names the file and the byte offset.
 */
public class JournalFormatException extends JournalException {

    /** The file that could not be read. */
    private final Path file;
    /** Where in {@link #file} the problem is. */
    private final long offset;

    /**
     * Creates the exception; the message names the problem, the file and the offset.
     *
     * @param file    the file that could not be read
     * @param offset  the byte offset of the problem
     * @param problem what is wrong
     */
    public JournalFormatException(Path file, long offset, String problem) {
        super(problem + " in " + file + " at offset " + offset);
        this.file = file;
        this.offset = offset;
    }

    /** {@return the file that could not be read} */
    public Path file() {
        return file;
    }

    /** {@return where in {@link #file()} the problem is} */
    public long offset() {
        return offset;
    }
}
