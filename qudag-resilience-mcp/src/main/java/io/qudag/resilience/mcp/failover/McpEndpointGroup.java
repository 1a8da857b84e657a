package io.qudag.resilience.mcp.failover;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointGroupConfig;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.event.FailoverListener;
import io.qudag.resilience.failover.spi.HealthProbe;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * MCP endpoints in failover tiers (spec §1.1), stated once: each {@link McpEndpoint} is named with its
 * tier and weight, and the result holds both the failover {@link EndpointGroup} and the MCP endpoints the
 * client connects to, with the same ids.
 *
 * <pre>{@code
 * McpEndpointGroup search = McpEndpointGroup.builder("search")
 *         .tier(FailoverTier.LOCAL, primary, replica)
 *         .tier(FailoverTier.DISASTER_RECOVERY, dr)
 *         .healthProbe(McpFailover.pingProbe(Duration.ofSeconds(2)))
 *         .build();
 * FailoverDecisionEngine engine = FailoverDecisionEngine.builder(search.group()).build();
 * ResilientMcpClientConfig.builder().endpoints(search.endpoints()).endpointSelector(search.selector(engine));
 * }</pre>
 */
public final class McpEndpointGroup {

    private final EndpointGroup group;
    private final List<McpEndpoint> endpoints;

    private McpEndpointGroup(EndpointGroup group, List<McpEndpoint> endpoints) {
        this.group = group;
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Begins a group.
     *
     * @param name the group's name, as the failover module's events and meters show it
     * @return a builder of the group
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the failover group: routing, outlier ejection and recovery of these endpoints} */
    public EndpointGroup group() {
        return group;
    }

    /**
     * {@return the MCP endpoints, in the order they were added, for {@code ResilientMcpClientConfig.endpoints}}
     */
    public List<McpEndpoint> endpoints() {
        return endpoints;
    }

    /**
     * The client's routing seam backed by {@code engine} over this group: {@link McpFailover#selector}.
     *
     * @param engine a decision engine built on {@link #group()}
     * @return the selector for {@code ResilientMcpClientConfig.endpointSelector}
     * @throws IllegalArgumentException when {@code engine} is {@code null} or runs on another group
     */
    public EndpointSelector selector(FailoverDecisionEngine engine) {
        if (engine != null && engine.group() != group) {
            throw new IllegalArgumentException("engine must run on this group " + group.name() + ", was one on "
                    + engine.group().name());
        }
        return McpFailover.selector(engine, endpoints);
    }

    /** Builds an {@link McpEndpointGroup}; validates in {@link #build()}, naming the field and the value. */
    public static final class Builder {
        private final String name;
        private final List<McpEndpoint> endpoints = new ArrayList<>();
        private final EndpointGroup.Builder group;
        private String problem;

        private Builder(String name) {
            this.name = name;
            this.group = EndpointGroup.builder(name);
        }

        /**
         * Adds {@code members} to {@code tier}, each with weight 1.
         *
         * @param tier the failover tier of the members
         * @param members at least one endpoint
         * @return this builder
         */
        public Builder tier(FailoverTier tier, McpEndpoint... members) {
            if (members == null || members.length == 0) {
                problem = problem != null ? problem : "tier " + tier + " must name at least one endpoint, was none";
                return this;
            }
            for (McpEndpoint m : members) {
                endpoint(m, tier, 1);
            }
            return this;
        }

        /**
         * Adds one endpoint to {@code tier} with {@code weight} (its share inside the tier).
         *
         * @param endpoint the MCP endpoint
         * @param tier its failover tier
         * @param weight its share of the tier's traffic, as {@code Endpoint.Builder#weight} accepts it
         * @return this builder
         */
        public Builder endpoint(McpEndpoint endpoint, FailoverTier tier, int weight) {
            if (problem != null) {
                return this;
            }
            if (endpoint == null || tier == null) {
                problem = "endpoint and tier must not be null, were " + endpoint + ", " + tier;
                return this;
            }
            try {
                group.endpoint(McpFailover.endpoint(endpoint, tier, weight));
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
                return this;
            }
            endpoints.add(endpoint);
            return this;
        }

        /**
         * The group's routing, ejection and recovery settings; default {@link EndpointGroupConfig#defaults()}.
         *
         * @param config the group's settings
         * @return this builder
         */
        public Builder config(EndpointGroupConfig config) {
            group.config(config);
            return this;
        }

        /**
         * Active checks for endpoints that are coming back, e.g. {@link McpFailover#pingProbe}.
         *
         * @param probe the health probe
         * @return this builder
         */
        public Builder healthProbe(HealthProbe probe) {
            group.healthProbe(probe);
            return this;
        }

        /**
         * The clock of the group's ejection times and ramps (default {@link Clock#systemUTC()}).
         *
         * @param clock the clock, not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            group.clock(clock);
            return this;
        }

        /**
         * Where the group's failover meters go (default: none).
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            group.meterRegistry(registry);
            return this;
        }

        /**
         * Adds a listener for the group's endpoint state changes; repeatable.
         *
         * @param listener the listener, not {@code null}
         * @return this builder
         */
        public Builder listener(FailoverListener listener) {
            group.listener(listener);
            return this;
        }

        /**
         * Any other setting of the underlying {@link EndpointGroup.Builder}.
         *
         * @param settings applied to the group's builder
         * @return this builder
         */
        public Builder group(Consumer<EndpointGroup.Builder> settings) {
            settings.accept(group);
            return this;
        }

        /**
         * Validates the settings and builds the group.
         *
         * @return the group
         * @throws IllegalArgumentException naming the field and value of the first invalid setting
         */
        public McpEndpointGroup build() {
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("endpoints of group " + name + " must name at least one, was none");
            }
            Set<String> ids = new HashSet<>();
            for (McpEndpoint e : endpoints) {
                if (!ids.add(e.id())) {
                    throw new IllegalArgumentException("endpoint ids must be unique, was \"" + e.id() + "\" twice");
                }
            }
            return new McpEndpointGroup(group.build(), endpoints);
        }
    }
}
