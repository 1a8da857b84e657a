package io.qudag.resilience.failover;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.failover.event.FailoverListener;
import io.qudag.resilience.failover.internal.DefaultEndpointGroup;
import io.qudag.resilience.failover.spi.HealthProbe;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The tiered set of MCP servers that can answer for one service (spec §1.1).
 * Routes each call to one endpoint: smooth weighted round robin inside a {@link FailoverTier}, spill-over
 * to the next tier by healthy share with an overprovisioning factor, panic mode below the panic
 * threshold (as Envoy's priority levels); ejects outliers; brings endpoints back through health checks
 * and a 10%-step ramp.
 *
 * <p>Use by a client, per call:
 * <pre>{@code
 * Endpoint e = group.choose(call);               // lock-free, allocation-free
 * long t0 = System.nanoTime();
 * ... call e ...
 * group.onOutcome(e.id(), outcome, System.nanoTime() - t0);
 * }</pre>
 * Time-driven work (ejection expiry, health checks, ramp steps, success-rate analysis) runs in
 * {@link #tick()}, which a {@link FailoverDecisionEngine} schedules; call it yourself when you use a
 * group without an engine. Implementations are thread-safe.
 */
public interface EndpointGroup extends AutoCloseable {

    /**
     * Starts building a group named {@code name} (the service's name; used in metrics and logs).
     *
     * @param name the service's name; not blank
     * @return the builder
     */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the group's name: the service's name, used in metrics and logs} */
    String name();

    /** {@return all endpoints, in tier order, then in the order given} */
    List<Endpoint> endpoints();

    /**
     * {@return the endpoint for this call} Lock-free and allocation-free in steady state.
     *
     * @param call the call (may be {@code null}); not used for routing today, reserved for affinity
     * @throws NoEndpointAvailableException when no endpoint may take traffic: every endpoint is drained,
     *                                      or every one is out and panic mode is off ({@code panicThreshold} 0)
     */
    Endpoint choose(ToolCall call);

    /**
     * {@return an endpoint other than {@code avoidEndpointId} when one is available (for a retry after a
     * failure): another endpoint of the chosen tier, else a healthy endpoint of another tier, else the
     * avoided one}
     *
     * @param call the call (may be {@code null})
     * @param avoidEndpointId the endpoint that just failed the call
     */
    Endpoint chooseOther(ToolCall call, String avoidEndpointId);

    /**
     * {@return the endpoint ids to try for this call, best first: the endpoint {@link #choose} would pick, then
     * the other endpoints that carry traffic (its tier first, then the other tiers in tier order), then
     * the non-drained endpoints that carry none, as a last resort} Drained endpoints are never listed.
     * The lists are precomputed with each routing change: choosing one is lock-free and allocation-free.
     * This is what the MCP client's {@code EndpointSelector.select} returns.
     *
     * @param call the call (may be {@code null})
     * @throws NoEndpointAvailableException as {@link #choose}
     */
    List<String> rank(ToolCall call);

    /**
     * Reports how a call to {@code endpointId} ended. Feeds outlier detection, the decision engine's
     * indicators and recovery. {@link CallOutcome#REJECTED} is ignored (the endpoint was not asked).
     * Allocation-free unless it changes the endpoint's state.
     *
     * @param endpointId the endpoint that ran the call
     * @param outcome how the call ended
     * @param durationNanos how long it ran, in nanoseconds
     * @throws IllegalArgumentException for an id not in this group
     */
    void onOutcome(String endpointId, CallOutcome outcome, long durationNanos);

    /**
     * {@return the current status of one endpoint}
     *
     * @param endpointId an endpoint of the group
     */
    EndpointStatus status(String endpointId);

    /** {@return the status of every endpoint, in {@link #endpoints()} order} */
    List<EndpointStatus> statuses();

    /** {@return how the group routes right now} */
    RoutingSnapshot routing();

    /** Runs the time-driven work that is due at the clock's current time. */
    void tick();

    /**
     * Adds a listener for endpoint state changes.
     *
     * @param listener non-null
     */
    void addListener(FailoverListener listener);

    /**
     * Removes a listener added before; unknown listeners are ignored.
     *
     * @param listener the listener
     */
    void removeListener(FailoverListener listener);

    /**
     * Removes the group's meters from its registry. The group owns no thread; it keeps routing after
     * {@code close()} but reports no more meters. Idempotent.
     */
    @Override
    void close();

    /** Builds an {@link EndpointGroup}; validates in {@link #build()}. */
    final class Builder {
        private final String name;
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final Map<FailoverTier, List<Endpoint>> declaredTiers = new EnumMap<>(FailoverTier.class);
        private EndpointGroupConfig config = EndpointGroupConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private HealthProbe healthProbe;
        private final List<FailoverListener> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Adds an endpoint in its own tier.
         *
         * @param endpoint non-null; its id must be new to the group
         * @return this builder
         */
        public Builder endpoint(Endpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /**
         * Adds several endpoints, each in its own tier.
         *
         * @param endpoints non-null; ids must be new to the group
         * @return this builder
         */
        public Builder endpoints(Collection<Endpoint> endpoints) {
            endpoints.forEach(this::endpoint);
            return this;
        }

        /**
         * Declares a tier with its endpoints; each must carry that tier. Declaring a tier with no
         * endpoints fails in {@link #build()}.
         *
         * @param tier the tier; non-null
         * @param members its endpoints, each carrying that tier; not empty
         * @return this builder
         */
        public Builder tier(FailoverTier tier, Endpoint... members) {
            Objects.requireNonNull(tier, "tier");
            declaredTiers.computeIfAbsent(tier, t -> new ArrayList<>()).addAll(Arrays.asList(members));
            endpoints.addAll(Arrays.asList(members));
            return this;
        }

        /**
         * Routing, ejection and recovery settings; default {@link EndpointGroupConfig#defaults()}.
         *
         * @param config non-null
         * @return this builder
         */
        public Builder config(EndpointGroupConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Clock for ejection times and ramps; default {@code Clock.systemUTC()}.
         *
         * @param clock non-null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Where the group's meters go; default none.
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Active checks for PROBING endpoints; without one, recovery is passive (ramp after ejection).
         *
         * @param probe the probe, or {@code null} for passive recovery (the default)
         * @return this builder
         */
        public Builder healthProbe(HealthProbe probe) {
            this.healthProbe = probe;
            return this;
        }

        /**
         * Adds a listener for endpoint state changes; repeatable.
         *
         * @param listener non-null
         * @return this builder
         */
        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Validates the settings and builds the group, every endpoint HEALTHY.
         *
         * @return the group
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public EndpointGroup build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was "
                        + (name == null ? "null" : '"' + name + '"'));
            }
            if (config == null) {
                throw new IllegalArgumentException("config must not be null, was null");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            for (Map.Entry<FailoverTier, List<Endpoint>> e : declaredTiers.entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw new IllegalArgumentException("tiers." + e.getKey() + ".endpoints must not be empty, was []");
                }
                for (Endpoint ep : e.getValue()) {
                    if (ep == null) {
                        throw new IllegalArgumentException("tiers." + e.getKey() + ".endpoints must not contain null");
                    }
                    if (ep.tier() != e.getKey()) {
                        throw new IllegalArgumentException("tiers." + e.getKey() + ".endpoints[" + ep.id()
                                + "].tier must be " + e.getKey() + ", was " + ep.tier());
                    }
                }
            }
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("endpoints must not be empty, was []");
            }
            Set<String> ids = new HashSet<>();
            for (Endpoint ep : endpoints) {
                if (!ids.add(ep.id())) {
                    throw new IllegalArgumentException("endpoints ids must be unique, was duplicate \"" + ep.id() + '"');
                }
            }
            return new DefaultEndpointGroup(name, endpoints, config, clock, meterRegistry, healthProbe, listeners);
        }
    }
}
