package dev.cairn.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Gives the application a request's path as the client sent it when {@link EscapeGuard} had to map
 * it with a stand-in (an escaped backslash): {@code getRequestURI} and {@code getRequestURL}
 * answer the original, so JAX-RS and Cairn's own path parsers see {@code %5C} and decode it to the
 * backslash it encodes. The guard's header is trusted only while the guard runs (it removes one a
 * client sends); otherwise it is ignored.
 */
public class RawPathFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String raw = EscapeGuard.active() ? request.getHeader(EscapeGuard.RAW_PATH) : null;
        if (raw == null || !raw.startsWith("/")) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public String getRequestURI() {
                        return raw;
                    }

                    @Override
                    public StringBuffer getRequestURL() {
                        StringBuffer url = super.getRequestURL();
                        String mapped = super.getRequestURI();
                        int at = url.lastIndexOf(mapped);
                        return at < 0 ? url : url.replace(at, at + mapped.length(), raw);
                    }
                },
                response);
    }
}
