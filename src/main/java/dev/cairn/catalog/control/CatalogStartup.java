package dev.cairn.catalog.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/** Runs {@link Catalogs}' start-up work (crash recovery, then migrations) when Cairn deploys. */
@Startup
@Singleton
public class CatalogStartup {

    @Inject
    Catalogs catalogs;

    @PostConstruct
    void start() {
        catalogs.migrateAll();
    }
}
