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
 * so "started" waits for the application scope and for the JAX-RS application ({@link Routing}).
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

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        if (!started || !Routing.ready()) {
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
