package io.qudag.resilience.core.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One top-level block of a configuration file (named after the specification's blocks, such as
 * {@code adaptive_circuit_breaker}) and how it becomes a configuration object. Core's blocks are in
 * {@link CoreConfigBlocks}; other modules publish theirs the same way.
 *
 * @param <T> the configuration object the block becomes
 */
public final class ConfigBlock<T> {

    private final String name;
    private final Function<ConfigNode, T> binder;

    private ConfigBlock(String name, Function<ConfigNode, T> binder) {
        this.name = name;
        this.binder = binder;
    }

    /**
     * {@return a block named {@code name} (snake_case) bound by {@code binder}, which validates everything}
     *
     * @param name the block's key in the file, snake_case
     * @param binder turns the block's node into the configured object
     * @param <T> the type the block becomes
     */
    public static <T> ConfigBlock<T> of(String name, Function<ConfigNode, T> binder) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("name must be snake_case, was " + (name == null ? "null" : "\"" + name + "\""));
        }
        return new ConfigBlock<>(name, Objects.requireNonNull(binder, "binder"));
    }

    /** {@return the block's key in the file, snake_case} */
    public String name() {
        return name;
    }

    /**
     * Binds a parsed block; any bad key or value throws a {@link ConfigException} naming its path.
     *
     * @param node the block's node
     * @return the configured object
     * @throws ConfigException naming the path of a bad key or value
     */
    public T bind(ConfigNode node) {
        return binder.apply(node);
    }

    @Override
    public String toString() {
        return name;
    }
}
