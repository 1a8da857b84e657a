package io.qudag.resilience.health.spi;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A section that another part of the application adds to the served health report (spec §2.1 and
 * §2.2 health status reporting), e.g. the cluster module's place of this instance in its Raft group.
 * Registered on the endpoint with {@code HealthHttpEndpoint.Builder#component}; on every request to
 * {@code /health} the endpoint puts {@link #describe()} under the key {@link #name()} at the top level
 * of the report's JSON. A section does not change the report's overall status nor the HTTP status
 * code: it describes, the report's own components grade.
 *
 * <p>{@link #describe()} is called on the endpoint's thread for each request: it must be cheap and must
 * not block on the network. When it throws, the section is {@code {"status":"UNKNOWN","error":...}}
 * and the rest of the report is served as usual.
 */
public interface HealthComponent {

    /** Keys of the report itself, which a component may not take. */
    Set<String> RESERVED_NAMES = Set.of("status", "at", "components", "alerts", "predictions", "findings",
            "rejectedSamples", "incident");

    /** What a name must look like: a letter, then letters, digits, {@code -} or {@code _}, at most 64 characters. */
    Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    /** {@return the section's key in the report (see {@link #NAME}; not one of {@link #RESERVED_NAMES})} */
    String name();

    /** {@return the section now: anything Jackson serialises (a record, a map, a list, a string, a number)} */
    Object describe();
}
