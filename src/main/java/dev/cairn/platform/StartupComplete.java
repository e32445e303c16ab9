package dev.cairn.platform;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

/**
 * Marks the end of Cairn's start-up: made after every other start-up singleton, so readiness can
 * tell, without calling into the EJB container, that they are all initialized. Payara serves HTTP
 * between deploying the application and initializing its singletons; a call into an EJB in that
 * window (the loopback routing probe of readiness, for one) leaves the container unable to start
 * them, so readiness asks nothing of the application before this flag is set. It also puts the
 * {@link EscapeGuard} into the server's HTTP layer, and {@link ClientAborts} on Jersey's log.
 */
@Startup
@Singleton
@DependsOn({"CatalogStartup", "Storage", "FirstStart", "GrantExpiry"})
public class StartupComplete {

    private static volatile boolean done;

    @PostConstruct
    void complete() {
        EscapeGuard.install();
        ClientAborts.install();
        done = true;
    }

    /** Whether every start-up singleton has been initialized. */
    public static boolean done() {
        return done;
    }
}
