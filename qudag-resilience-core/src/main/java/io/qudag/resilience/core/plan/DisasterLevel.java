package io.qudag.resilience.core.plan;

import java.util.List;

/**
 * How grave an incident is: the four disaster levels of spec §4.3 ("Disaster Classification"),
 * ordered from the least to the most severe. An incident's level only rises while it is open.
 */
public enum DisasterLevel {
    /**
     * Level 1, component failure: a single server (one MCP endpoint), a database replica, a network
     * component or a storage device fails; the service still answers through the others.
     */
    COMPONENT_FAILURE(1, List.of("single server failure", "database replica failure", "network component failure",
            "storage device failure")),
    /**
     * Level 2, service disruption: an application service (every endpoint of one MCP server), a
     * database cluster or a network segment fails, or a region's service degrades.
     */
    SERVICE_DISRUPTION(2, List.of("application service failure", "database cluster failure",
            "network segment failure", "regional service degradation")),
    /**
     * Level 3, regional disaster: a data centre outage, a regional network failure, a natural
     * disaster or a regional infrastructure failure takes out one region or failover tier.
     */
    REGIONAL_DISASTER(3, List.of("data center outage", "regional network failure", "natural disaster impact",
            "regional infrastructure failure")),
    /**
     * Level 4, global catastrophe: several regions fail, the global network is disrupted, a massive
     * security breach or a regulatory shutdown; every failover tier is out.
     */
    GLOBAL_CATASTROPHE(4, List.of("multi-region failure", "global network disruption", "massive security breach",
            "regulatory shutdown"));

    private final int number;
    private final List<String> examples;

    DisasterLevel(int number, List<String> examples) {
        this.number = number;
        this.examples = examples;
    }

    /** {@return the spec's number, 1 to 4} */
    public int number() {
        return number;
    }

    /** {@return the spec's examples of this level, as data (unmodifiable)} */
    public List<String> examples() {
        return examples;
    }

    /** {@return the next graver level, or {@code null} for {@link #GLOBAL_CATASTROPHE}} */
    public DisasterLevel next() {
        return this == GLOBAL_CATASTROPHE ? null : values()[ordinal() + 1];
    }

    /**
     * {@return whether this level is graver than {@code other} ({@code null} counts as no incident)}
     *
     * @param other the level compared with, or {@code null}
     */
    public boolean isAbove(DisasterLevel other) {
        return other == null || ordinal() > other.ordinal();
    }

    /**
     * {@return the level numbered {@code number}}
     *
     * @param number 1 to 4, the spec's level number
     * @throws IllegalArgumentException unless {@code number} is 1 to 4
     */
    public static DisasterLevel of(int number) {
        if (number < 1 || number > 4) {
            throw new IllegalArgumentException("level must be 1 to 4, was " + number);
        }
        return values()[number - 1];
    }

    /**
     * {@return the graver of two levels, either may be {@code null}}
     *
     * @param a a level, or {@code null}
     * @param b a level, or {@code null}
     */
    public static DisasterLevel max(DisasterLevel a, DisasterLevel b) {
        if (a == null) {
            return b;
        }
        return b == null || a.ordinal() >= b.ordinal() ? a : b;
    }
}
