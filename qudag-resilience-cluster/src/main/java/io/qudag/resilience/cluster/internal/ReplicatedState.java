package io.qudag.resilience.cluster.internal;

import io.qudag.resilience.cluster.ReplicatedEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated state itself, without Ratis (spec §1.2): keyed JSON values in namespaces, each
 * namespace with a bounded history. {@link #apply} is deterministic, so peers that apply the same
 * log end in the same state; {@link #image} and {@link #load} are the snapshot's content. Writes are
 * serialized by the caller (Ratis applies in log order); reads may run concurrently.
 */
final class ReplicatedState {

    static final int HISTORY = 1000;

    /** The snapshot's content: every namespace's latest values and its history, oldest first. */
    record Image(Map<String, Map<String, ReplicatedEntry>> state, Map<String, List<ReplicatedEntry>> history) {
    }

    private final Map<String, Map<String, ReplicatedEntry>> state = new ConcurrentHashMap<>();
    private final Map<String, Deque<ReplicatedEntry>> history = new ConcurrentHashMap<>();

    /** Applies one committed command at {@code term}/{@code index}; returns the entry it made. */
    synchronized ReplicatedEntry apply(String ns, String key, String value, String origin, long term, long index) {
        ReplicatedEntry e = new ReplicatedEntry(ns, key, value, origin, term, index);
        state.computeIfAbsent(ns, k -> new ConcurrentHashMap<>()).put(key, e);
        Deque<ReplicatedEntry> h = history.computeIfAbsent(ns, k -> new ArrayDeque<>());
        synchronized (h) {
            h.addLast(e);
            while (h.size() > HISTORY) {
                h.removeFirst();
            }
        }
        return e;
    }

    /** A copy of the whole state, with namespaces and keys in a stable order. */
    synchronized Image image() {
        Map<String, Map<String, ReplicatedEntry>> s = new TreeMap<>();
        state.forEach((ns, m) -> s.put(ns, new TreeMap<>(m)));
        Map<String, List<ReplicatedEntry>> h = new TreeMap<>();
        history.forEach((ns, d) -> {
            synchronized (d) {
                h.put(ns, new ArrayList<>(d));
            }
        });
        return new Image(s, h);
    }

    /** Replaces the whole state by a snapshot's. */
    synchronized void load(Image image) {
        state.clear();
        history.clear();
        image.state().forEach((ns, m) -> state.put(ns, new ConcurrentHashMap<>(m)));
        image.history().forEach((ns, l) -> history.put(ns, new ArrayDeque<>(l)));
    }

    Map<String, ReplicatedEntry> entries(String ns) {
        Map<String, ReplicatedEntry> m = state.get(ns);
        return m == null ? Map.of() : Map.copyOf(m);
    }

    ReplicatedEntry get(String ns, String key) {
        Map<String, ReplicatedEntry> m = state.get(ns);
        return m == null ? null : m.get(key);
    }

    List<ReplicatedEntry> history(String ns) {
        Deque<ReplicatedEntry> h = history.get(ns);
        if (h == null) {
            return List.of();
        }
        synchronized (h) {
            return List.copyOf(h);
        }
    }

    @Override
    public String toString() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        state.forEach((ns, m) -> sizes.put(ns, m.size()));
        return "ReplicatedState" + sizes;
    }
}
