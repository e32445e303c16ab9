package dev.cairn.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/**
 * All of Cairn's HTTP surface under one JAX-RS application at the root: {@code /ermrest},
 * {@code /hatrac}, {@code /api}, the web catalog's pages, {@code /openapi} and {@code /metrics}.
 * Payara keeps {@code /health} beside it (its own metrics and OpenAPI endpoints are moved aside
 * and disabled by {@code bin/payara-preboot.asadmin}).
 */
@ApplicationPath("/")
public class RestApplication extends Application {

    /**
     * No WADL: OPTIONS answers the allowed methods only, and the API is described at
     * {@code /openapi}. (A Jersey property; other JAX-RS runtimes ignore it.)
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
