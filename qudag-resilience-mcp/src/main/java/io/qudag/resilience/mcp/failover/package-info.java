/**
 * Routing a {@code ResilientMcpClient} through the failover module (spec §1.1 multi-tier failover,
 * §1.2 decision engine and recovery procedures): {@link io.qudag.resilience.mcp.failover.McpFailover}
 * maps {@code McpEndpoint}s to failover {@code Endpoint}s (same id: one name per endpoint), makes the
 * client's {@code EndpointSelector} from a {@code FailoverDecisionEngine} and its {@code EndpointGroup},
 * and gives the group an MCP {@code ping} health check.
 *
 * <pre>{@code
 * List<McpEndpoint> mcp = List.of(primary, replica, dr);
 * EndpointGroup group = EndpointGroup.builder("search")
 *     .tier(FailoverTier.LOCAL, McpFailover.endpoint(primary, FailoverTier.LOCAL, 1),
 *                               McpFailover.endpoint(replica, FailoverTier.LOCAL, 1))
 *     .tier(FailoverTier.DISASTER_RECOVERY, McpFailover.endpoint(dr, FailoverTier.DISASTER_RECOVERY, 1))
 *     .healthProbe(McpFailover.pingProbe(Duration.ofSeconds(2)))
 *     .build();
 * FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group).auditFile(audit).build();
 * engine.start();
 * ResilientMcpClient client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
 *     .endpoints(mcp)
 *     .endpointSelector(McpFailover.selector(engine, mcp))
 *     .build());
 * }</pre>
 */
package io.qudag.resilience.mcp.failover;
