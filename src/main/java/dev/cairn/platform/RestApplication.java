package dev.cairn.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * All of Cairn's HTTP surface under one JAX-RS application at the root: {@code /ermrest},
 * {@code /hatrac}, {@code /api} and the web catalog's pages. Payara keeps {@code /health},
 * {@code /metrics} and {@code /openapi} beside it.
 */
@ApplicationPath("/")
public class RestApplication extends Application {
}
