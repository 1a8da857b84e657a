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

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Client getClient() {
        return client;
    }

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

        /** Delay before a hedge is sent for a read-only tool of a trusted server; unset turns hedging off. */
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

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        public Duration getStartupWait() {
            return startupWait;
        }

        public void setStartupWait(Duration startupWait) {
            this.startupWait = startupWait;
        }

        public Duration getSdkRequestTimeout() {
            return sdkRequestTimeout;
        }

        public void setSdkRequestTimeout(Duration sdkRequestTimeout) {
            this.sdkRequestTimeout = sdkRequestTimeout;
        }

        public Duration getPingInterval() {
            return pingInterval;
        }

        public void setPingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
        }

        public Duration getPingTimeout() {
            return pingTimeout;
        }

        public void setPingTimeout(Duration pingTimeout) {
            this.pingTimeout = pingTimeout;
        }

        public Duration getLivenessTimeoutFloor() {
            return livenessTimeoutFloor;
        }

        public void setLivenessTimeoutFloor(Duration livenessTimeoutFloor) {
            this.livenessTimeoutFloor = livenessTimeoutFloor;
        }

        public Duration getRestartInitialBackoff() {
            return restartInitialBackoff;
        }

        public void setRestartInitialBackoff(Duration restartInitialBackoff) {
            this.restartInitialBackoff = restartInitialBackoff;
        }

        public Duration getRestartMaxBackoff() {
            return restartMaxBackoff;
        }

        public void setRestartMaxBackoff(Duration restartMaxBackoff) {
            this.restartMaxBackoff = restartMaxBackoff;
        }

        public int getMaxRestarts() {
            return maxRestarts;
        }

        public void setMaxRestarts(int maxRestarts) {
            this.maxRestarts = maxRestarts;
        }

        public int getSessionRetries() {
            return sessionRetries;
        }

        public void setSessionRetries(int sessionRetries) {
            this.sessionRetries = sessionRetries;
        }

        public Duration getHedgeDelay() {
            return hedgeDelay;
        }

        public void setHedgeDelay(Duration hedgeDelay) {
            this.hedgeDelay = hedgeDelay;
        }

        public int getMaxHedges() {
            return maxHedges;
        }

        public void setMaxHedges(int maxHedges) {
            this.maxHedges = maxHedges;
        }

        public boolean isTrusted() {
            return trusted;
        }

        public void setTrusted(boolean trusted) {
            this.trusted = trusted;
        }

        public boolean isLogArguments() {
            return logArguments;
        }

        public void setLogArguments(boolean logArguments) {
            this.logArguments = logArguments;
        }

        public Map<String, Connection> getConnections() {
            return connections;
        }

        public void setConnections(Map<String, Connection> connections) {
            this.connections = connections;
        }

        public Map<String, Group> getGroups() {
            return groups;
        }

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

        public Boolean getTrusted() {
            return trusted;
        }

        public void setTrusted(Boolean trusted) {
            this.trusted = trusted;
        }

        public FailoverTier getTier() {
            return tier;
        }

        public void setTier(FailoverTier tier) {
            this.tier = tier;
        }
    }

    /** A group of connections serving the same tools: each tool is exposed once and calls fail over. */
    public static class Group {

        /** The Spring AI connection names of the group, in priority order (the first is the primary). */
        private List<String> connections = new ArrayList<>();

        public List<String> getConnections() {
            return connections;
        }

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

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Duration getTimeLimit() {
            return timeLimit;
        }

        public void setTimeLimit(Duration timeLimit) {
            this.timeLimit = timeLimit;
        }

        public Map<IsolationClass, Duration> getTimeLimits() {
            return timeLimits;
        }

        public void setTimeLimits(Map<IsolationClass, Duration> timeLimits) {
            this.timeLimits = timeLimits;
        }

        public IsolationClass getIsolationClass() {
            return isolationClass;
        }

        public void setIsolationClass(IsolationClass isolationClass) {
            this.isolationClass = isolationClass;
        }

        public RejectionMode getRejectionMode() {
            return rejectionMode;
        }

        public void setRejectionMode(RejectionMode rejectionMode) {
            this.rejectionMode = rejectionMode;
        }

        public int getRejectionErrorCode() {
            return rejectionErrorCode;
        }

        public void setRejectionErrorCode(int rejectionErrorCode) {
            this.rejectionErrorCode = rejectionErrorCode;
        }

        public Breaker getBreaker() {
            return breaker;
        }

        public Map<String, Tool> getTools() {
            return tools;
        }

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

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(double failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getSlidingWindow() {
            return slidingWindow;
        }

        public void setSlidingWindow(Duration slidingWindow) {
            this.slidingWindow = slidingWindow;
        }

        public Duration getOpenDuration() {
            return openDuration;
        }

        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }
    }

    /** Overrides for one server tool. */
    public static class Tool {

        /** The isolation class (bulkhead) this tool runs in; its time limit is the class's. */
        private IsolationClass isolationClass;

        public IsolationClass getIsolationClass() {
            return isolationClass;
        }

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
