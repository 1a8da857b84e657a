package io.qudag.resilience.core.hierarchy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where a breaker sits in the hierarchy of spec §3.2, e.g.
 * {@code global/region:eu-west/infra:search-1/service:search-mcp/tool:web_search}. A path starts at
 * {@code global} and descends strictly (a level may be skipped, none repeated). Every prefix of a
 * path names one breaker. Immutable; equal when their string forms are equal.
 */
public final class BreakerPath {

    private static final BreakerPath GLOBAL = new BreakerPath(List.of(new Segment(BreakerLevel.GLOBAL, null)));

    private final List<Segment> segments;
    private final String text;

    /**
     * One step of a path.
     *
     * @param level the level
     * @param id    the id within the level ({@code null} only for GLOBAL)
     */
    public record Segment(BreakerLevel level, String id) {
        @Override
        public String toString() {
            return id == null ? level.prefix() : level.prefix() + ':' + id;
        }
    }

    private BreakerPath(List<Segment> segments) {
        this.segments = Collections.unmodifiableList(segments);
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(s);
        }
        this.text = sb.toString();
    }

    /** {@return the root path, {@code global}} */
    public static BreakerPath global() {
        return GLOBAL;
    }

    /**
     * Parses the string form.
     *
     * @param text a path as {@link #toString()} writes it, e.g. {@code global/region:eu/service:search}
     * @return the path
     * @throws IllegalArgumentException naming the offending segment
     */
    public static BreakerPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("path must not be blank, was " + (text == null ? "null" : '"' + text + '"'));
        }
        String[] parts = text.split("/");
        if (!parts[0].equals("global")) {
            throw new IllegalArgumentException("path must start with \"global\", was \"" + text + '"');
        }
        BreakerPath p = GLOBAL;
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            BreakerLevel level = colon < 0 ? null : BreakerLevel.ofPrefix(parts[i].substring(0, colon));
            if (level == null || level == BreakerLevel.GLOBAL) {
                throw new IllegalArgumentException("path segment must be region:, infra:, service: or tool:<id>, was \""
                        + parts[i] + "\" in \"" + text + '"');
            }
            p = p.child(level, parts[i].substring(colon + 1));
        }
        return p;
    }

    /**
     * {@return this path extended by one segment}
     *
     * @param level the child's level, below this path's
     * @param id the child's id; not blank
     * @throws IllegalArgumentException when {@code level} is not below this path's level or the id is blank
     */
    public BreakerPath child(BreakerLevel level, String id) {
        Objects.requireNonNull(level, "level");
        if (!level().isAbove(level)) {
            throw new IllegalArgumentException("level must be below " + level() + ", was " + level + " in " + this);
        }
        if (id == null || id.isBlank() || id.indexOf('/') >= 0) {
            throw new IllegalArgumentException(level.prefix() + " id must be non-blank without '/', was "
                    + (id == null ? "null" : '"' + id + '"'));
        }
        List<Segment> s = new ArrayList<>(segments.size() + 1);
        s.addAll(segments);
        s.add(new Segment(level, id));
        return new BreakerPath(s);
    }

    /**
     * {@return {@code raw} made fit to be a segment id: {@code %} becomes {@code %25} and {@code /} becomes
     * {@code %2F}, so that distinct raw ids stay distinct; an id without either is returned as it is}
     *
     * @param raw an endpoint, service or tool id
     */
    public static String escapeId(String raw) {
        if (raw.indexOf('/') < 0 && raw.indexOf('%') < 0) {
            return raw;
        }
        return raw.replace("%", "%25").replace("/", "%2F");
    }

    /** {@return the segments, top-down} */
    public List<Segment> segments() {
        return segments;
    }

    /** {@return the level of the last segment: the level of the breaker this path names} */
    public BreakerLevel level() {
        return segments.get(segments.size() - 1).level();
    }

    /** {@return the id of the last segment ({@code null} for global)} */
    public String id() {
        return segments.get(segments.size() - 1).id();
    }

    /** {@return the path one segment shorter, or {@code null} for global} */
    public BreakerPath parent() {
        return segments.size() == 1 ? null : new BreakerPath(new ArrayList<>(segments.subList(0, segments.size() - 1)));
    }

    /**
     * {@return the id of the segment at {@code level}, or {@code null} when the path has none}
     *
     * @param level the level to look up
     */
    public String idAt(BreakerLevel level) {
        for (Segment s : segments) {
            if (s.level() == level) {
                return s.id();
            }
        }
        return null;
    }

    /**
     * {@return whether this path is a proper prefix of {@code other}}
     *
     * @param other the path that may lie below this one
     */
    public boolean isAncestorOf(BreakerPath other) {
        return other.segments.size() > segments.size() && other.segments.subList(0, segments.size()).equals(segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BreakerPath p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
