package io.qudag.resilience.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call, independent of any MCP SDK type: the tool's name, its arguments, its
 * {@link ToolHints} and, optionally, the endpoint and service it is aimed at. Immutable.
 *
 * <p>Breakers use the endpoint and service to derive their path (a hierarchy path such as
 * {@code global / region:eu-west / service:search-mcp / tool:web_search}); retries use the hints to
 * decide whether the call may run more than once.
 */
public final class ToolCall {

    private final String toolName;
    private final Map<String, Object> arguments;
    private final ToolHints hints;
    private final String endpointId;
    private final String serviceId;

    private ToolCall(Builder b) {
        this.toolName = b.toolName;
        this.arguments = b.arguments;
        this.hints = b.hints;
        this.endpointId = b.endpointId;
        this.serviceId = b.serviceId;
    }

    /**
     * {@return a call of {@code toolName} with the given arguments and hints, not aimed at any endpoint}
     *
     * @param toolName the tool's name; not blank
     * @param arguments the arguments, copied; {@code null} for none
     * @param hints what the tool declares about itself; non-null
     */
    public static ToolCall of(String toolName, Map<String, ?> arguments, ToolHints hints) {
        return builder(toolName).arguments(arguments).hints(hints).build();
    }

    /**
     * {@return a builder for a call of {@code toolName}: no arguments, {@link ToolHints#UNTRUSTED}}
     *
     * @param toolName the tool's name; not blank
     */
    public static Builder builder(String toolName) {
        return new Builder(toolName);
    }

    /** {@return the tool's name, as the server lists it} */
    public String toolName() {
        return toolName;
    }

    /** {@return the arguments, unmodifiable} They may hold secrets: never log them unless told to. */
    public Map<String, Object> arguments() {
        return arguments;
    }

    /** {@return what the tool declares about itself; decides whether the call may be repeated} */
    public ToolHints hints() {
        return hints;
    }

    /** {@return the endpoint this call is aimed at, or {@code null} when routing has not chosen one} */
    public String endpointId() {
        return endpointId;
    }

    /** {@return the logical service (an MCP server's name), or {@code null}} */
    public String serviceId() {
        return serviceId;
    }

    /**
     * {@return a copy aimed at another endpoint}
     *
     * @param endpointId the endpoint's id; not blank
     */
    public ToolCall withEndpoint(String endpointId) {
        return toBuilder().endpointId(endpointId).build();
    }

    /** {@return a builder holding this call's settings} */
    public Builder toBuilder() {
        return new Builder(toolName).arguments(arguments).hints(hints).endpointId(endpointId).serviceId(serviceId);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ToolCall other)) {
            return false;
        }
        return toolName.equals(other.toolName) && arguments.equals(other.arguments) && hints.equals(other.hints)
                && Objects.equals(endpointId, other.endpointId) && Objects.equals(serviceId, other.serviceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(toolName, arguments, hints, endpointId, serviceId);
    }

    /** Names the tool and target, never the arguments. */
    @Override
    public String toString() {
        return "ToolCall{tool=" + toolName + ", endpoint=" + endpointId + ", service=" + serviceId
                + ", hints=" + hints + ", arguments=<" + arguments.size() + " hidden>}";
    }

    /** Builds a {@link ToolCall}; validates in {@link #build()}. */
    public static final class Builder {
        private final String toolName;
        private Map<String, Object> arguments = Map.of();
        private ToolHints hints = ToolHints.UNTRUSTED;
        private String endpointId;
        private String serviceId;

        private Builder(String toolName) {
            this.toolName = toolName;
        }

        /**
         * The arguments; default none.
         *
         * @param arguments copied; {@code null} for none
         * @return this builder
         */
        public Builder arguments(Map<String, ?> arguments) {
            this.arguments = arguments == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            return this;
        }

        /**
         * What the tool declares about itself; default {@link ToolHints#UNTRUSTED}.
         *
         * @param hints non-null
         * @return this builder
         */
        public Builder hints(ToolHints hints) {
            this.hints = hints;
            return this;
        }

        /**
         * The endpoint the call is aimed at; default none (routing chooses).
         *
         * @param endpointId not blank when given
         * @return this builder
         */
        public Builder endpointId(String endpointId) {
            this.endpointId = endpointId;
            return this;
        }

        /**
         * The logical service (an MCP server's name) the call belongs to; default none.
         *
         * @param serviceId not blank when given
         * @return this builder
         */
        public Builder serviceId(String serviceId) {
            this.serviceId = serviceId;
            return this;
        }

        /**
         * Validates the settings and builds.
         *
         * @return the immutable call
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         */
        public ToolCall build() {
            if (toolName == null || toolName.isBlank()) {
                throw new IllegalArgumentException("toolName must not be blank, was " + quote(toolName));
            }
            if (hints == null) {
                throw new IllegalArgumentException("hints must not be null");
            }
            if (endpointId != null && endpointId.isBlank()) {
                throw new IllegalArgumentException("endpointId must not be blank, was " + quote(endpointId));
            }
            if (serviceId != null && serviceId.isBlank()) {
                throw new IllegalArgumentException("serviceId must not be blank, was " + quote(serviceId));
            }
            return new ToolCall(this);
        }

        private static String quote(String s) {
            return s == null ? "null" : '"' + s + '"';
        }
    }
}
