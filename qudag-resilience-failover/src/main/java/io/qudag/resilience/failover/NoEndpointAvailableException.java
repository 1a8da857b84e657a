package io.qudag.resilience.failover;

import io.qudag.resilience.core.RejectedCallException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown when no endpoint of a group may take a call (all drained, ejected or down), and by a client
 * whose endpoints never became ready. Its outcome is {@link io.qudag.resilience.core.CallOutcome#REJECTED};
 * the rejecting part is the group. When the reason of each endpoint is known, {@link #causes()} holds
 * it and the message lists it, so the caller sees why every endpoint was unusable.
 */
public class NoEndpointAvailableException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    /** Endpoint id → why that endpoint could not take the call. */
    private final Map<String, Throwable> causes;

    /**
     * No endpoint of {@code groupName} could take the call.
     *
     * @param groupName the endpoint group's name
     * @param message why, in words a user can act on
     */
    public NoEndpointAvailableException(String groupName, String message) {
        super(groupName, message);
        this.causes = Map.of();
    }

    /**
     * No endpoint of {@code groupName} could take the call, with each endpoint's reason.
     *
     * @param groupName the endpoint group's name
     * @param message why, in words a user can act on
     * @param causes endpoint id → why that endpoint could not take the call (entries may be null when unknown)
     */
    public NoEndpointAvailableException(String groupName, String message, Map<String, ? extends Throwable> causes) {
        super(groupName, message + describe(causes), firstCause(causes));
        this.causes = Collections.unmodifiableMap(new LinkedHashMap<>(causes));
    }

    /** {@return endpoint id → the reason it could not take the call, in endpoint order; empty when not known} */
    public Map<String, Throwable> causes() {
        return causes;
    }

    private static String describe(Map<String, ? extends Throwable> causes) {
        if (causes == null || causes.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(";");
        causes.forEach((id, cause) -> b.append(' ').append(id).append(": ")
                .append(cause == null ? "no reason recorded" : cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")).append(';'));
        b.setLength(b.length() - 1);
        return b.toString();
    }

    private static Throwable firstCause(Map<String, ? extends Throwable> causes) {
        if (causes == null) {
            throw new IllegalArgumentException("causes must not be null, was null");
        }
        return causes.values().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
