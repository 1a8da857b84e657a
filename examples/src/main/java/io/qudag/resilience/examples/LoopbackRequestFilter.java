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

/**
 * DNS-rebinding protection for an MCP server bound to the loopback interface, as the MCP transport's
 * security notes ask of local servers: a request is served only when its {@code Host} header names
 * {@code 127.0.0.1} or {@code localhost} with the server's own port, and its {@code Origin} header, when
 * present, is {@code http://127.0.0.1:<port>} or {@code http://localhost:<port>}. Anything else gets
 * {@code 403 Forbidden} before it reaches the MCP servlet.
 */
public final class LoopbackRequestFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String problem = problem(http.getHeader("Host"), http.getHeader("Origin"), http.getLocalPort());
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
