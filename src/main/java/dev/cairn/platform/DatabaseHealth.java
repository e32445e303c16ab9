package dev.cairn.platform;

import java.sql.Connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the application has started and routes requests, the system database answers and its
 * migrations have run. Payara answers {@code /health} while it is still loading the application,
 * so "started" waits for the application scope, and "routed" for Cairn's own {@code /api/ready} to
 * answer over loopback (once it has, it is not asked again).
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    @Inject
    Database database;

    private volatile boolean started;

    void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
        started = true;
    }

    @Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "payara.instance.http.port", defaultValue = "8080")
    int port;

    private volatile boolean routed;

    private static final java.net.http.HttpClient LOOPBACK = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(1)).build();

    private boolean routed() {
        if (!routed) {
            try {
                var reply = LOOPBACK.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/ready"))
                        .timeout(java.time.Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                routed = reply.statusCode() == 204;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return routed;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        if (!started || !routed()) {
            return response.down().withData("application", "starting").build();
        }
        if (!database.migrated()) {
            return response.down().withData("migrations", "pending").build();
        }
        try (Connection c = database.system().getConnection()) {
            boolean valid = c.isValid(2);
            return response.status(valid).withData("migrations", "applied").build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
