package io.qudag.resilience.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.util.function.Consumer;

import io.modelcontextprotocol.client.transport.ServerParameters;
import java.net.URI;
import java.util.Objects;

/**
 * One MCP server a {@link ResilientMcpClient} talks to: over streamable HTTP (a URL) or stdio (a
 * command the client starts and supervises). Immutable. An endpoint marked {@linkplain #trusted()
 * trusted} has its tool annotations honoured as {@code ToolHints}; for any other endpoint every tool
 * gets {@code ToolHints.UNTRUSTED} (MCP spec defaults), so nothing is repeated automatically. Endpoints
 * are the members of the failover tiers of spec §1.1.
 */
public final class McpEndpoint {

    /** How the client reaches the server. */
    public enum Kind {
        /** Streamable HTTP to a URL. */
        HTTP,
        /** Standard input and output of a child process the client starts and supervises. */
        STDIO
    }

    private final String id;
    private final Kind kind;
    private final URI url;
    private final ServerParameters serverParameters;
    private final boolean trusted;
    private final Consumer<HttpClientStreamableHttpTransport.Builder> httpTransport;
    private final int tier;

    private McpEndpoint(Builder b) {
        this.id = b.id;
        this.kind = b.kind;
        this.url = b.url;
        this.serverParameters = b.serverParameters;
        this.trusted = b.trusted;
        this.httpTransport = b.httpTransport;
        this.tier = b.tier;
    }

    /**
     * Begins a streamable-HTTP endpoint.
     *
     * @param id the endpoint's id, unique in its client and not blank
     * @param url the server's MCP URL, e.g. {@code http://127.0.0.1:3001/mcp}
     * @return a builder of the endpoint
     */
    public static Builder http(String id, String url) {
        Builder b = new Builder(id, Kind.HTTP);
        b.urlText = url;
        return b;
    }

    /**
     * Begins a stdio endpoint: the client starts {@code parameters}' command as a child process and restarts it
     * when it exits.
     *
     * @param id the endpoint's id, unique in its client and not blank
     * @param parameters the command, arguments and environment of the server process
     * @return a builder of the endpoint
     */
    public static Builder stdio(String id, ServerParameters parameters) {
        Builder b = new Builder(id, Kind.STDIO);
        b.serverParameters = parameters;
        return b;
    }

    /** {@return the endpoint's id, as named in events, meters and exceptions} */
    public String id() {
        return id;
    }

    /** {@return how the client reaches the server} */
    public Kind kind() {
        return kind;
    }

    /** {@return the URL of an HTTP endpoint, or {@code null}} */
    public URI url() {
        return url;
    }

    /** {@return the command of a stdio endpoint, or {@code null}} */
    public ServerParameters serverParameters() {
        return serverParameters;
    }

    /** {@return whether the server's tool annotations are trusted} */
    public boolean trusted() {
        return trusted;
    }

    /**
     * {@return what the client does to the SDK's HTTP transport builder of this endpoint before each session is
     * opened (headers, authorization, proxy, TLS); a no-op by default and for stdio endpoints}
     */
    public Consumer<HttpClientStreamableHttpTransport.Builder> httpTransport() {
        return httpTransport;
    }

    /**
     * {@return the routing tier (lower is preferred; endpoints of one tier share the traffic, see
     * {@link LatencyRoutingConfig}), or empty when not set} The endpoint's position in the client's
     * endpoint list is then its tier (the configured order, primary first).
     */
    public java.util.OptionalInt tier() {
        return tier < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(tier);
    }

    @Override
    public String toString() {
        return "McpEndpoint{" + id + ", " + kind + (url != null ? ", " + url : ", " + serverParameters.getCommand())
                + (trusted ? ", trusted" : "") + (tier >= 0 ? ", tier " + tier : "") + '}';
    }

    /** Builds an {@link McpEndpoint}; validates in {@link #build()}. */
    public static final class Builder {
        private final String id;
        private final Kind kind;
        private String urlText;
        private URI url;
        private ServerParameters serverParameters;
        private boolean trusted;
        private Consumer<HttpClientStreamableHttpTransport.Builder> httpTransport = b -> { };
        private boolean httpTransportSet;
        private int tier = -1;
        private boolean tierSet;

        private Builder(String id, Kind kind) {
            this.id = id;
            this.kind = kind;
        }

        /**
         * Honour this server's tool annotations (default false).
         *
         * @param trusted {@code true} to map the server's tool annotations to {@code ToolHints}
         * @return this builder
         */
        public Builder trusted(boolean trusted) {
            this.trusted = trusted;
            return this;
        }

        /**
         * Customises the SDK's HTTP transport of this endpoint, for every session the client opens to it
         * (the first and each one after a server restart): e.g.
         * {@code b -> b.addHttpRequestCustomizer((req, method, uri, body, ctx) -> req.header("Authorization", token()))}
         * to send credentials with every request, or {@code b -> b.customizeClient(...)} for a proxy or TLS.
         * HTTP endpoints only. The client sets the endpoint path itself after this runs.
         *
         * @param customizer applied to the transport builder of each session, not {@code null}
         * @return this builder
         */
        public Builder httpTransport(Consumer<HttpClientStreamableHttpTransport.Builder> customizer) {
            this.httpTransport = customizer;
            this.httpTransportSet = true;
            return this;
        }

        /**
         * The routing tier: lower tiers are preferred, endpoints of one tier share the calls
         * (latency-aware, see {@link LatencyRoutingConfig}). Default: the endpoint's position in the
         * client's endpoint list.
         *
         * @param tier in [0, 1000]
         * @return this builder
         */
        public Builder tier(int tier) {
            this.tier = tier;
            this.tierSet = true;
            return this;
        }

        /**
         * Validates the settings and builds the immutable endpoint.
         *
         * @return the endpoint
         * @throws IllegalArgumentException naming the field and value of the first invalid setting
         */
        public McpEndpoint build() {
            if (httpTransport == null) {
                throw new IllegalArgumentException("httpTransport must not be null, was null");
            }
            if (httpTransportSet && kind != Kind.HTTP) {
                throw new IllegalArgumentException("httpTransport applies to HTTP endpoints only, was set on "
                        + kind + " endpoint " + id);
            }
            if (tierSet && (tier < 0 || tier > 1000)) {
                throw new IllegalArgumentException("tier must be in [0, 1000], was " + tier);
            }
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank, was " + (id == null ? "null" : '"' + id + '"'));
            }
            if (kind == Kind.HTTP) {
                if (urlText == null) {
                    throw new IllegalArgumentException("url must not be null");
                }
                try {
                    url = URI.create(urlText);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("url must be a valid URI, was \"" + urlText + '"', e);
                }
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                    throw new IllegalArgumentException("url must be http or https, was \"" + urlText + '"');
                }
                if (url.getHost() == null) {
                    throw new IllegalArgumentException("url must name a host, was \"" + urlText + '"');
                }
            } else {
                Objects.requireNonNull(serverParameters, "serverParameters");
                if (serverParameters.getCommand() == null || serverParameters.getCommand().isBlank()) {
                    throw new IllegalArgumentException("serverParameters.command must not be blank, was "
                            + serverParameters.getCommand());
                }
            }
            return new McpEndpoint(this);
        }
    }
}
