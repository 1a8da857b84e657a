package io.qudag.resilience.recovery.plan;

import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.spi.RecoverableState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A test state: counters by key; the event "key:delta" adds delta to key. */
final class Counters implements RecoverableState<TreeMap<String, Long>> {

    static byte[] event(String key, long delta) {
        return (key + ":" + delta).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public TreeMap<String, Long> empty() {
        return new TreeMap<>();
    }

    @Override
    public TreeMap<String, Long> apply(TreeMap<String, Long> state, JournalRecord event) {
        String s = event.payloadAsString();
        int c = s.lastIndexOf(':');
        state.merge(s.substring(0, c), Long.parseLong(s.substring(c + 1)), Long::sum);
        return state;
    }

    @Override
    public byte[] snapshot(TreeMap<String, Long> state) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : state.entrySet()) {
            b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public TreeMap<String, Long> restore(byte[] image) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (String line : new String(image, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                m.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        return m;
    }
}
