package io.qudag.resilience.core.config;

/**
 * A configuration file that cannot become a working object: the message starts with the path of
 * the offending key ({@code adaptive_circuit_breaker.base_failure_threshold: was "120%", must be in
 * [0, 100%]}), so the user finds the line to fix without reading a stack trace.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Dotted path of the key at fault; empty for the whole file. */
    private final String path;

    /**
     * A bad value at {@code path}.
     *
     * @param path dotted path of the key at fault; empty for the whole file
     * @param problem what is wrong, e.g. {@code was "120%", must be in [0, 100%]}
     */
    public ConfigException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
    }

    /**
     * A bad value at {@code path}, found through {@code cause}.
     *
     * @param path dotted path of the key at fault; empty for the whole file
     * @param problem what is wrong
     * @param cause the error that revealed it
     */
    public ConfigException(String path, String problem, Throwable cause) {
        super(path.isEmpty() ? problem : path + ": " + problem, cause);
        this.path = path;
    }

    /** {@return dotted path of the key at fault ({@code block.key.sub_key}); empty for the whole file} */
    public String path() {
        return path;
    }
}
