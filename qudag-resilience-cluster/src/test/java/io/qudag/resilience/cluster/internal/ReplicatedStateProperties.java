package io.qudag.resilience.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.cluster.ReplicatedEntry;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The replicated state: deterministic apply, bounded ordered history, lossless snapshot image. */
class ReplicatedStateProperties {

    private final ObjectMapper mapper = new ObjectMapper();

    record Cmd(String ns, String key, String value, String origin) {
    }

    @Provide
    Arbitrary<List<Cmd>> commands() {
        Arbitrary<Cmd> one = Combinators.combine(
                Arbitraries.of("failover", "breaker", "breaker.counters"),
                Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(2),
                Arbitraries.strings().ofMaxLength(12).map(s -> mapper.createObjectNode().put("v", s).toString()),
                Arbitraries.of("p0", "p1", "p2")).as(Cmd::new);
        return one.list().ofMaxSize(1500);
    }

    private static ReplicatedState applyAll(List<Cmd> cmds, int from, int to, ReplicatedState s) {
        for (int i = from; i < to; i++) {
            Cmd c = cmds.get(i);
            s.apply(c.ns(), c.key(), c.value(), c.origin(), 1 + i / 100, i + 1);
        }
        return s;
    }

    @Property(tries = 60)
    void peersApplyingTheSameLogEndInTheSameState(@ForAll("commands") List<Cmd> cmds) {
        ReplicatedState a = applyAll(cmds, 0, cmds.size(), new ReplicatedState());
        ReplicatedState b = applyAll(cmds, 0, cmds.size(), new ReplicatedState());
        assertThat(a.image()).isEqualTo(b.image());
    }

    @Property(tries = 60)
    void aSnapshotImageThenTheRestOfTheLogGivesTheSameStateAsTheWholeLog(
            @ForAll("commands") List<Cmd> cmds, @ForAll @IntRange(min = 0, max = 1500) int cut) throws Exception {
        int at = Math.min(cut, cmds.size());
        ReplicatedState whole = applyAll(cmds, 0, cmds.size(), new ReplicatedState());
        ReplicatedState prefix = applyAll(cmds, 0, at, new ReplicatedState());
        byte[] snapshot = mapper.writeValueAsBytes(prefix.image());
        ReplicatedState restored = new ReplicatedState();
        restored.load(mapper.readValue(snapshot, ReplicatedState.Image.class));
        applyAll(cmds, at, cmds.size(), restored);
        assertThat(restored.image()).isEqualTo(whole.image());
    }

    @Property(tries = 60)
    void historyIsBoundedOrderedAndEndsWithTheLatestValue(@ForAll("commands") List<Cmd> cmds) {
        ReplicatedState s = applyAll(cmds, 0, cmds.size(), new ReplicatedState());
        for (String ns : List.of("failover", "breaker", "breaker.counters")) {
            List<ReplicatedEntry> h = s.history(ns);
            long count = cmds.stream().filter(c -> c.ns().equals(ns)).count();
            assertThat(h).hasSize((int) Math.min(count, ReplicatedState.HISTORY));
            assertThat(h).extracting(ReplicatedEntry::index).isSorted();
            for (ReplicatedEntry latest : s.entries(ns).values()) {
                ReplicatedEntry lastOfKey = h.stream().filter(e -> e.key().equals(latest.key()))
                        .reduce((x, y) -> y).orElse(latest);
                assertThat(lastOfKey).isEqualTo(latest);
            }
        }
    }
}
