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
     * {@return the path for this call; {@code call} may be {@code null} for a plain call} The result must
     * depend only on the call's endpoint id, service id and tool name: the hierarchy caches paths by
     * those three.
     *
     * @param call the call; its endpoint, service and tool name pick the path
     */
    BreakerPath resolve(ToolCall call);

    /**
     * {@return the standard mapping: {@code global / region:<region> / infra:<endpointId> /
     * service:<serviceId> / tool:<toolName>}} The region is looked up in {@code regions} by the call's
     * endpoint id, then by its service id (so plain pipeline calls that name only a service get their
     * region too), else it is {@code defaultRegion}; a segment whose id is unknown is left out (a call without endpoint has
     * no infra segment; without service id the endpoint id stands in for it). A {@code null} call
     * resolves to {@code global}. Ids are taken through {@link BreakerPath#escapeId}, so an endpoint id
     * that is a URL or a service id like {@code org/search} is a segment of its own, not an error.
     *
     * @param regions       endpoint id or service id → region id (copied); keys and values must not be blank
     * @param defaultRegion region of calls not in the map, or {@code null} for none
     * @throws IllegalArgumentException naming the entry when the map is null or has a blank key or value
     */
    static PathResolver standard(Map<String, String> regions, String defaultRegion) {
        if (regions == null) {
            throw new IllegalArgumentException("regions must not be null, was null (use Map.of() for none)");
        }
        regions.forEach((id, region) -> {
            if (id == null || id.isBlank() || region == null || region.isBlank()) {
                throw new IllegalArgumentException("regions must map non-blank ids to non-blank regions, was "
                        + (id == null ? "null" : "\"" + id + "\"") + " -> " + (region == null ? "null" : "\"" + region + "\""));
            }
        });
        if (defaultRegion != null && defaultRegion.isBlank()) {
            throw new IllegalArgumentException("defaultRegion must be null or non-blank, was \"" + defaultRegion + "\"");
        }
        Map<String, String> byId = Map.copyOf(regions);
        return call -> {
            BreakerPath p = BreakerPath.global();
            if (call == null) {
                return p;
            }
            String endpoint = call.endpointId();
            String region = endpoint == null ? null : byId.get(endpoint);
            if (region == null && call.serviceId() != null) {
                region = byId.get(call.serviceId());
            }
            if (region == null) {
                region = defaultRegion;
            }
            if (region != null) {
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
