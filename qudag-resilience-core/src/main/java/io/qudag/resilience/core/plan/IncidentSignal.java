package io.qudag.resilience.core.plan;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import java.util.Objects;

/**
 * One observation fed to an {@link IncidentClassifier} (spec §4.3, "Incident detection and
 * assessment"): an endpoint went down or came back, a breaker opened or closed, a failover tier was
 * partitioned or became available, a subject's health grade changed, a journal was found corrupt or
 * repaired. Modules build signals with the factories below, so core never imports them.
 *
 * <p>A signal describes the current condition of one {@link #key() key}; a later signal of the same
 * key replaces it. Only the fields of its {@link Kind} are set; the others are {@code null}.
 *
 * @param kind    what it is about
 * @param subject the thing observed (endpoint id, breaker path, tier name, health subject, journal name)
 * @param failing whether the condition is a failure (for HEALTH: filled in by the classifier's rules)
 * @param service for ENDPOINT: the service (MCP server name) the endpoint serves, or {@code null}
 * @param region  for ENDPOINT: its region, or {@code null}
 * @param path    for BREAKER: the breaker's path in the hierarchy
 * @param tier    for TIER: the failover tier
 * @param grade   for HEALTH: the grade
 * @param level   for CUSTOM: the level this failure stands for
 * @param detail  in words, for the audit trail (never {@code null})
 */
public record IncidentSignal(Kind kind, String subject, boolean failing, String service, String region,
        BreakerPath path, FailoverTier tier, HealthGrade grade, DisasterLevel level, String detail) {

    /** The kinds of observation. */
    public enum Kind {
        /** An MCP endpoint (one server instance) is down or up. */
        ENDPOINT,
        /** A breaker of a {@code BreakerHierarchy} opened or closed. */
        BREAKER,
        /** A failover tier is partitioned (unreachable as a whole) or available. */
        TIER,
        /** A subject's composite health grade (spec §2.1). */
        HEALTH,
        /** A recovery journal was found corrupt, or repaired. */
        JOURNAL,
        /** Anything else, with the level it stands for. */
        CUSTOM
    }

    public IncidentSignal {
        Objects.requireNonNull(kind, "kind");
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, was " + (subject == null ? "null" : '"' + subject + '"'));
        }
        detail = detail == null ? "" : detail;
    }

    /** {@return what this signal is the current condition of: kind and subject} */
    public String key() {
        return kind.name() + ':' + subject;
    }

    /** {@return endpoint {@code endpointId} of {@code service} (may be null) in {@code region} (may be null) is down} */
    public static IncidentSignal endpointDown(String endpointId, String service, String region) {
        return new IncidentSignal(Kind.ENDPOINT, endpointId, true, service, region, null, null, null, null,
                "endpoint " + endpointId + " down");
    }

    /** {@return endpoint {@code endpointId} is up (also makes the endpoint known to its service and region)} */
    public static IncidentSignal endpointUp(String endpointId, String service, String region) {
        return new IncidentSignal(Kind.ENDPOINT, endpointId, false, service, region, null, null, null, null,
                "endpoint " + endpointId + " up");
    }

    /** {@return the breaker at {@code path} opened (rejects calls)} */
    public static IncidentSignal breakerOpened(BreakerPath path, String detail) {
        return new IncidentSignal(Kind.BREAKER, path.toString(), true, null, null, path, null, null, null,
                detail == null ? "breaker " + path + " open" : detail);
    }

    /** {@return the breaker at {@code path} closed again} */
    public static IncidentSignal breakerClosed(BreakerPath path) {
        return new IncidentSignal(Kind.BREAKER, path.toString(), false, null, null, path, null, null, null,
                "breaker " + path + " closed");
    }

    /** {@return failover tier {@code tier} is partitioned: none of its endpoints can be reached} */
    public static IncidentSignal tierPartitioned(FailoverTier tier) {
        return new IncidentSignal(Kind.TIER, tier.name(), true, null, null, null, tier, null, null,
                "tier " + tier + " partitioned");
    }

    /** {@return failover tier {@code tier} is available (also makes the tier known)} */
    public static IncidentSignal tierAvailable(FailoverTier tier) {
        return new IncidentSignal(Kind.TIER, tier.name(), false, null, null, null, tier, null, null,
                "tier " + tier + " available");
    }

    /** {@return the composite health of {@code subject} has grade {@code grade}} */
    public static IncidentSignal health(String subject, HealthGrade grade) {
        Objects.requireNonNull(grade, "grade");
        return new IncidentSignal(Kind.HEALTH, subject, false, null, null, null, null, grade, null,
                "health of " + subject + " is " + grade);
    }

    /** {@return journal {@code journal} failed its checksum check (e.g. a corrupt record at some sequence)} */
    public static IncidentSignal journalCorrupted(String journal, String detail) {
        return new IncidentSignal(Kind.JOURNAL, journal, true, null, null, null, null, null, null,
                detail == null ? "journal " + journal + " corrupt" : detail);
    }

    /** {@return journal {@code journal} is readable again (repaired or restored)} */
    public static IncidentSignal journalRepaired(String journal) {
        return new IncidentSignal(Kind.JOURNAL, journal, false, null, null, null, null, null, null,
                "journal " + journal + " repaired");
    }

    /** {@return any other failure of {@code subject}, standing for {@code level}; {@code failing=false} clears it} */
    public static IncidentSignal custom(String subject, DisasterLevel level, boolean failing, String detail) {
        Objects.requireNonNull(level, "level");
        return new IncidentSignal(Kind.CUSTOM, subject, failing, null, null, null, null, null, level, detail);
    }

    IncidentSignal withFailing(boolean f) {
        return f == failing ? this : new IncidentSignal(kind, subject, f, service, region, path, tier, grade, level, detail);
    }
}
