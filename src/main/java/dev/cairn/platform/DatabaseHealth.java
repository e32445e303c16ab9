package dev.cairn.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    @ConfigProperty(name = "payara.instance.http.port", defaultValue = "8080")
    int port;

    private volatile boolean routed;

    private boolean routed() {
        if (!routed) {
            routed = Ready.routed(port);
        }
        return routed;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        if (!started || !StartupComplete.done()) {
            return response.down().withData("application", "starting").build();
        }
        if (!routed()) {
            return response.down()
                    .withData("application", "not yet answering on its routes")
                    .build();
        }
        if (!database.migrated()) {
            return response.down().withData("migrations", "pending").build();
        }
        if (!database.available()) {
            return response.down()
                    .withData("database", database.unavailableReason())
                    .build();
        }
        try (Connection c = database.system().getConnection()) {
            boolean valid = c.isValid(2);
            return response.status(valid).withData("migrations", "applied").build();
        } catch (Exception e) {
            return response.down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
