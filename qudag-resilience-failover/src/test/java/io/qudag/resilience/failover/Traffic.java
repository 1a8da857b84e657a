package io.qudag.resilience.failover;

import io.qudag.resilience.core.CallOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Drives calls through a group the way the MCP client will: choose, call, report. */
final class Traffic {

    private Traffic() {
    }

    /** A scripted endpoint behaviour: outcome and duration per call. */
    record Behaviour(CallOutcome outcome, long millis) {
        static Behaviour ok(long millis) {
            return new Behaviour(CallOutcome.SUCCESS, millis);
        }

        static Behaviour fail(CallOutcome o) {
            return new Behaviour(o, 5);
        }
    }

    /** Runs {@code calls} calls; returns how many each endpoint got. */
    static Map<String, Integer> run(EndpointGroup group, int calls, Function<String, Behaviour> behaviour) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Endpoint e : group.endpoints()) {
            counts.put(e.id(), 0);
        }
        for (int i = 0; i < calls; i++) {
            Endpoint e = group.choose(null);
            counts.merge(e.id(), 1, Integer::sum);
            Behaviour b = behaviour.apply(e.id());
            group.onOutcome(e.id(), b.outcome(), b.millis() * 1_000_000L);
        }
        return counts;
    }

    /** Every endpoint answers in {@code millis} ms. */
    static Map<String, Integer> healthy(EndpointGroup group, int calls, long millis) {
        return run(group, calls, id -> Behaviour.ok(millis));
    }
}
