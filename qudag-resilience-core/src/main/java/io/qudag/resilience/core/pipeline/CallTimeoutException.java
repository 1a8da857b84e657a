package io.qudag.resilience.core.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Thrown when a call did not finish within its pipeline's time limit. Its cause is a
 * {@link TimeoutException}, so it classifies as {@code TIMEOUT}.
 */
public final class CallTimeoutException extends RuntimeException {

    private final Duration timeLimit;

    public CallTimeoutException(String pipeline, Duration timeLimit) {
        super("call in pipeline '" + pipeline + "' did not finish within " + timeLimit,
                new TimeoutException("time limit " + timeLimit + " exceeded"));
        this.timeLimit = timeLimit;
    }

    public Duration timeLimit() {
        return timeLimit;
    }
}
