/**
 * Failover across MCP endpoints (spec §1: multi-tier failover architecture and the automatic failover
 * decision engine).
 *
 * <ul>
 *   <li>{@link io.qudag.resilience.failover.EndpointGroup}: the endpoints of one service in
 *       {@link io.qudag.resilience.core.FailoverTier} priority tiers; routes each call (smooth weighted round
 *       robin inside a tier, Envoy-style spill-over with overprovisioning factor 1.4 and panic threshold
 *       50%), ejects outliers, and brings endpoints back (checks every 10 s, 3 successes, 10% ramp steps
 *       over 300 s).</li>
 *   <li>{@link io.qudag.resilience.failover.FailoverDecisionEngine}: immediate, gradual and predictive
 *       triggers, each decision an immutable {@link io.qudag.resilience.failover.FailoverDecision}
 *       (listeners, SLF4J, JSON-lines audit, Micrometer timers); rollback; drain and forced failover;
 *       coordination through {@link io.qudag.resilience.core.spi.FailoverCoordinator}.</li>
 * </ul>
 *
 * <h2>For a client (the MCP binding)</h2>
 * <pre>{@code
 * EndpointGroup group = EndpointGroup.builder("search")
 *     .tier(FailoverTier.LOCAL, Endpoint.of("primary", LOCAL, "http://10.0.0.1:8080/mcp"),
 *                               Endpoint.of("replica", LOCAL, "http://10.0.0.2:8080/mcp"))
 *     .tier(FailoverTier.DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "http://dr:8080/mcp"))
 *     .healthProbe(endpoint -> pingAsync(endpoint))          // MCP ping
 *     .meterRegistry(registry)
 *     .build();
 * FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group)
 *     .sessionReplicator(replicator)                         // re-initialize sessions on the new endpoint
 *     .auditFile(Path.of("failover-audit.jsonl"))
 *     .build();
 * engine.start();
 *
 * // per call
 * Endpoint e = group.choose(toolCall);                       // lock-free, allocation-free
 * long t0 = System.nanoTime();
 * ... call e.address() ...
 * group.onOutcome(e.id(), outcome, System.nanoTime() - t0);  // feeds ejection, triggers, recovery
 * // retrying a safe-to-repeat call elsewhere:
 * Endpoint other = group.chooseOther(toolCall, e.id());
 * // an authentication failure seen by the transport:
 * engine.reportCondition(e.id(), FailoverCondition.AUTHENTICATION_FAILURE, "401");
 * }</pre>
 * Two TRANSPORT_ERRORs in a row (configurable) are "server unreachable": the endpoint is redirected
 * away from on the reporting thread, before the next {@code choose}.
 *
 * <h2>Plugging into the MCP client's {@code EndpointSelector}</h2>
 * The MCP binding tries a list of endpoint ids in order; {@link io.qudag.resilience.failover.EndpointGroup#rank}
 * returns exactly that (precomputed, no allocation):
 * <pre>{@code
 * EndpointSelector selector = new EndpointSelector() {
 *     public List<String> select(ToolCall call) { return group.rank(call); }
 *     public void onOutcome(String id, ToolCall call, CallOutcome outcome, long nanos) {
 *         group.onOutcome(id, outcome, nanos);
 *     }
 *     public void onLiveness(String id, boolean alive) {
 *         if (!alive) engine.reportCondition(id, FailoverCondition.SERVER_UNREACHABLE, "liveness ping failed");
 *     }
 * };
 * }</pre>
 */
package io.qudag.resilience.failover;
