package io.qudag.resilience.spring;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.mcp.server.RejectionMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code qudag.resilience.*} properties, in the shape of the library's config objects: {@code client}
 * mirrors {@code ResilientMcpClientConfig} (one resilient client per group of Spring AI connections, spec
 * §1.1 endpoint groups and tiers), {@code server} mirrors {@code ResilientToolsConfig} (spec §1.3
 * bulkheads, §3.1 breakers). The object validates itself at startup: a bad value fails the context with
 * a message naming the property and the value.
 */
@Validated
@ConfigurationProperties(prefix = QudagResilienceProperties.PREFIX)
public class QudagResilienceProperties implements Validator {

    /** The property prefix. */
    public static final String PREFIX = "qudag.resilience";

    /** Whether the starter decorates Spring AI's MCP clients and servers at all. */
    private boolean enabled = true;

    private final Client client = new Client();

    private final Server server = new Server();

    /**
     * {@return the {@code qudag.resilience.enabled} property} Whether the starter decorates Spring AI's
     * MCP clients and servers at all.
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets the {@code qudag.resilience.enabled} property.
     *
     * @param enabled whether the starter decorates Spring AI's MCP clients and servers at all
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * {@return the {@code qudag.resilience.client.*} properties} Client side: the resilient client every
     * Spring AI streamable-HTTP connection goes through.
     */
    public Client getClient() {
        return client;
    }

    /**
     * {@return the {@code qudag.resilience.server.*} properties} Server side: the decoration of every MCP tool
     * the application serves.
     */
    public Server getServer() {
        return server;
    }

    /** Client side: the resilient client every Spring AI streamable-HTTP connection goes through. */
    public static class Client {

        /** Whether Spring AI's MCP tool callbacks are routed through the library's resilient client. */
        private boolean enabled = true;

        /** Deadline of one tool call, independent of Spring AI's request timeout. */
        private Duration callTimeout = Duration.ofSeconds(30);

        /** How long startup waits for every group to have one connection up; groups still down then connect in the background. */
        private Duration startupWait = Duration.ofSeconds(5);

        /** The SDK client's own request timeout underneath (a backstop; keep it above call-timeout). */
        private Duration sdkRequestTimeout = Duration.ofMinutes(5);

        /** How often each connection is pinged (liveness: in-flight calls fail fast when it dies); 0 turns probing off. */
        private Duration pingInterval = Duration.ofSeconds(1);

        /** A ping unanswered this long counts as a dead connection. */
        private Duration pingTimeout = Duration.ofSeconds(5);

        /**
         * The shortest silence after which a connection is suspected (the liveness timeout follows the ping
         * round trips between this and ping-timeout); unset means 750ms, or ping-timeout when that is shorter.
         */
        private Duration livenessTimeoutFloor;

        /** First delay before a lost connection is re-established. */
        private Duration restartInitialBackoff = Duration.ofMillis(100);

        /** Longest delay between two reconnection attempts. */
        private Duration restartMaxBackoff = Duration.ofSeconds(10);

        /** Restarts in a row after which a stdio connection is given up (HTTP servers are waited for without limit). */
        private int maxRestarts = 1000;

        /** Transparent re-sends after "session terminated", for tools safe to repeat. */
        private int sessionRetries = 1;

        /** Fixed delay before a hedge is sent for a read-only tool of a trusted server; unset: adaptive (the tool's recent p95, at least 100 ms). */
        private Duration hedgeDelay;

        /** Extra attempts a hedged call may start on other connections of its group. */
        private int maxHedges = 1;

        /** Whether tool annotations (read-only, idempotent, destructive) of every connection are trusted by default. */
        private boolean trusted = false;

        /** Whether logs may print tool arguments (they may hold secrets). */
        private boolean logArguments = false;

        /** Per Spring AI connection name: trust and tier. */
        private Map<String, Connection> connections = new LinkedHashMap<>();

        /** Groups of Spring AI connections that answer for one another: group name to its connections. */
        private Map<String, Group> groups = new LinkedHashMap<>();

