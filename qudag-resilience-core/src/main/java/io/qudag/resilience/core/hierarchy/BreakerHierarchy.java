package io.qudag.resilience.core.hierarchy;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.event.HierarchyEventListener;
import io.qudag.resilience.core.hierarchy.internal.BreakerHierarchyImpl;
import io.qudag.resilience.core.hierarchy.spi.EscalationApprovalGate;
import io.qudag.resilience.core.hierarchy.spi.LevelHealthCheck;
import io.qudag.resilience.core.spi.Breaker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The hierarchical circuit breaker system of spec §3.2: adaptive breakers organised by
 * {@link BreakerPath} in the levels GLOBAL › REGIONAL › INFRASTRUCTURE › SERVICE › APPLICATION,
 * with the escalation rules and the bottom-up staged recovery of {@link BreakerHierarchyConfig}.
 *
 * <p>As a {@link Breaker} it plugs into a pipeline's breaker slot: every call is routed through the
 * path its {@link PathResolver} derives from the {@link ToolCall}; breakers are created on first use,
 * up to {@link BreakerHierarchyConfig#maxChildrenPerNode()} under one node (beyond it a call is
 * guarded by the path above, counted in {@code qudag.resilience.hierarchy.truncated{name}}).
 * A rejection is a {@link HierarchyRejectedException} naming the level.
 *
 * <p>Time-driven coordination (holds expiring, recovery stages, sustained openings) happens in
 * {@link #tick()}: call it from a scheduler (e.g. every second) or from tests with an injected clock.
 * Event-driven rules (regional escalation, cascade) run at once when a breaker opens. Coordination
 * takes one lock; the call path takes none.
 */
public interface BreakerHierarchy extends Breaker {

    /** {@return a builder with the defaults: name {@code "hierarchy"}, the spec configuration, no region map} */
    static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the path breaker for {@code path}, creating missing breakers} Cached: same path, same object.
     *
     * @param path the path from {@code global} down
     */
    HierarchyPath path(BreakerPath path);

    /**
     * {@return the path breaker for a call, by the configured {@link PathResolver}}
     *
     * @param call the call; its endpoint, service and tool name pick the path
     */
    HierarchyPath pathFor(ToolCall call);

    /**
     * {@return the breaker of one node, creating it (and its ancestors) if missing}
     *
     * @param path the node's path from {@code global} down
     */
    AdaptiveCircuitBreaker node(BreakerPath path);

    /** {@return the configuration} */
    BreakerHierarchyConfig config();

    /**
     * Runs the time-driven rules now. Never throws: a failure at one node is logged and the others
     * still advance, so it is safe to schedule with {@code scheduleAtFixedRate}.
     */
    void tick();

    /** {@return proposals to open the global breaker that wait for an operator} */
    List<EscalationProposal> pendingProposals();

    /**
     * Resolves a pending proposal.
     *
     * @throws IllegalArgumentException when no proposal with this id is pending
     * @param proposalId the id of a pending {@link EscalationProposal}
     * @param approve true opens the global breaker; false drops the proposal
     */
    void resolveProposal(String proposalId, boolean approve);

    /**
     * Adds a listener for hierarchy events (escalations, proposals, recovery stages).
     *
     * @param listener the listener; non-null
     */
    void addListener(HierarchyEventListener listener);

    /** Builds a {@link BreakerHierarchy}. */
    final class Builder {
        private String name = "hierarchy";
        private BreakerHierarchyConfig config = BreakerHierarchyConfig.defaults();
        private Clock clock;
        private boolean clockSet;
        private LongSupplier ticker;
        private boolean tickerSet;
        private MeterRegistry meterRegistry;
        private EscalationApprovalGate approvalGate = EscalationApprovalGate.holdAndReport();
        private LevelHealthCheck healthCheck = LevelHealthCheck.alwaysHealthy();
        private PathResolver pathResolver = PathResolver.standard(Map.of(), null);
        private final List<HierarchyEventListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The hierarchy's name, the {@code name} meter tag; default {@code "hierarchy"}.
         *
         * @param name not blank
         * @return this builder
         */
        public Builder name(String name) { this.name = name; return this; }
        /**
         * Escalation rules and per-level breaker settings; default {@link BreakerHierarchyConfig#defaults()}.
         *
         * @param config the configuration; non-null
         * @return this builder
         */
        public Builder config(BreakerHierarchyConfig config) { this.config = config; return this; }
        /**
         * The hierarchy's and its breakers' {@link AdaptiveCircuitBreaker.Builder#clock clock}; default: the system clock.
         *
         * @param clock the clock; non-null when set
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            this.clockSet = true;
            return this;
        }

        /**
         * The breakers' {@link AdaptiveCircuitBreaker.Builder#ticker ticker}; default {@code System::nanoTime}.
         *
         * @param ticker the nano-time source; non-null when set
         * @return this builder
         */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = ticker;
            this.tickerSet = true;
            return this;
        }

        /**
         * Where the hierarchy's and its breakers' meters go; default none.
         *
         * @param registry the registry, or {@code null} for no meters
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) { this.meterRegistry = registry; return this; }
        /**
         * Default: {@link EscalationApprovalGate#holdAndReport()}.
         *
         * @param gate decides on proposals to open the global breaker; non-null
         * @return this builder
         */
        public Builder approvalGate(EscalationApprovalGate gate) { this.approvalGate = gate; return this; }
        /**
         * Default: {@link LevelHealthCheck#alwaysHealthy()}.
         *
         * @param check tells whether a level is healthy before its recovery stage; non-null
         * @return this builder
         */
        public Builder healthCheck(LevelHealthCheck check) { this.healthCheck = check; return this; }
        /**
         * Default: {@link PathResolver#standard} with no region map.
         *
         * @param resolver maps a call to its path; non-null
         * @return this builder
         */
        public Builder pathResolver(PathResolver resolver) { this.pathResolver = resolver; return this; }

        /**
         * Adds a listener for hierarchy events; repeatable.
         *
         * @param listener the listener; non-null
         * @return this builder
         */
        public Builder listener(HierarchyEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Validates the settings and builds the hierarchy with its global breaker.
         *
         * @return the hierarchy
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public BreakerHierarchy build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
            }
            require("config", config);
            if (clockSet) {
                require("clock", clock);
            }
            if (tickerSet) {
                require("ticker", ticker);
            }
            require("approvalGate", approvalGate);
            require("healthCheck", healthCheck);
            require("pathResolver", pathResolver);
            return new BreakerHierarchyImpl(name, config, clock, ticker, meterRegistry, approvalGate, healthCheck, pathResolver,
                    listeners);
        }

        private static void require(String field, Object value) {
            if (value == null) {
                throw new IllegalArgumentException(field + " must not be null, was null");
            }
        }
    }
}
