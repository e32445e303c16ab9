package dev.cairn.platform;

import java.sql.Connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the system database answers and its migrations have run. */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    @Inject
    Database database;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
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
