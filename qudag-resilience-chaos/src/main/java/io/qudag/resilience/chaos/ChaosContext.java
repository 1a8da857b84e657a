package io.qudag.resilience.chaos;

import java.util.Set;
import java.util.function.Predicate;

/**
 * What an injector's enabled predicate sees of one call (spec §5.1, scope): the tool, the endpoint, the
 * service and the tenant. Any of them may be {@code null} (a plain call has no tool). The static
 * helpers build the common predicates.
 */
public record ChaosContext(String tool, String endpoint, String service, String tenant) {

    /** {@return every call} */
    public static Predicate<ChaosContext> any() {
        return c -> true;
    }

    /**
     * {@return a scope matching calls of one of these tools}
     *
     * @param tools the tool names
     */
    public static Predicate<ChaosContext> tools(String... tools) {
        Set<String> set = Set.of(tools);
        return c -> c.tool() != null && set.contains(c.tool());
    }

    /**
     * {@return a scope matching calls aimed at one of these endpoints}
     *
     * @param endpoints the endpoint ids
     */
    public static Predicate<ChaosContext> endpoints(String... endpoints) {
        Set<String> set = Set.of(endpoints);
        return c -> c.endpoint() != null && set.contains(c.endpoint());
    }

    /**
     * {@return a scope matching calls made for one of these tenants}
     *
     * @param tenants the tenant ids
     */
    public static Predicate<ChaosContext> tenants(String... tenants) {
        Set<String> set = Set.of(tenants);
        return c -> c.tenant() != null && set.contains(c.tenant());
    }
}