        /**
         * {@return the {@code qudag.resilience.client.enabled} property} Whether Spring AI's MCP tool
         * callbacks are routed through the library's resilient client.
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets the {@code qudag.resilience.client.enabled} property.
         *
         * @param enabled whether Spring AI's MCP tool callbacks are routed through the library's resilient
         *        client
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return the {@code qudag.resilience.client.call-timeout} property} Deadline of one tool call,
         * independent of Spring AI's request timeout.
         */
        public Duration getCallTimeout() {
            return callTimeout;
        }

        /**
         * Sets the {@code qudag.resilience.client.call-timeout} property.
         *
         * @param callTimeout deadline of one tool call, independent of Spring AI's request timeout
         */
        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        /**
         * {@return the {@code qudag.resilience.client.startup-wait} property} How long startup waits for
         * every group to have one connection up; groups still down then connect in the background.
         */
        public Duration getStartupWait() {
            return startupWait;
        }

        /**
         * Sets the {@code qudag.resilience.client.startup-wait} property.
         *
         * @param startupWait how long startup waits for every group to have one connection up; groups
         *        still down then connect in the background
         */
        public void setStartupWait(Duration startupWait) {
            this.startupWait = startupWait;
        }

        /**
         * {@return the {@code qudag.resilience.client.sdk-request-timeout} property} The SDK client's own
         * request timeout underneath (a backstop; keep it above call-timeout).
         */
        public Duration getSdkRequestTimeout() {
            return sdkRequestTimeout;
        }

        /**
         * Sets the {@code qudag.resilience.client.sdk-request-timeout} property.
         *
         * @param sdkRequestTimeout the SDK client's own request timeout underneath (a backstop; keep it
         *        above call-timeout)
         */
        public void setSdkRequestTimeout(Duration sdkRequestTimeout) {
            this.sdkRequestTimeout = sdkRequestTimeout;
        }

        /**
         * {@return the {@code qudag.resilience.client.ping-interval} property} How often each connection
         * is pinged (liveness: in-flight calls fail fast when it dies); 0 turns probing off.
         */
        public Duration getPingInterval() {
            return pingInterval;
        }

        /**
         * Sets the {@code qudag.resilience.client.ping-interval} property.
         *
         * @param pingInterval how often each connection is pinged (liveness: in-flight calls fail fast
         *        when it dies); 0 turns probing off
         */
        public void setPingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
        }

        /**
         * {@return the {@code qudag.resilience.client.ping-timeout} property} A ping unanswered this long
         * counts as a dead connection.
         */
        public Duration getPingTimeout() {
            return pingTimeout;
        }

        /**
         * Sets the {@code qudag.resilience.client.ping-timeout} property.
         *
         * @param pingTimeout A ping unanswered this long counts as a dead connection
         */
        public void setPingTimeout(Duration pingTimeout) {
            this.pingTimeout = pingTimeout;
        }

        /**
         * {@return the {@code qudag.resilience.client.liveness-timeout-floor} property} The shortest
         * silence after which a connection is suspected (the liveness timeout follows the ping round trips
         * between this and ping-timeout); unset means 750ms, or ping-timeout when that is shorter.
         */
        public Duration getLivenessTimeoutFloor() {
            return livenessTimeoutFloor;
        }

        /**
         * Sets the {@code qudag.resilience.client.liveness-timeout-floor} property.
         *
         * @param livenessTimeoutFloor the shortest silence after which a connection is suspected (the
         *        liveness timeout follows the ping round trips between this and ping-timeout); unset means
         *        750ms, or ping-timeout when that is shorter
         */
        public void setLivenessTimeoutFloor(Duration livenessTimeoutFloor) {
            this.livenessTimeoutFloor = livenessTimeoutFloor;
        }

        /**
         * {@return the {@code qudag.resilience.client.restart-initial-backoff} property} First delay
         * before a lost connection is re-established.
         */
        public Duration getRestartInitialBackoff() {
            return restartInitialBackoff;
        }

        /**
         * Sets the {@code qudag.resilience.client.restart-initial-backoff} property.
         *
         * @param restartInitialBackoff first delay before a lost connection is re-established
         */
        public void setRestartInitialBackoff(Duration restartInitialBackoff) {
            this.restartInitialBackoff = restartInitialBackoff;
        }

        /**
         * {@return the {@code qudag.resilience.client.restart-max-backoff} property} Longest delay between
         * two reconnection attempts.
         */
        public Duration getRestartMaxBackoff() {
            return restartMaxBackoff;
        }

