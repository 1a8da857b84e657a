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

    /**
     * Checks the signal.
     *
     * @param kind    what it is about
     * @param subject the thing observed; not blank
     * @param failing whether the condition is a failure
     * @param service for ENDPOINT: the service the endpoint serves, or {@code null}
     * @param region  for ENDPOINT: its region, or {@code null}
     * @param path    for BREAKER: the breaker's path in the hierarchy
     * @param tier    for TIER: the failover tier
     * @param grade   for HEALTH: the grade
     * @param level   for CUSTOM: the level this failure stands for
     * @param detail  in words, for the audit trail; {@code null} is taken as empty
     * @throws NullPointerException when {@code kind} is null
     * @throws IllegalArgumentException when {@code subject} is blank
     */
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

    /**
     * {@return a signal that endpoint {@code endpointId} is down}
     *
     * @param endpointId the endpoint's id; not blank
     * @param service the MCP server name the endpoint serves, or {@code null} when unknown
     * @param region the endpoint's region, or {@code null} when unknown
     */
    public static IncidentSignal endpointDown(String endpointId, String service, String region) {
        return new IncidentSignal(Kind.ENDPOINT, endpointId, true, service, region, null, null, null, null,
                "endpoint " + endpointId + " down");
    }

    /**
     * {@return a signal that endpoint {@code endpointId} is up} It also makes the endpoint known to its
     * service and region, so that "every endpoint of a service down" can be judged.
     *
     * @param endpointId the endpoint's id; not blank
     * @param service the MCP server name the endpoint serves, or {@code null} when unknown
     * @param region the endpoint's region, or {@code null} when unknown
     */
    public static IncidentSignal endpointUp(String endpointId, String service, String region) {
        return new IncidentSignal(Kind.ENDPOINT, endpointId, false, service, region, null, null, null, null,
                "endpoint " + endpointId + " up");
    }

    /**
     * {@return a signal that the breaker at {@code path} opened (rejects calls)}
     *
     * @param path the breaker's path in the hierarchy; non-null
     * @param detail words for the audit trail, or {@code null} for "breaker &lt;path&gt; open"
     */
    public static IncidentSignal breakerOpened(BreakerPath path, String detail) {
        return new IncidentSignal(Kind.BREAKER, path.toString(), true, null, null, path, null, null, null,
                detail == null ? "breaker " + path + " open" : detail);
    }

    /**
     * {@return a signal that the breaker at {@code path} closed again}
     *
     * @param path the breaker's path in the hierarchy; non-null
     */
    public static IncidentSignal breakerClosed(BreakerPath path) {
        return new IncidentSignal(Kind.BREAKER, path.toString(), false, null, null, path, null, null, null,
                "breaker " + path + " closed");
    }

    /**
     * {@return a signal that failover tier {@code tier} is partitioned: none of its endpoints can be reached}
     *
     * @param tier the partitioned tier; non-null
     */
    public static IncidentSignal tierPartitioned(FailoverTier tier) {
        return new IncidentSignal(Kind.TIER, tier.name(), true, null, null, null, tier, null, null,
                "tier " + tier + " partitioned");
    }

    /**
     * {@return a signal that failover tier {@code tier} is available} It also makes the tier known, so
     * that "every known tier out" can be judged.
     *
     * @param tier the available tier; non-null
     */
    public static IncidentSignal tierAvailable(FailoverTier tier) {
        return new IncidentSignal(Kind.TIER, tier.name(), false, null, null, null, tier, null, null,
                "tier " + tier + " available");
    }

    /**
     * {@return a signal that the composite health of {@code subject} has grade {@code grade}} Whether that
     * is a failure is decided by the classifier's health-grade rules.
     *
     * @param subject the monitored subject (as named in its {@code HealthMonitor}); not blank
     * @param grade the current grade; non-null
     */
    public static IncidentSignal health(String subject, HealthGrade grade) {
        Objects.requireNonNull(grade, "grade");
        return new IncidentSignal(Kind.HEALTH, subject, false, null, null, null, null, grade, null,
                "health of " + subject + " is " + grade);
    }

    /**
     * {@return a signal that journal {@code journal} failed its checksum check (e.g. a corrupt record at some sequence)}
     *
     * @param journal the journal's name; not blank
     * @param detail words for the audit trail, or {@code null} for "journal &lt;name&gt; corrupt"
     */
    public static IncidentSignal journalCorrupted(String journal, String detail) {
        return new IncidentSignal(Kind.JOURNAL, journal, true, null, null, null, null, null, null,
                detail == null ? "journal " + journal + " corrupt" : detail);
    }

    /**
     * {@return a signal that journal {@code journal} is readable again (repaired or restored)}
     *
     * @param journal the journal's name; not blank
     */
    public static IncidentSignal journalRepaired(String journal) {
        return new IncidentSignal(Kind.JOURNAL, journal, false, null, null, null, null, null, null,
                "journal " + journal + " repaired");
    }

    /**
     * {@return a signal of any other failure of {@code subject}, standing for {@code level}}
     *
     * @param subject what failed, e.g. a dependency's name; not blank
     * @param level the disaster level this failure stands for; non-null
     * @param failing true while it fails; false clears an earlier signal of the same subject
     * @param detail words for the audit trail; {@code null} is taken as empty
     */
    public static IncidentSignal custom(String subject, DisasterLevel level, boolean failing, String detail) {
        Objects.requireNonNull(level, "level");
        return new IncidentSignal(Kind.CUSTOM, subject, failing, null, null, null, null, null, level, detail);
    }

    IncidentSignal withFailing(boolean f) {
        return f == failing ? this : new IncidentSignal(kind, subject, f, service, region, path, tier, grade, level, detail);
    }
}
