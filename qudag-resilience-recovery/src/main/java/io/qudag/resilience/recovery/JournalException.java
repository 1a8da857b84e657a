package io.qudag.resilience.recovery;

/**
 * A {@link Journal} operation failed: an I/O error, or the journal failed earlier and refuses further
 * appends (spec §4.1). The message names the file or directory concerned.
 */
public class JournalException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the file or directory
     */
    public JournalException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the file or directory
     * @param cause   the underlying failure
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
