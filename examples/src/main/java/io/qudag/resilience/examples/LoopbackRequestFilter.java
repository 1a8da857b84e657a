package io.qudag.resilience.examples;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection for an MCP server bound to the loopback interface, as the MCP transport's
 * security notes ask of local servers: a request is served only when its {@code Host} header names
 * {@code 127.0.0.1} or {@code localhost} with the server's own port, and its {@code Origin} header, when
 * present, is {@code http://127.0.0.1:<port>} or {@code http://localhost:<port>}. Anything else gets
 * {@code 403 Forbidden} before it reaches the MCP servlet. A server reached through a loopback proxy
 * (the chaos example's fault proxy) also accepts the proxy's port, named in {@code alsoServedOn}.
 */
public final class LoopbackRequestFilter implements Filter {

    private final Set<Integer> alsoServedOn;

    /** Serves requests addressed to this server's own loopback port only. */
    public LoopbackRequestFilter() {
        this(Set.of());
    }

    /**
     * Also serves requests addressed to these loopback ports (read at each request, so a concurrent set
     * may be filled once a proxy in front of this server has its port).
     */
    public LoopbackRequestFilter(Set<Integer> alsoServedOn) {
        this.alsoServedOn = alsoServedOn;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String problem = problem(http.getHeader("Host"), http.getHeader("Origin"), http.getLocalPort());
        for (int port : alsoServedOn) {
            if (problem == null) {
                break;
            }
            problem = problem(http.getHeader("Host"), http.getHeader("Origin"), port);
        }
        if (problem != null) {
            HttpServletResponse out = (HttpServletResponse) response;
            out.setStatus(HttpServletResponse.SC_FORBIDDEN);
            out.setContentType("text/plain;charset=UTF-8");
            out.getWriter().write(problem);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why a request with these headers to {@code port} is refused, or {@code null} when it is served. */
    static String problem(String host, String origin, int port) {
        if (host == null || !isLoopback(host.toLowerCase(Locale.ROOT), port)) {
            return "Host " + host + " is not this loopback server";
        }
        if (origin != null) {
            String o = origin.toLowerCase(Locale.ROOT);
            if (!o.startsWith("http://") || !isLoopback(o.substring("http://".length()), port)) {
                return "Origin " + origin + " may not call this loopback server";
            }
        }
        return null;
    }

    private static boolean isLoopback(String hostAndPort, int port) {
        return hostAndPort.equals("127.0.0.1:" + port) || hostAndPort.equals("localhost:" + port);
    }
}