        /**
         * Sets the {@code qudag.resilience.client.restart-max-backoff} property.
         *
         * @param restartMaxBackoff longest delay between two reconnection attempts
         */
        public void setRestartMaxBackoff(Duration restartMaxBackoff) {
            this.restartMaxBackoff = restartMaxBackoff;
        }

        /**
         * {@return the {@code qudag.resilience.client.max-restarts} property} Restarts in a row after
         * which a stdio connection is given up (HTTP servers are waited for without limit).
         */
        public int getMaxRestarts() {
            return maxRestarts;
        }

        /**
         * Sets the {@code qudag.resilience.client.max-restarts} property.
         *
         * @param maxRestarts restarts in a row after which a stdio connection is given up (HTTP servers
         *        are waited for without limit)
         */
        public void setMaxRestarts(int maxRestarts) {
            this.maxRestarts = maxRestarts;
        }

        /**
         * {@return the {@code qudag.resilience.client.session-retries} property} Transparent re-sends
         * after "session terminated", for tools safe to repeat.
         */
        public int getSessionRetries() {
            return sessionRetries;
        }

        /**
         * Sets the {@code qudag.resilience.client.session-retries} property.
         *
         * @param sessionRetries transparent re-sends after "session terminated", for tools safe to repeat
         */
        public void setSessionRetries(int sessionRetries) {
            this.sessionRetries = sessionRetries;
        }

        /**
         * {@return the {@code qudag.resilience.client.hedge-delay} property} Delay before a hedge is sent
         * for a read-only tool of a trusted server; unset: the client's adaptive hedging (the tool's recent
         * p95, at least 100 ms, one hedge).
         */
        public Duration getHedgeDelay() {
            return hedgeDelay;
        }

        /**
         * Sets the {@code qudag.resilience.client.hedge-delay} property.
         *
         * @param hedgeDelay delay before a hedge is sent for a read-only tool of a trusted server; unset
         *        turns hedging off
         */
        public void setHedgeDelay(Duration hedgeDelay) {
            this.hedgeDelay = hedgeDelay;
        }

        /**
         * {@return the {@code qudag.resilience.client.max-hedges} property} Extra attempts a hedged call
         * may start on other connections of its group.
         */
        public int getMaxHedges() {
            return maxHedges;
        }

        /**
         * Sets the {@code qudag.resilience.client.max-hedges} property.
         *
         * @param maxHedges extra attempts a hedged call may start on other connections of its group
         */
        public void setMaxHedges(int maxHedges) {
            this.maxHedges = maxHedges;
        }

        /**
         * {@return the {@code qudag.resilience.client.trusted} property} Whether tool annotations (read-
         * only, idempotent, destructive) of every connection are trusted by default.
         */
        public boolean isTrusted() {
            return trusted;
        }

        /**
         * Sets the {@code qudag.resilience.client.trusted} property.
         *
         * @param trusted whether tool annotations (read-only, idempotent, destructive) of every connection
         *        are trusted by default
         */
        public void setTrusted(boolean trusted) {
            this.trusted = trusted;
        }

        /**
         * {@return the {@code qudag.resilience.client.log-arguments} property} Whether logs may print tool
         * arguments (they may hold secrets).
         */
        public boolean isLogArguments() {
            return logArguments;
        }

        /**
         * Sets the {@code qudag.resilience.client.log-arguments} property.
         *
         * @param logArguments whether logs may print tool arguments (they may hold secrets)
         */
        public void setLogArguments(boolean logArguments) {
            this.logArguments = logArguments;
        }

        /**
         * {@return the {@code qudag.resilience.client.connections} property} Per Spring AI connection
         * name: trust and tier.
         */
        public Map<String, Connection> getConnections() {
            return connections;
        }

        /**
         * Sets the {@code qudag.resilience.client.connections} property.
         *
         * @param connections per Spring AI connection name: trust and tier
         */
        public void setConnections(Map<String, Connection> connections) {
            this.connections = connections;
        }

        /**
         * {@return the {@code qudag.resilience.client.groups} property} Groups of Spring AI connections
         * that answer for one another: group name to its connections.
         */
        public Map<String, Group> getGroups() {
            return groups;
        }

