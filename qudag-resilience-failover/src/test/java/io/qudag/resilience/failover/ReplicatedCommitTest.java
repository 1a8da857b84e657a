package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.spi.FailoverCoordinator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A distributed coordinator's commit runs off the callers' threads and never holds up the call path;
 * the committed payload carries the full routing change; a follower applies an agreed decision
 * (spec §1.2, failover coordination).
 */
class ReplicatedCommitTest {

    private final TestClock clock = new TestClock();
    private FailoverDecisionEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private EndpointGroup group() {
        return EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "http://a/mcp"), Endpoint.of("b", LOCAL, "http://b/mcp"),
                        Endpoint.of("c", LOCAL, "http://c/mcp"))
                .build();
    }

    @Test
    void theCallPathDoesNotWaitForTheCommitWhichRunsOnTheCommitThread() throws Exception {
        EndpointGroup g = group();
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        List<String> payloads = new CopyOnWriteArrayList<>();
        engine = FailoverDecisionEngine.builder(g).coordinator(new FailoverCoordinator() {
            @Override
            public Role role(String scope) {
                return Role.LEADER;
            }

            @Override
            public boolean commit(String scope, String decisionId, String payload) {
                threads.add(Thread.currentThread().getName());
                payloads.add(payload);
                try {
                    return release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }
        }).build();
        String caller = Thread.currentThread().getName();
        g.onOutcome("a", CallOutcome.TRANSPORT_ERROR, 1);
        g.onOutcome("a", CallOutcome.TRANSPORT_ERROR, 1); // crosses the threshold; returns at once
        assertThat(g.status("a").state()).as("not executed before it is committed").isEqualTo(EndpointState.HEALTHY);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
        assertThat(threads.get(0)).isNotEqualTo(caller).startsWith("qudag-failover-commit-");
        assertThat(payloads.get(0)).contains("\"sourceStateAfter\":\"UNAVAILABLE\"").contains("\"shares\":{")
                .contains("\"targets\":{").contains("\"b\":0.5");
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> g.status("a").state() == EndpointState.UNAVAILABLE);
        assertThat(engine.decisions()).singleElement().satisfies(d ->
                assertThat(d.targets()).containsKeys("b", "c"));
    }

    @Test
    void aFollowerAppliesAnAgreedDecisionToItsRouting() {
        EndpointGroup g = group();
        engine = FailoverDecisionEngine.builder(g).coordinator(new FailoverCoordinator() {
            @Override
            public Role role(String scope) {
                return Role.FOLLOWER;
            }

            @Override
            public boolean commit(String scope, String decisionId, String payload) {
                return false;
            }
        }).build();
        engine.applyAgreed("d-1", "a", EndpointState.DRAINED, 0.0);
        assertThat(g.status("a").state()).isEqualTo(EndpointState.DRAINED);
        assertThat(g.routing().share("a")).isZero();
        assertThat(g.routing().share("b")).isEqualTo(0.5);
        assertThat(engine.decisions()).as("applied, not decided here").isEmpty();
    }
}
