package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Catalogs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every catalog's database has been brought to the newest migration. */
@Readiness
@ApplicationScoped
public class CatalogMigrationsHealth implements HealthCheck {

    @Inject
    Catalogs catalogs;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("catalog-migrations").status(catalogs.migrated()).build();
    }
}