        /**
         * Sets the {@code qudag.resilience.client.groups} property.
         *
         * @param groups groups of Spring AI connections that answer for one another: group name to its
         *        connections
         */
        public void setGroups(Map<String, Group> groups) {
            this.groups = groups;
        }
    }

    /** Settings of one Spring AI connection (by its name under {@code spring.ai.mcp.client.*.connections}). */
    public static class Connection {

        /** Whether this server's tool annotations are trusted; unset means client.trusted. */
        private Boolean trusted;

        /**
         * The failover tier of this connection inside its group: lower tiers are tried first, and the
         * connections of one tier share the calls by latency. Unset: LOCAL when another connection of the
         * group names a tier; when none does, the group's listed order is its priority order.
         */
        private FailoverTier tier;

        /**
         * {@return the {@code qudag.resilience.client.connections.<name>.trusted} property} Whether this
         * server's tool annotations are trusted; unset means client.trusted.
         */
        public Boolean getTrusted() {
            return trusted;
        }

        /**
         * Sets the {@code qudag.resilience.client.connections.<name>.trusted} property.
         *
         * @param trusted whether this server's tool annotations are trusted; unset means client.trusted
         */
        public void setTrusted(Boolean trusted) {
            this.trusted = trusted;
        }

        /**
         * {@return the {@code qudag.resilience.client.connections.<name>.tier} property} The failover tier
         * of this connection inside its group; lower tiers are tried first.
         */
        public FailoverTier getTier() {
            return tier;
        }

        /**
         * Sets the {@code qudag.resilience.client.connections.<name>.tier} property.
         *
         * @param tier the failover tier of this connection inside its group; lower tiers are tried first
         */
        public void setTier(FailoverTier tier) {
            this.tier = tier;
        }
    }

    /** A group of connections serving the same tools: each tool is exposed once and calls fail over. */
    public static class Group {

        /** The Spring AI connection names of the group, in priority order (the first is the primary). */
        private List<String> connections = new ArrayList<>();

        /**
         * {@return the {@code qudag.resilience.client.groups.<name>.connections} property} The Spring AI
         * connection names of the group, in priority order (the first is the primary).
         */
        public List<String> getConnections() {
            return connections;
        }

        /**
         * Sets the {@code qudag.resilience.client.groups.<name>.connections} property.
         *
         * @param connections the Spring AI connection names of the group, in priority order (the first is
         *        the primary)
         */
        public void setConnections(List<String> connections) {
            this.connections = connections;
        }
    }

    /** Server side: the decoration of every MCP tool the application serves. */
    public static class Server {

        /** Whether the application's MCP server tools are decorated. */
        private boolean enabled = true;

        /** Name of the decorated server in meters, logs and bulkhead names. */
        private String name = "mcp-server";

        /** Time limit of every tool call (unless its isolation class has its own); unset means none. */
        private Duration timeLimit;

        /** Time limit per isolation class (CRITICAL, USER, BACKGROUND, EMERGENCY). */
        private Map<IsolationClass, Duration> timeLimits = new EnumMap<>(IsolationClass.class);

        /** The isolation class (bulkhead) of a tool that has no override. */
        private IsolationClass isolationClass = IsolationClass.USER;

        /** How a refused or timed-out call is answered. */
        private RejectionMode rejectionMode = RejectionMode.TOOL_ERROR_RESULT;

        /** JSON-RPC code of a refusal in JSON_RPC_ERROR mode (negative). */
        private int rejectionErrorCode = -32603;

        private final Breaker breaker = new Breaker();

        /** Per tool name: overrides of the defaults above. */
        private Map<String, Tool> tools = new HashMap<>();

        /**
         * {@return the {@code qudag.resilience.server.enabled} property} Whether the application's MCP
         * server tools are decorated.
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets the {@code qudag.resilience.server.enabled} property.
         *
         * @param enabled whether the application's MCP server tools are decorated
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return the {@code qudag.resilience.server.name} property} Name of the decorated server in
         * meters, logs and bulkhead names.
         */
        public String getName() {
            return name;
        }

        /**
         * Sets the {@code qudag.resilience.server.name} property.
         *
         * @param name name of the decorated server in meters, logs and bulkhead names
         */
        public void setName(String name) {
            this.name = name;
        }

        /**
         * {@return the {@code qudag.resilience.server.time-limit} property} Time limit of every tool call
         * (unless its isolation class has its own); unset means none.
         */
        public Duration getTimeLimit() {
            return timeLimit;
        }

        /**
         * Sets the {@code qudag.resilience.server.time-limit} property.
         *
         * @param timeLimit time limit of every tool call (unless its isolation class has its own); unset
         *        means none
         */
        public void setTimeLimit(Duration timeLimit) {
            this.timeLimit = timeLimit;
        }

        /**
         * {@return the {@code qudag.resilience.server.time-limits} property} Time limit per isolation
         * class (CRITICAL, USER, BACKGROUND, EMERGENCY).
         */
        public Map<IsolationClass, Duration> getTimeLimits() {
            return timeLimits;
        }

        /**
         * Sets the {@code qudag.resilience.server.time-limits} property.
         *
         * @param timeLimits time limit per isolation class (CRITICAL, USER, BACKGROUND, EMERGENCY)
         */
        public void setTimeLimits(Map<IsolationClass, Duration> timeLimits) {
            this.timeLimits = timeLimits;
        }

        /**
         * {@return the {@code qudag.resilience.server.isolation-class} property} The isolation class
         * (bulkhead) of a tool that has no override.
         */
        public IsolationClass getIsolationClass() {
            return isolationClass;
        }

        /**
         * Sets the {@code qudag.resilience.server.isolation-class} property.
         *
         * @param isolationClass the isolation class (bulkhead) of a tool that has no override
         */
        public void setIsolationClass(IsolationClass isolationClass) {
            this.isolationClass = isolationClass;
        }

        /**
         * {@return the {@code qudag.resilience.server.rejection-mode} property} How a refused or timed-out
         * call is answered.
         */
        public RejectionMode getRejectionMode() {
            return rejectionMode;
        }

        /**
         * Sets the {@code qudag.resilience.server.rejection-mode} property.
         *
         * @param rejectionMode how a refused or timed-out call is answered
         */
        public void setRejectionMode(RejectionMode rejectionMode) {
            this.rejectionMode = rejectionMode;
        }

        /**
         * {@return the {@code qudag.resilience.server.rejection-error-code} property} JSON-RPC code of a
         * refusal in JSON_RPC_ERROR mode (negative).
         */
        public int getRejectionErrorCode() {
            return rejectionErrorCode;
        }

        /**
         * Sets the {@code qudag.resilience.server.rejection-error-code} property.
         *
         * @param rejectionErrorCode JSON-RPC code of a refusal in JSON_RPC_ERROR mode (negative)
         */
        public void setRejectionErrorCode(int rejectionErrorCode) {
            this.rejectionErrorCode = rejectionErrorCode;
        }

        /**
         * {@return the {@code qudag.resilience.server.breaker.*} properties} The adaptive circuit breaker
         * (spec §3.1) around the server's tool handlers.
         */
        public Breaker getBreaker() {
            return breaker;
        }

        /**
         * {@return the {@code qudag.resilience.server.tools} property} Per tool name: overrides of the
         * defaults above.
         */
        public Map<String, Tool> getTools() {
            return tools;
        }

        /**
         * Sets the {@code qudag.resilience.server.tools} property.
         *
         * @param tools per tool name: overrides of the defaults above
         */
        public void setTools(Map<String, Tool> tools) {
            this.tools = tools;
        }
    }

    /** The adaptive circuit breaker (spec §3.1) around the server's tool handlers. */
    public static class Breaker {

        /** Whether an adaptive breaker guards the tool handlers. */
        private boolean enabled = false;

        /** Base failure-rate threshold (0 to 1) before adaptation. */
        private double failureThreshold = 0.05;

        /** Calls in the window before the breaker may open. */
        private int minimumNumberOfCalls = 20;

        /** The sliding window the failure rate is measured over. */
        private Duration slidingWindow = Duration.ofMinutes(10);

        /** How long the breaker stays open the first time. */
        private Duration openDuration = Duration.ofSeconds(60);

        /**
         * {@return the {@code qudag.resilience.server.breaker.enabled} property} Whether an adaptive
         * breaker guards the tool handlers.
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets the {@code qudag.resilience.server.breaker.enabled} property.
         *
         * @param enabled whether an adaptive breaker guards the tool handlers
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return the {@code qudag.resilience.server.breaker.failure-threshold} property} Base failure-
         * rate threshold (0 to 1) before adaptation.
         */
        public double getFailureThreshold() {
            return failureThreshold;
        }

        /**
         * Sets the {@code qudag.resilience.server.breaker.failure-threshold} property.
         *
         * @param failureThreshold base failure-rate threshold (0 to 1) before adaptation
         */
        public void setFailureThreshold(double failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        /**
         * {@return the {@code qudag.resilience.server.breaker.minimum-number-of-calls} property} Calls in
         * the window before the breaker may open.
         */
        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        /**
         * Sets the {@code qudag.resilience.server.breaker.minimum-number-of-calls} property.
         *
         * @param minimumNumberOfCalls calls in the window before the breaker may open
         */
        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        /**
         * {@return the {@code qudag.resilience.server.breaker.sliding-window} property} The sliding window
         * the failure rate is measured over.
         */
        public Duration getSlidingWindow() {
            return slidingWindow;
        }

        /**
         * Sets the {@code qudag.resilience.server.breaker.sliding-window} property.
         *
         * @param slidingWindow the sliding window the failure rate is measured over
         */
        public void setSlidingWindow(Duration slidingWindow) {
            this.slidingWindow = slidingWindow;
        }

        /**
         * {@return the {@code qudag.resilience.server.breaker.open-duration} property} How long the
         * breaker stays open the first time.
         */
        public Duration getOpenDuration() {
            return openDuration;
        }

        /**
         * Sets the {@code qudag.resilience.server.breaker.open-duration} property.
         *
         * @param openDuration how long the breaker stays open the first time
         */
        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }
    }

    /** Overrides for one server tool. */
    public static class Tool {

        /** The isolation class (bulkhead) this tool runs in; its time limit is the class's. */
        private IsolationClass isolationClass;

        /**
         * {@return the {@code qudag.resilience.server.tools.<name>.isolation-class} property} The
         * isolation class (bulkhead) this tool runs in; its time limit is the class's.
         */
        public IsolationClass getIsolationClass() {
            return isolationClass;
        }

        /**
         * Sets the {@code qudag.resilience.server.tools.<name>.isolation-class} property.
         *
         * @param isolationClass the isolation class (bulkhead) this tool runs in; its time limit is the
         *        class's
         */
        public void setIsolationClass(IsolationClass isolationClass) {
            this.isolationClass = isolationClass;
        }
    }

    // ------------------------------------------------------------------ validation

    @Override
    public boolean supports(Class<?> clazz) {
        return QudagResilienceProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        QudagResilienceProperties p = (QudagResilienceProperties) target;
        Client c = p.client;
        positive(errors, "client.callTimeout", "client.call-timeout", c.callTimeout);
        if (c.startupWait == null || c.startupWait.isNegative()) {
            reject(errors, "client.startupWait", "client.startup-wait", c.startupWait, "must be >= 0");
        }
        positive(errors, "client.sdkRequestTimeout", "client.sdk-request-timeout", c.sdkRequestTimeout);
        if (c.pingInterval == null || c.pingInterval.isNegative()) {
            reject(errors, "client.pingInterval", "client.ping-interval", c.pingInterval, "must be >= 0");
        }
        positive(errors, "client.pingTimeout", "client.ping-timeout", c.pingTimeout);
        if (c.livenessTimeoutFloor != null) {
            positive(errors, "client.livenessTimeoutFloor", "client.liveness-timeout-floor", c.livenessTimeoutFloor);
            if (c.pingTimeout != null && c.livenessTimeoutFloor.compareTo(c.pingTimeout) > 0) {
                reject(errors, "client.livenessTimeoutFloor", "client.liveness-timeout-floor", c.livenessTimeoutFloor,
                        "must be <= client.ping-timeout (" + c.pingTimeout + ")");
            }
        }
        positive(errors, "client.restartInitialBackoff", "client.restart-initial-backoff", c.restartInitialBackoff);
        positive(errors, "client.restartMaxBackoff", "client.restart-max-backoff", c.restartMaxBackoff);
        if (c.restartInitialBackoff != null && c.restartMaxBackoff != null
                && c.restartMaxBackoff.compareTo(c.restartInitialBackoff) < 0) {
            reject(errors, "client.restartMaxBackoff", "client.restart-max-backoff", c.restartMaxBackoff,
                    "must be >= client.restart-initial-backoff (" + c.restartInitialBackoff + ")");
        }
        if (c.maxRestarts < 0) {
            reject(errors, "client.maxRestarts", "client.max-restarts", c.maxRestarts, "must be >= 0");
        }
        if (c.sessionRetries < 0) {
            reject(errors, "client.sessionRetries", "client.session-retries", c.sessionRetries, "must be >= 0");
        }
        if (c.hedgeDelay != null && c.hedgeDelay.isNegative()) {
            reject(errors, "client.hedgeDelay", "client.hedge-delay", c.hedgeDelay, "must be >= 0");
        }
        if (c.maxHedges < 1) {
            reject(errors, "client.maxHedges", "client.max-hedges", c.maxHedges, "must be >= 1");
        }
        Set<String> grouped = new java.util.HashSet<>();
        for (Map.Entry<String, Group> g : c.groups.entrySet()) {
            String path = "client.groups." + g.getKey() + ".connections";
            List<String> names = g.getValue().connections;
            if (names == null || names.isEmpty()) {
                reject(errors, path, path, names, "must name at least one connection");
                continue;
            }
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    reject(errors, path, path, names, "must not contain a blank name");
                } else if (!grouped.add(n)) {
                    reject(errors, path, path, n, "must not name a connection that is already in a group");
                }
            }
        }
        Server s = p.server;
        if (s.name == null || s.name.isBlank()) {
            reject(errors, "server.name", "server.name", s.name, "must not be blank");
        }
        if (s.timeLimit != null) {
            positive(errors, "server.timeLimit", "server.time-limit", s.timeLimit);
        }
        for (Map.Entry<IsolationClass, Duration> e : s.timeLimits.entrySet()) {
            String path = "server.time-limits." + e.getKey();
            positive(errors, "server.timeLimits[" + e.getKey() + "]", path, e.getValue());
        }
        if (s.isolationClass == null) {
            reject(errors, "server.isolationClass", "server.isolation-class", null, "must not be empty");
        }
        if (s.rejectionMode == null) {
            reject(errors, "server.rejectionMode", "server.rejection-mode", null, "must not be empty");
        }
        if (s.rejectionErrorCode >= 0) {
            reject(errors, "server.rejectionErrorCode", "server.rejection-error-code", s.rejectionErrorCode,
                    "must be a negative JSON-RPC error code");
        }
        Breaker b = s.breaker;
        if (!(b.failureThreshold > 0.0 && b.failureThreshold < 1.0)) {
            reject(errors, "server.breaker.failureThreshold", "server.breaker.failure-threshold", b.failureThreshold,
                    "must be between 0 and 1 (exclusive)");
        }
        if (b.minimumNumberOfCalls < 1) {
            reject(errors, "server.breaker.minimumNumberOfCalls", "server.breaker.minimum-number-of-calls",
                    b.minimumNumberOfCalls, "must be >= 1");
        }
        positive(errors, "server.breaker.slidingWindow", "server.breaker.sliding-window", b.slidingWindow);
        positive(errors, "server.breaker.openDuration", "server.breaker.open-duration", b.openDuration);
        for (Map.Entry<String, Tool> e : s.tools.entrySet()) {
            if (e.getValue().isolationClass == null) {
                String path = "server.tools." + e.getKey() + ".isolation-class";
                reject(errors, path, path, null, "must name an isolation class");
            }
        }
    }

    private static void positive(Errors errors, String field, String property, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            reject(errors, field, property, d, "must be > 0");
        }
    }

    private static void reject(Errors errors, String field, String property, Object value, String rule) {
        String message = PREFIX + "." + property + " " + rule + ", was " + value;
        if (field.contains("[") || field.contains(".groups.") || field.contains(".connections.")
                || field.contains(".tools.")) {
            errors.reject("qudag.invalid", message);
        } else {
            errors.rejectValue(field, "qudag.invalid", new Object[] {value}, message);
        }
    }
}
