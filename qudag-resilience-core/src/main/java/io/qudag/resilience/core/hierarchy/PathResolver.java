package io.qudag.resilience.core.hierarchy;

import io.qudag.resilience.core.ToolCall;
import java.util.Map;

/**
 * Derives the hierarchy path of a {@link ToolCall} (spec §3.2), so a {@link BreakerHierarchy} can sit
 * in a pipeline's breaker slot and route every call through its own path.
 */
@FunctionalInterface
public interface PathResolver {

    /**
     * The path for this call; {@code call} may be {@code null} for a plain call. The result must
     * depend only on the call's endpoint id, service id and tool name: the hierarchy caches paths by
     * those three.
     */
    BreakerPath resolve(ToolCall call);

    /**
     * The standard mapping: {@code global / region:<region of the endpoint> / infra:<endpointId> /
     * service:<serviceId> / tool:<toolName>}. The region comes from {@code endpointRegions}, else
     * {@code defaultRegion}; a segment whose id is unknown is left out (a call without endpoint has
     * no infra segment; without service id the endpoint id stands in for it). A {@code null} call
     * resolves to {@code global}. Ids are taken through {@link BreakerPath#escapeId}, so an endpoint id
     * that is a URL or a service id like {@code org/search} is a segment of its own, not an error.
     *
     * @param endpointRegions endpoint id → region id (copied)
     * @param defaultRegion   region of endpoints not in the map, or {@code null} for none
     */
    static PathResolver standard(Map<String, String> endpointRegions, String defaultRegion) {
        Map<String, String> regions = Map.copyOf(endpointRegions);
        return call -> {
            BreakerPath p = BreakerPath.global();
            if (call == null) {
                return p;
            }
            String endpoint = call.endpointId();
            String region = endpoint == null ? defaultRegion : regions.getOrDefault(endpoint, defaultRegion);
            if (region != null && !region.isBlank()) {
                p = p.child(BreakerLevel.REGIONAL, BreakerPath.escapeId(region));
            }
            if (endpoint != null) {
                p = p.child(BreakerLevel.INFRASTRUCTURE, BreakerPath.escapeId(endpoint));
            }
            String service = call.serviceId() != null ? call.serviceId() : endpoint;
            if (service != null) {
                p = p.child(BreakerLevel.SERVICE, BreakerPath.escapeId(service));
            }
            return p.child(BreakerLevel.APPLICATION, BreakerPath.escapeId(call.toolName()));
        };
    }
}
