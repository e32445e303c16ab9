package dev.cairn.grant.control;

import dev.cairn.platform.Database;
import dev.cairn.platform.Leases;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Takes back expired grants every {@value #INTERVAL_SECONDS} seconds, on one thread. */
@Startup
@Singleton
public class GrantExpiry {

    private static final Logger LOG = Logger.getLogger(GrantExpiry.class.getName());
    static final long INTERVAL_SECONDS = 15;

    @Inject
    Grants grants;

    @Inject
    Database database;

    /** Every node schedules the sweep; one at a time runs it. */
    @Inject
    Leases leases;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> sweeper;

    @PostConstruct
    void start() {
        sweeper = scheduler.scheduleWithFixedDelay(this::sweep, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    private void sweep() {
        if (!database.migrated()) {
            return;
        }
        try {
            leases.runAlone("grants.expiry", grants::expire);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Taking back expired grants failed; trying again in " + INTERVAL_SECONDS + " s", e);
        }
    }
}
