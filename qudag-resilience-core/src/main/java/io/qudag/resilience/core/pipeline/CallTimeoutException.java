package io.qudag.resilience.core.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Thrown when a call did not finish within its pipeline's time limit. Its cause is a
 * {@link TimeoutException}, so it classifies as {@code TIMEOUT}.
 */
public final class CallTimeoutException extends RuntimeException {

    /** The time limit the call exceeded. */
    private final Duration timeLimit;

    /**
     * A call of {@code pipeline} that did not finish within {@code timeLimit}.
     *
     * @param pipeline the pipeline's name
     * @param timeLimit the time limit exceeded
     */
    public CallTimeoutException(String pipeline, Duration timeLimit) {
        super("call in pipeline '" + pipeline + "' did not finish within " + timeLimit,
                new TimeoutException("time limit " + timeLimit + " exceeded"));
        this.timeLimit = timeLimit;
    }

    /** {@return the time limit the call exceeded} */
    public Duration timeLimit() {
        return timeLimit;
    }
}
