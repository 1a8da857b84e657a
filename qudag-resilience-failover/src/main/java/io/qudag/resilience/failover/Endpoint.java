package io.qudag.resilience.failover;

import io.qudag.resilience.core.FailoverTier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One MCP server that can answer for a service: its id, its {@link FailoverTier} (spec §1.1), its
 * routing weight inside the tier and an opaque description of how to reach it. A plain immutable
 * value: it carries no state; health and traffic share live in the {@link EndpointGroup}.
 *
 * <p>{@link #address()} is opaque to this module (a URI such as {@code http://10.0.0.5:8080/mcp}, or
 * {@code stdio:node dist/index.js}); the MCP binding interprets it and {@link #attributes()}.
 */
public final class Endpoint {

    /** The largest accepted weight. */
    public static final int MAX_WEIGHT = 10_000;

    private final String id;
    private final FailoverTier tier;
    private final int weight;
    private final String address;
    private final Map<String, String> attributes;
    private final double capacityPerSecond;

    private Endpoint(Builder b) {
        this.id = b.id;
        this.tier = b.tier;
        this.weight = b.weight;
        this.address = b.address;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.capacityPerSecond = b.capacityPerSecond;
    }

    /**
     * {@return an endpoint with weight 1 and no attributes}
     *
     * @param id unique in its group; not blank
     * @param tier the failover tier it serves in
     * @param address opaque address, e.g. a URL or {@code stdio:<command>}
     */
    public static Endpoint of(String id, FailoverTier tier, String address) {
        return builder(id).tier(tier).address(address).build();
    }

    /**
     * {@return an endpoint with the given weight and no attributes}
     *
     * @param id unique in its group; not blank
     * @param tier the failover tier it serves in
     * @param weight its share of its tier's traffic, 1 to 10,000
     * @param address opaque address, e.g. a URL or {@code stdio:<command>}
     */
    public static Endpoint of(String id, FailoverTier tier, int weight, String address) {
        return builder(id).tier(tier).weight(weight).address(address).build();
    }

    /**
     * {@return a builder for endpoint {@code id}: tier LOCAL, weight 1, empty address}
     *
     * @param id unique in its group; not blank
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** {@return the endpoint's id, unique inside its group; used in metrics tags, logs and {@link EndpointGroup#onOutcome}} */
    public String id() {
        return id;
    }

    /** {@return the failover tier the endpoint serves in} */
    public FailoverTier tier() {
        return tier;
    }

    /** {@return relative weight inside the tier, 1..{@value #MAX_WEIGHT}} */
    public int weight() {
        return weight;
    }

    /** {@return how to reach it, opaque here (URI or transport description); may be empty} */
    public String address() {
        return address;
    }

    /** {@return free-form attributes for the transport binding (region, auth realm …), unmodifiable} */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * {@return the calls per second this endpoint is rated for, or 0 when unknown} Used by the predictive
     * {@code capacity_threshold_exceeded} trigger (spec §1.2).
     */
    public double capacityPerSecond() {
        return capacityPerSecond;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Endpoint other)) {
            return false;
        }
        return id.equals(other.id) && tier == other.tier && weight == other.weight
                && address.equals(other.address) && attributes.equals(other.attributes)
                && Double.compare(capacityPerSecond, other.capacityPerSecond) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, tier, weight, address, attributes, capacityPerSecond);
    }

    @Override
    public String toString() {
        return "Endpoint{" + id + ", " + tier + ", weight=" + weight + ", address=" + address + '}';
    }

    /** Builds an {@link Endpoint}; validates in {@link #build()}. */
    public static final class Builder {
        private final String id;
        private FailoverTier tier = FailoverTier.LOCAL;
        private int weight = 1;
        private String address = "";
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private double capacityPerSecond;

        private Builder(String id) {
            this.id = id;
        }

        /**
         * The failover tier the endpoint serves in; default LOCAL.
         *
         * @param tier non-null
         * @return this builder
         */
        public Builder tier(FailoverTier tier) {
            this.tier = tier;
            return this;
        }

        /**
         * Share of its tier's traffic, relative to the other endpoints of the tier; default 1.
         *
         * @param weight 1 to 10,000 ({@link Endpoint#MAX_WEIGHT})
         * @return this builder
         */
        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Opaque address, e.g. a URL or {@code stdio:<command>}; default {@code ""}.
         *
         * @param address non-null
         * @return this builder
         */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /**
         * Adds a free-form attribute, e.g. a region; default none.
         *
         * @param key non-null
         * @param value non-null
         * @return this builder
         */
        public Builder attribute(String key, String value) {
            this.attributes.put(Objects.requireNonNull(key, "attribute key"),
                    Objects.requireNonNull(value, "attribute value"));
            return this;
        }

        /**
         * Rated capacity in calls per second; default 0 (unknown: no capacity trigger).
         *
         * @param capacityPerSecond {@code >= 0}, finite
         * @return this builder
         */
        public Builder capacityPerSecond(double capacityPerSecond) {
            this.capacityPerSecond = capacityPerSecond;
            return this;
        }

        /**
         * Validates the settings and builds.
         *
         * @return the immutable endpoint
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public Endpoint build() {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("endpoint.id must not be blank, was "
                        + (id == null ? "null" : '"' + id + '"'));
            }
            if (tier == null) {
                throw new IllegalArgumentException("endpoint[" + id + "].tier must not be null, was null");
            }
            if (weight < 1 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException("endpoint[" + id + "].weight must be in 1.." + MAX_WEIGHT
                        + ", was " + weight);
            }
            if (address == null) {
                throw new IllegalArgumentException("endpoint[" + id + "].address must not be null, was null");
            }
            if (!(capacityPerSecond >= 0) || Double.isInfinite(capacityPerSecond)) {
                throw new IllegalArgumentException("endpoint[" + id + "].capacityPerSecond must be >= 0 and finite, was "
                        + capacityPerSecond);
            }
            return new Endpoint(this);
        }
    }
}
