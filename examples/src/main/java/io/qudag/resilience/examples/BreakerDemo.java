package io.qudag.resilience.examples;

import static io.qudag.resilience.examples.Demo.check;
import static io.qudag.resilience.examples.Demo.report;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.AdaptiveFactor;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.breaker.spi.FactorSignal;
import io.qudag.resilience.core.event.HierarchyEvent;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.HierarchyRejectedException;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.examples.Demo.FlakyServer;
import io.qudag.resilience.examples.Demo.Mode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Part two of the main demo: the adaptive circuit breaker (spec §3.1) trips, probes and ramps traffic
 * back in 10% steps, and the breaker hierarchy (spec §3.2) opens a region when three of its services
 * fail, then recovers bottom-up. Minutes of breaker time pass on a demo clock in an instant.
 */
final class BreakerDemo {

    private BreakerDemo() {
    }

    /** A clock the demo moves by hand, so that a 60 s open time and a 300 s ramp take no real time. */
    static final class DemoClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-29T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the demo clock is UTC");
        }
    }

    static boolean run() {
        List<String> failures = new ArrayList<>();
        adaptiveBreaker(failures);
        System.out.println();
        hierarchy(failures);
        System.out.println();
        if (failures.isEmpty()) {
            System.out.println("breaker demo OK: every behaviour shown held");
            return true;
        }
        System.out.println("breaker demo FAILED: " + failures);
        return false;
    }

    private static void adaptiveBreaker(List<String> failures) {
        DemoClock clock = new DemoClock();
        FlakyServer server = new FlakyServer();
        List<String> transitions = new ArrayList<>();
        AdaptiveCircuitBreaker breaker = AdaptiveCircuitBreaker.builder("search-mcp").clock(clock)
                .signal(AdaptiveFactor.CURRENT_LOAD, FactorSignal.constant(0.8)) // light load: a little more lenient
                .meterRegistry(new SimpleMeterRegistry())
                .listener(e -> transitions.add(e.from() + "->" + e.to()))
                .build();
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("adaptive")
                .breaker(breaker).clock(clock)
                .fallback((call, outcome, error) -> "fallback")
                .build();
        ToolCall search = ToolCall.builder("search").arguments(Map.of("q", "x")).hints(ToolHints.READ_ONLY).build();

        System.out.println("Adaptive circuit breaker (spec 3.1), on a demo clock");
        int served = served(pipeline, server, search, 50);
        report("healthy", "50 calls, " + served + " served, " + breaker.state() + ", failure threshold "
                + pct(breaker.currentFailureThreshold()) + " (base 5%; current-load tolerance 0.8, other factors neutral)");

        server.mode = Mode.DOWN;
        int untilOpen = 0;
        while (breaker.state() == BreakerState.CLOSED && untilOpen < 1_000) {
            pipeline.executeToolCall(search, c -> server.call(c));
            untilOpen++;
        }
        Duration openFor = breaker.snapshot().lastOpenDuration();
        int executions = server.searchExecutions.get();
        int answered = countFallbacks(pipeline, server, search, 20);
        report("server down", "OPEN after " + untilOpen + " failing calls, open for " + openFor.toSeconds()
                + " s (base 60 s x severity, history, time-since-failure); next 20 calls: " + answered
                + " answered by the fallback, " + (server.searchExecutions.get() - executions) + " reached the server");
        check(breaker.state() == BreakerState.OPEN, "breaker opened on the failure rate", failures);
        check(server.searchExecutions.get() == executions, "an open breaker let no call through", failures);

        server.mode = Mode.HEALTHY;
        clock.advance(openFor);
        int probes = 0;
        while (breaker.state() != BreakerState.RECOVERY && probes < 1_000) {
            pipeline.executeToolCall(search, c -> server.call(c));
            probes++;
        }
        report("half-open", probes + " calls offered, 10% admitted as probes, 3 successes in a row: "
                + breaker.state());
        check(breaker.state() == BreakerState.RECOVERY, "three probe successes started the ramp", failures);

        StringBuilder ramp = new StringBuilder();
        boolean rampFollowed = true;
        for (int step = 0; step < 10; step++) {
            double share = served(pipeline, server, search, 200) / 200.0;
            ramp.append(String.format(Locale.ROOT, " %.0f%%", share * 100));
            rampFollowed &= Math.abs(share - 0.1 * (step + 1)) <= 0.02;
            clock.advance(Duration.ofSeconds(30));
        }
        pipeline.executeToolCall(search, c -> server.call(c));
        report("recovery ramp", "share served by the server every 30 s of the 300 s ramp:" + ramp + "; then "
                + breaker.state());
        check(rampFollowed, "the admitted share followed the 10% steps", failures);
        check(breaker.state() == BreakerState.CLOSED, "the ramp ended CLOSED", failures);
        report("transitions", String.join(", ", transitions));
        check(transitions.equals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->RECOVERY", "RECOVERY->CLOSED")),
                "the breaker went CLOSED, OPEN, HALF_OPEN, RECOVERY, CLOSED", failures);
    }

    private static void hierarchy(List<String> failures) {
        DemoClock clock = new DemoClock();
        List<HierarchyEvent> events = new ArrayList<>();
        Map<String, String> regions = Map.of("eu-1", "eu-west", "eu-2", "eu-west", "eu-3", "eu-west",
                "eu-4", "eu-west", "us-1", "us-east");
        BreakerHierarchy hierarchy = BreakerHierarchy.builder().clock(clock)
                .pathResolver(PathResolver.standard(regions, null)).listener(events::add).build();
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("hierarchy")
                .breaker(hierarchy).clock(clock).build();

        System.out.println("Breaker hierarchy (spec 3.2): global > region > infrastructure > service > tool");
        String[][] failing = {{"eu-1", "maps"}, {"eu-2", "search"}, {"eu-3", "mail"}};
        for (String[] f : failing) {
            ToolCall call = ToolCall.builder("lookup").endpointId(f[0]).serviceId(f[1]).build();
            for (int i = 0; i < 20; i++) {
                try {
                    pipeline.executeToolCall(call, c -> {
                        throw new IllegalStateException(c.serviceId() + " is down");
                    });
                } catch (RuntimeException expected) {
                    // the call failed or its service breaker refused it: both are what this phase shows
                }
            }
        }
        report("3 services fail", "in eu-west: " + describe(events));
        ToolCall healthyInEu = ToolCall.builder("lookup").endpointId("eu-4").serviceId("calendar").build();
        String euAnswer;
        try {
            euAnswer = pipeline.executeToolCall(healthyInEu, c -> "ok");
        } catch (HierarchyRejectedException e) {
            euAnswer = "rejected at " + e.level() + " by " + e.rejectedBy();
        }
        String usAnswer = pipeline.executeToolCall(
                ToolCall.builder("lookup").endpointId("us-1").serviceId("calendar").build(), c -> "ok");
        report("a 4th service", "eu-west/calendar: " + euAnswer + "; us-east/calendar: " + usAnswer);
        check(euAnswer.startsWith("rejected at REGIONAL"), "the open region refused its healthy service too",
                failures);
        check(usAnswer.equals("ok"), "another region kept serving", failures);

        events.clear();
        for (int s = 0; s < 60; s++) {
            clock.advance(Duration.ofSeconds(1));
            hierarchy.tick();
        }
        List<BreakerLevel> stages = events.stream().filter(e -> e.type() == HierarchyEvent.Type.RECOVERY_STAGE)
                .map(HierarchyEvent::level).toList();
        report("recovery", "after 60 s, staged bottom-up: " + stages + ", "
                + (events.isEmpty() ? "" : events.get(events.size() - 1).type()) + " (each level then probes)");
        check(!stages.isEmpty() && stages.get(stages.size() - 1) == BreakerLevel.REGIONAL
                        && stages.indexOf(BreakerLevel.REGIONAL) > stages.indexOf(BreakerLevel.SERVICE),
                "services recovered before their region", failures);
    }

    /** How many of {@code n} calls the server answered (the rest got the fallback). */
    private static int served(ResiliencePipeline<String> p, FlakyServer server, ToolCall call, int n) {
        int served = 0;
        for (int i = 0; i < n; i++) {
            served += p.executeToolCall(call, c -> server.call(c)).equals("fallback") ? 0 : 1;
        }
        return served;
    }

    private static int countFallbacks(ResiliencePipeline<String> p, FlakyServer server, ToolCall call, int n) {
        return n - served(p, server, call, n);
    }

    private static String describe(List<HierarchyEvent> events) {
        List<String> parts = new ArrayList<>();
        for (HierarchyEvent e : events) {
            parts.add(e.type() + " " + e.node());
        }
        return String.join(", ", parts);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

}
