package io.qudag.resilience.core.health;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, ordered map from a key (a metric name, a {@link HealthCategory}) to a score or value,
 * as found in a {@link HealthScore} (spec §2.1 {@code health_score_calculation}). It is two small
 * arrays instead of a hash map, so scoring many subjects allocates little; records that hold such
 * maps keep an {@code OrderedScores} as it is instead of copying it ({@link #copyOf(Map)}). Behaves
 * like any unmodifiable {@link Map}: {@code equals}, {@code hashCode} and {@code toString} follow the
 * {@link Map} contract, iteration follows insertion order, mutators throw
 * {@link UnsupportedOperationException}. Keys are non-null and unique; lookups are linear (these maps
 * hold a handful of entries).
 *
 * @param <K> the key type
 */
public final class OrderedScores<K> extends AbstractMap<K, Double> {

    private final Object[] keys;
    private final double[] values;
    private final int size;
    private Set<Map.Entry<K, Double>> entrySet;

    /** Takes ownership of the arrays: the first {@code size} entries, keys unique and non-null. */
    OrderedScores(Object[] keys, double[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /**
     * {@code map} itself when it is an {@code OrderedScores} (immutable already), else an unmodifiable
     * insertion-ordered copy of it.
     *
     * @param <K> the key type
     * @param map the scores to copy, in iteration order
     * @return an immutable insertion-ordered map of the same scores
     */
    public static <K> Map<K, Double> copyOf(Map<K, Double> map) {
        Objects.requireNonNull(map, "map");
        if (map instanceof OrderedScores) {
            return map;
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Set<Map.Entry<K, Double>> entrySet() {
        Set<Map.Entry<K, Double>> es = entrySet;
        if (es == null) {
            es = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<K, Double>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        @SuppressWarnings("unchecked")
                        public Map.Entry<K, Double> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new AbstractMap.SimpleImmutableEntry<>((K) keys[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
            entrySet = es;
        }
        return es;
    }
}
