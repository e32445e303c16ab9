package dev.cairn.platform;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Payara keeps running, answering 404, when an application fails to start. A Cairn that cannot
 * migrate its database must not look alive: log the cause and end the process with status 1
 * (unless {@code cairn.exit.on.startup.failure=false}, for servers that host other applications),
 * after stopping the embedded PostgreSQL and waiting for it, so a slow machine never leaves it behind.
 */
public final class StartupFailure {

    private static final Logger LOG = Logger.getLogger(StartupFailure.class.getName());

    private StartupFailure() {}

    public static RuntimeException stop(CairnConfig config, String what, Throwable cause) {
        LOG.log(Level.SEVERE, "Cairn cannot start: " + what + ": " + cause.getMessage(), cause);
        System.err.println("Cairn cannot start: " + what + ": " + cause.getMessage());
        if (config.exitOnStartupFailure()) {
            // The embedded PostgreSQL goes first, waited for: the halt below must never leave it running.
            EmbeddedDatabase.stopForGood();
            // Exit from another thread: the deploying thread must unwind and release its locks.
            Thread exit = new Thread(() -> System.exit(1), "cairn-startup-failure");
            exit.start();
            Thread halt = new Thread(
                    () -> {
                        try {
                            Thread.sleep(30_000);
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                        Runtime.getRuntime().halt(1);
                    },
                    "cairn-startup-failure-halt");
            halt.setDaemon(true);
            halt.start();
        }
        return new IllegalStateException("Cairn cannot start: " + what, cause);
    }
}
