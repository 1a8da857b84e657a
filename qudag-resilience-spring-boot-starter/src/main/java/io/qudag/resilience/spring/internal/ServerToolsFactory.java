package io.qudag.resilience.spring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.mcp.server.ResilientTools;
import io.qudag.resilience.mcp.server.ResilientToolsConfig;
import io.qudag.resilience.spring.QudagResilienceProperties;

/** Builds the library's {@link ResilientToolsConfig} from {@code qudag.resilience.server.*}. */
public final class ServerToolsFactory {

    private ServerToolsFactory() {
    }

    public static ResilientToolsConfig config(QudagResilienceProperties.Server s, MeterRegistry registry) {
        ResilientToolsConfig.Builder b = ResilientToolsConfig.builder(s.getName())
                .defaultIsolationClass(s.getIsolationClass())
                .rejectionMode(s.getRejectionMode())
                .rejectionErrorCode(s.getRejectionErrorCode())
                .meterRegistry(registry);
        s.getTimeLimits().forEach(b::timeLimit);
        if (s.getTimeLimit() != null) {
            b.timeLimit(s.getTimeLimit());
        }
        s.getTools().forEach((tool, o) -> b.isolationClass(tool, o.getIsolationClass()));
        QudagResilienceProperties.Breaker br = s.getBreaker();
        if (br.isEnabled()) {
            AdaptiveBreakerConfig bc;
            try {
                bc = AdaptiveBreakerConfig.builder().baseFailureThreshold(br.getFailureThreshold())
                        .minimumNumberOfCalls(br.getMinimumNumberOfCalls()).slidingWindow(br.getSlidingWindow())
                        .baseOpenDuration(br.getOpenDuration()).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(QudagResilienceProperties.PREFIX + ".server.breaker is invalid: "
                        + e.getMessage(), e);
            }
            AdaptiveCircuitBreaker.Builder ab = AdaptiveCircuitBreaker.builder(s.getName() + "-tools").config(bc);
            if (registry != null) {
                ab.meterRegistry(registry);
            }
            b.breaker(ab.build());
        }
        return b.build();
    }

    public static ResilientTools create(QudagResilienceProperties.Server s, MeterRegistry registry) {
        return ResilientTools.create(config(s, registry));
    }
}
