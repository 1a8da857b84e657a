package io.qudag.resilience.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.recovery.spi.RecoverableState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's usage snippet, compiled and run. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    /** Counters by name; a record "name:+n" adds n. */
    static final class CounterState implements RecoverableState<Map<String, Long>> {
        @Override
        public Map<String, Long> empty() {
            return new TreeMap<>();
        }

        @Override
        public Map<String, Long> apply(Map<String, Long> state, JournalRecord event) {
            String[] kv = event.payloadAsString().split(":");
            state.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
            return state;
        }

        @Override
        public byte[] snapshot(Map<String, Long> state) {
            return state.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Map<String, Long> restore(byte[] image) {
            Map<String, Long> m = new TreeMap<>();
            String s = new String(image, StandardCharsets.UTF_8);
            for (String e : s.substring(1, s.length() - 1).split(", ")) {
                if (!e.isEmpty()) {
                    m.put(e.substring(0, e.indexOf('=')), Long.parseLong(e.substring(e.indexOf('=') + 1)));
                }
            }
            return m;
        }
    }

    @Test
    void theReadmeSnippetRuns() {
        Journal journal = Journal.open(JournalConfig.builder(dir)
                .durability(Durability.GROUP_COMMIT)
                .build());
        RecoveryManager<Map<String, Long>> counters = RecoveryManager.builder(journal, new CounterState())
                .objectives(RecoveryPolicy.defaults().objectivesFor("counters", DataClass.IMPORTANT))
                .build();                                        // recovers the live state

        counters.append(1, "orders:+1".getBytes(StandardCharsets.UTF_8));
        counters.snapshot();
        Map<String, Long> atSequence1 = counters.recover(
                RecoveryRequest.preview(RecoveryTarget.sequence(1))).state();   // live state untouched

        counters.close();
        journal.close();

        assertThat(atSequence1).containsEntry("orders", 1L);
        Journal again = Journal.open(JournalConfig.builder(dir).build());
        try (RecoveryManager<Map<String, Long>> reopened = RecoveryManager.builder(again, new CounterState()).build()) {
            assertThat(reopened.current()).containsEntry("orders", 1L);
        } finally {
            again.close();
        }
    }
}
