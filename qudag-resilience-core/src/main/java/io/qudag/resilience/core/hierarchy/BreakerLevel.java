package io.qudag.resilience.core.hierarchy;

/**
 * The levels of the breaker hierarchy of spec §3.2, top-down: GLOBAL › REGIONAL › INFRASTRUCTURE ›
 * SERVICE › APPLICATION. Each level has the prefix its segments carry in a {@link BreakerPath}.
 */
public enum BreakerLevel {
    /** System-wide emergency, disaster recovery, business continuity breakers. */
    GLOBAL("global"),
    /** Data centre and regional breakers. */
    REGIONAL("region"),
    /** Network, storage, compute: here one MCP endpoint (server instance). */
    INFRASTRUCTURE("infra"),
    /** One logical service: an MCP server's name. */
    SERVICE("service"),
    /** Feature and user-facing operation breakers: here one tool. */
    APPLICATION("tool");

    private final String prefix;

    BreakerLevel(String prefix) {
        this.prefix = prefix;
    }

    /** {@return the prefix of this level's path segments, e.g. {@code region}} */
    public String prefix() {
        return prefix;
    }

    /** {@return the level above, or {@code null} for GLOBAL} */
    public BreakerLevel parent() {
        return ordinal() == 0 ? null : values()[ordinal() - 1];
    }

    /**
     * {@return whether this level is above (closer to GLOBAL than) {@code other}}
     *
     * @param other the level compared with
     */
    public boolean isAbove(BreakerLevel other) {
        return ordinal() < other.ordinal();
    }

    /**
     * {@return the level whose prefix is {@code prefix}, or {@code null}}
     *
     * @param prefix a path segment prefix, e.g. {@code "region:"}
     */
    public static BreakerLevel ofPrefix(String prefix) {
        for (BreakerLevel l : values()) {
            if (l.prefix.equals(prefix)) {
                return l;
            }
        }
        return null;
    }
}
