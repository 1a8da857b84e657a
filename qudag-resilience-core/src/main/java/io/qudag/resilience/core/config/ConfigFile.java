package io.qudag.resilience.core.config;

import io.qudag.resilience.core.config.internal.JacksonTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A configuration file in JSON or YAML whose top-level keys are blocks named after the
 * specification's ({@code adaptive_circuit_breaker}, {@code bulkhead_isolation},
 * {@code failover_decision_engine}, ...), loaded into the same immutable configuration objects the
 * builders make. Every block is bound when the file is loaded, so an unknown key or a bad value fails
 * at once, naming its path: {@code adaptive_circuit_breaker.base_failure_threshold: was "120%", must
 * be in [0, 100%]}.
 *
 * <pre>{@code
 * ConfigFile file = ConfigFile.load(Path.of("resilience.yaml"),
 *         CoreConfigBlocks.ADAPTIVE_CIRCUIT_BREAKER, CoreConfigBlocks.BULKHEAD_ISOLATION);
 * AdaptiveBreakerConfig breaker = file.get(CoreConfigBlocks.ADAPTIVE_CIRCUIT_BREAKER)
 *         .orElse(AdaptiveBreakerConfig.defaults());
 * }</pre>
 *
 * Reading files needs Jackson ({@code jackson-databind}, and {@code jackson-dataformat-yaml} for
 * YAML), an optional dependency of core.
 */
public final class ConfigFile {

    /** The two formats a configuration file can have. */
    public enum Format {
        /** JSON ({@code .json}), read with {@code jackson-databind}. */
        JSON,
        /** YAML ({@code .yaml} / {@code .yml}), read with {@code jackson-dataformat-yaml}. */
        YAML
    }

    private final Map<String, Object> bound;

    private ConfigFile(Map<String, Object> bound) {
        this.bound = bound;
    }

    /**
     * Loads {@code path} (format from the extension: {@code .json}, {@code .yaml} or {@code .yml}).
     *
     * @param path the file; {@code .json}, {@code .yaml} or {@code .yml}
     * @param blocks the blocks the file may hold
     * @return the file with every block bound
     * @throws ConfigException for an unreadable file, an unknown block or key, or a refused value
     */
    public static ConfigFile load(Path path, ConfigBlock<?>... blocks) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        Format format;
        if (name.endsWith(".json")) {
            format = Format.JSON;
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            format = Format.YAML;
        } else {
            throw new IllegalArgumentException("path must end in .json, .yaml or .yml, was " + path);
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + path, e);
        }
        return parse(text, format, path.toString(), blocks);
    }

    /**
     * Parses configuration text of the given format.
     *
     * @param text the configuration text
     * @param format its format
     * @param blocks the blocks the text may hold
     * @return the file with every block bound
     * @throws ConfigException for an unknown block or key, or a refused value
     */
    public static ConfigFile parse(String text, Format format, ConfigBlock<?>... blocks) {
        return parse(text, format, "configuration", blocks);
    }

    private static ConfigFile parse(String text, Format format, String source, ConfigBlock<?>... blocks) {
        if (text == null || format == null) {
            throw new IllegalArgumentException("text and format must not be null, were " + (text == null ? "null" : "text")
                    + " and " + format);
        }
        Map<String, ConfigBlock<?>> known = new LinkedHashMap<>();
        for (ConfigBlock<?> b : blocks) {
            if (b == null) {
                throw new IllegalArgumentException("blocks must not contain null");
            }
            if (known.put(b.name(), b) != null) {
                throw new IllegalArgumentException("blocks must have distinct names, was \"" + b.name() + "\" twice");
            }
        }
        Object tree = JacksonTrees.parse(text, format == Format.YAML, source);
        if (tree == null) {
            return new ConfigFile(Map.of());
        }
        ConfigNode root = ConfigNode.of("", tree);
        Map<String, Object> bound = new LinkedHashMap<>();
        for (ConfigNode block : root.children()) {
            ConfigBlock<?> b = known.get(block.key());
            if (b == null) {
                throw new ConfigException(block.path(), "unknown block, expected one of " + new TreeSet<>(known.keySet()));
            }
            bound.put(b.name(), b.bind(block));
        }
        return new ConfigFile(Collections.unmodifiableMap(bound));
    }

    /**
     * {@return the object the block became, or empty when the file has no such block}
     *
     * @param block one of the blocks given when loading
     * @param <T> the type the block becomes
     */
    public <T> Optional<T> get(ConfigBlock<T> block) {
        @SuppressWarnings("unchecked")
        T t = (T) bound.get(block.name());
        return Optional.ofNullable(t);
    }

    /** {@return the names of the blocks the file held} */
    public java.util.Set<String> blocks() {
        return bound.keySet();
    }
}
