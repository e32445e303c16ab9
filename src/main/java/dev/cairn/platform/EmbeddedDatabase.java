package dev.cairn.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server that Cairn starts itself when no external database is configured. Its
 * cluster lives in {@code <data dir>/postgres} and survives restarts.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start(Path clusterDir) throws IOException {
        Files.createDirectories(clusterDir);
        stopOrphanedPostmaster(clusterDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(clusterDir)
                .setCleanDataDirectory(false)
                // Stopped by Database at undeployment; a hook of its own would log after Payara's logging stopped.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                // zonky tunes for throwaway test databases (fsync and synchronous_commit off); this
                // one holds acknowledged data that must survive a crash.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("autovacuum_naptime", "15s")
                .start();
        LOG.info(() -> "Embedded PostgreSQL started: " + jdbcUrl(postgres.getPort(), "postgres")
                + " (cluster " + clusterDir + ")");
        return new EmbeddedDatabase(postgres);
    }

    String jdbcUrl(String database) {
        return jdbcUrl(postgres.getPort(), database);
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A server process killed without a clean shutdown leaves its postmaster running and holding
     * the cluster. Stop it, so that this start can take the cluster over; PostgreSQL's own crash
     * recovery keeps every committed transaction.
     */
    private static void stopOrphanedPostmaster(Path clusterDir) throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::trim)
                .filter(s -> s.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        LOG.warning(() -> "Stopping orphaned PostgreSQL postmaster " + process.pid() + " of " + clusterDir);
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception notStopped) {
            process.destroyForcibly();
        }
    }
}
