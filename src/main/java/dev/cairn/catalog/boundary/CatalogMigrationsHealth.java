package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.platform.StartupComplete;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every catalog's database has been brought to the newest migration. Touching the
 * registry when the application starts makes those migrations run at deployment, not on the
 * first request.
 */
@Readiness
@ApplicationScoped
public class CatalogMigrationsHealth implements HealthCheck {

    @Inject
    Catalogs catalogs;

    void migrateAtStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        catalogs.migrated();
    }

    @Override
    public HealthCheckResponse call() {
        // nothing is asked of the EJB container before its start-up singletons are up (see StartupComplete)
        return HealthCheckResponse.named("catalog-migrations")
                .status(StartupComplete.done() && catalogs.migrated())
                .build();
    }
}
