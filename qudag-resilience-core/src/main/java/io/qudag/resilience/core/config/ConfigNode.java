package io.qudag.resilience.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value of a configuration file with its dotted path, and the conversions the library's
 * settings need: durations written as {@code "30s"}, {@code "500ms"}, {@code "5m"}, {@code "1h"},
 * {@code "2d"} (or ISO-8601 {@code "PT30S"}), shares written as {@code "5%"} or {@code 0.05}, and
 * multiplier ranges written as {@code "1.5-3.0"}. Every conversion that fails throws a
 * {@link ConfigException} naming the path and the value as written.
 */
public final class ConfigNode {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");
    private static final Pattern FIELD = Pattern.compile("(?:[a-z][A-Za-z0-9]*\\.)*([a-z][A-Za-z0-9]*)\\b");
    private static final Pattern RANGE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*-\\s*(\\d+(?:\\.\\d+)?)");

    private final String path;
    private final Object value;

    ConfigNode(String path, Object value) {
        this.path = path;
        this.value = value;
    }

    /**
     * {@return a node over a parsed tree of maps, lists, strings, numbers and booleans (as JSON/YAML parsers give)}
     *
     * @param path the node's path in the file, e.g. {@code "adaptive_circuit_breaker"}; {@code ""} for the root
     * @param value the parsed value
     */
    public static ConfigNode of(String path, Object value) {
        return new ConfigNode(path, value);
    }

    /** {@return the node's dotted path in the file, as error messages name it} */
    public String path() {
        return path;
    }

    /** {@return the key of this node (the last part of its path)} */
    public String key() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    /**
     * Hands each key of this object to its handler; a key without a handler fails, naming it and
     * the keys that are allowed.
     *
     * @param handlers per allowed key, what to do with its node
     * @throws ConfigException for an unknown key, or the first value a handler refuses
     */
    public void bind(Map<String, Consumer<ConfigNode>> handlers) {
        for (Map.Entry<String, Object> e : fields().entrySet()) {
            Consumer<ConfigNode> h = handlers.get(e.getKey());
            String childPath = child(e.getKey());
            if (h == null) {
                throw new ConfigException(childPath, "unknown key, expected one of " + new TreeSet<>(handlers.keySet()));
            }
            ConfigNode child = new ConfigNode(childPath, e.getValue());
            child.apply(() -> h.accept(child));
        }
    }

    /**
     * Runs a builder's {@code build()}: its {@link IllegalArgumentException} (which names the
     * builder's field and value) becomes a {@link ConfigException} at this node's path.
     *
     * @param build the builder's {@code build()} call
     * @param <T> the type built
     * @return what the builder built
     * @throws ConfigException when the builder refuses a value
     */
    public <T> T build(Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(pathOfField(e.getMessage()), e.getMessage(), e);
        }
    }

    /** The path of the key a builder's message names first ({@code baseFailureThreshold} → {@code base_failure_threshold}). */
    private String pathOfField(String message) {
        if (message == null || !(value instanceof Map<?, ?> map)) {
            return path;
        }
        Matcher m = FIELD.matcher(message);
        if (m.lookingAt()) {
            String snake = m.group(1).replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
            if (map.containsKey(snake)) {
                return child(snake);
            }
        }
        return path;
    }

    /**
     * Applies a setter; its {@link IllegalArgumentException} becomes a {@link ConfigException} at this path.
     *
     * @param setter calls one builder setter with this node's value
     * @throws ConfigException when the setter refuses the value
     */
    public void apply(Runnable setter) {
        build(() -> {
            setter.run();
            return null;
        });
    }

    /** {@return the keys and values of an object node, in file order} */
    public Map<String, Object> fields() {
        if (!(value instanceof Map)) {
            throw new ConfigException(path, "was " + written() + ", must be an object of keys");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), v));
        return Collections.unmodifiableMap(out);
    }

    /** {@return the child nodes of an object node, in file order} */
    public List<ConfigNode> children() {
        List<ConfigNode> out = new ArrayList<>();
        fields().forEach((k, v) -> out.add(new ConfigNode(child(k), v)));
        return out;
    }

    /** {@return the elements of a list node} */
    public List<ConfigNode> elements() {
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(path, "was " + written() + ", must be a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(new ConfigNode(path + "[" + i + "]", list.get(i)));
        }
        return out;
    }

    /**
     * {@return the value as a string}
     *
     * @throws ConfigException when the value is not a string
     */
    public String asString() {
        if (value instanceof String s) {
            return s;
        }
        throw new ConfigException(path, "was " + written() + ", must be a string");
    }

    /**
     * {@return the value as a boolean}
     *
     * @throws ConfigException when the value is not {@code true} or {@code false}
     */
    public boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ConfigException(path, "was " + written() + ", must be true or false");
    }

    /**
     * {@return the value as a finite number}
     *
     * @throws ConfigException when the value is not a number
     */
    public double asDouble() {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new ConfigException(path, "was " + written() + ", must be a number");
    }

    /**
     * {@return the value as an {@code int}}
     *
     * @throws ConfigException when the value is not a whole number in {@code int} range
     */
    public int asInt() {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long v = ((Number) value).longValue();
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.intValueExact();
            } catch (ArithmeticException ignored) {
                // falls through to the error
            }
        }
        throw new ConfigException(path, "was " + written() + ", must be a whole number");
    }

    /** {@return a share in [0, 1], written {@code "5%"} or {@code 0.05}} */
    public double asShare() {
        double share;
        if (value instanceof String s && s.trim().endsWith("%")) {
            try {
                share = Double.parseDouble(s.trim().substring(0, s.trim().length() - 1).trim()) / 100.0;
            } catch (NumberFormatException e) {
                throw new ConfigException(path, "was " + written() + ", must be a percentage like \"5%\" or a share like 0.05");
            }
        } else if (value instanceof Number n) {
            share = n.doubleValue();
        } else {
            throw new ConfigException(path, "was " + written() + ", must be a percentage like \"5%\" or a share like 0.05");
        }
        if (!(share >= 0 && share <= 1)) {
            throw new ConfigException(path, "was " + written() + ", must be in [0, 100%]");
        }
        return share;
    }

    /** {@return a duration, written {@code "500ms"}, {@code "30s"}, {@code "5m"}, {@code "1h"}, {@code "2d"} or ISO-8601} */
    public Duration asDuration() {
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            Matcher m = DURATION.matcher(t);
            if (m.matches()) {
                BigDecimal amount = new BigDecimal(m.group(1));
                BigDecimal nanosPerUnit = switch (m.group(2)) {
                    case "ms" -> BigDecimal.valueOf(1_000_000L);
                    case "s" -> BigDecimal.valueOf(1_000_000_000L);
                    case "m" -> BigDecimal.valueOf(60_000_000_000L);
                    case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
                    default -> BigDecimal.valueOf(86_400_000_000_000L);
                };
                try {
                    return Duration.ofNanos(amount.multiply(nanosPerUnit).longValueExact());
                } catch (ArithmeticException e) {
                    throw new ConfigException(path, "was " + written() + ", too long a duration");
                }
            }
            if (t.startsWith("pt") || t.startsWith("p")) {
                try {
                    return Duration.parse(s.trim());
                } catch (DateTimeParseException ignored) {
                    // falls through to the error
                }
            }
        }
        throw new ConfigException(path, "was " + written() + ", must be a duration like \"500ms\", \"30s\", \"5m\", \"1h\" or \"2d\"");
    }

    /** {@return a range {@code "min-max"} of two non-negative numbers, e.g. the spec's {@code "1.5-3.0"}} */
    public double[] asRange() {
        if (value instanceof String s) {
            Matcher m = RANGE.matcher(s.trim());
            if (m.matches()) {
                return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
            }
        }
        throw new ConfigException(path, "was " + written() + ", must be a range like \"1.5-3.0\"");
    }

    /**
     * {@return an enum constant, matched case-insensitively with '-' or ' ' read as '_'}
     *
     * @param type the enum class
     * @param <E> the enum type
     * @throws ConfigException when no constant matches
     */
    public <E extends Enum<E>> E asEnum(Class<E> type) {
        if (value instanceof String s) {
            String name = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new ConfigException(path, "was " + written() + ", must be one of " + allowed);
    }

    /** {@return the value as the file wrote it, quoted when it was a string} */
    public String written() {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    @Override
    public String toString() {
        return path + " = " + written();
    }
}
