package dev.cairn.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A PostgreSQL server that Cairn starts itself when no external database is configured. Its
 * cluster lives in {@code <data dir>/postgres} and survives restarts. It listens on localhost only
 * and asks every connection, local or not, for the password of its superuser: a secret generated
 * on the first start and kept in {@code <data dir>/postgres.secret} (mode 0600).
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

    /** What pg_hba.conf says once the password is set: scram-sha-256 for every connection. */
    private static final String HBA = """
            # Written by Cairn: every connection needs the password in ../postgres.secret.
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final Path clusterDir;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password, Path clusterDir) {
        this.postgres = postgres;
        this.password = password;
        this.clusterDir = clusterDir;
    }

    static EmbeddedDatabase start(Path clusterDir, Path secretFile) throws IOException {
        synchronized (LIFECYCLE) {
            if (failed) {
                // A container may retry a failed bean on another thread while the process exits: no second postmaster.
                throw new IOException("Cairn is stopping after a failed start");
            }
            EmbeddedDatabase started = startCluster(clusterDir, secretFile);
            running = started;
            return started;
        }
    }

    /**
     * Starts the cluster again after its postmaster died (killed, or crashed), on the same port, so
     * that the pools reconnect to the same URLs; PostgreSQL's crash recovery keeps every committed
     * transaction. Empty when the process is stopping, or when this server is not the running one.
     */
    Optional<EmbeddedDatabase> restart(Path secretFile) throws IOException {
        synchronized (LIFECYCLE) {
            if (failed || running != this) {
                return Optional.empty();
            }
            LOG.warning(() -> "Embedded PostgreSQL (cluster " + clusterDir + ") has died; starting it again on port "
                    + postgres.getPort());
            try {
                postgres.close();
            } catch (IOException alreadyGone) {
                // its postmaster is dead: pg_ctl's stop finds nothing to stop
            }
            EmbeddedDatabase started = startCluster(clusterDir, secretFile, postgres.getPort());
            running = started;
            return Optional.of(started);
        }
    }

    /** Whether the cluster's postmaster runs. */
    boolean alive() {
        try {
            return postmaster(clusterDir).isPresent();
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static EmbeddedDatabase startCluster(Path clusterDir, Path secretFile) throws IOException {
        return startCluster(clusterDir, secretFile, 0);
    }

    /** {@code port} 0: a free one. */
    private static EmbeddedDatabase startCluster(Path clusterDir, Path secretFile, int port) throws IOException {
        Files.createDirectories(clusterDir);
        stopOrphanedPostmaster(clusterDir);
        String password = secret(secretFile);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port != 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder
                // zonky checks readiness with a connection of its own: it needs the password too
                .setConnectConfig("password", password)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
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
        requirePassword(postgres, clusterDir, password);
        LOG.info(() -> "Embedded PostgreSQL started: " + jdbcUrl(postgres.getPort(), "postgres") + " (cluster "
                + clusterDir + ", password authentication)");
        return new EmbeddedDatabase(postgres, password, clusterDir);
    }

    String password() {
        return password;
    }

    /** The superuser's password: read, or generated and written (mode 0600) on the first start. */
    private static String secret(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        Path temporary = Files.createTempFile(
                file.getParent(),
                "postgres.secret",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, secret + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }

    /**
     * A cluster made by initdb (or by a Cairn from before passwords) trusts every local user: set
     * the superuser's password, then make pg_hba.conf ask for it and reload. Idempotent: a crash in
     * between leaves trust in place and the next start repeats both steps.
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path clusterDir, String password)
            throws IOException {
        Path hba = clusterDir.resolve("pg_hba.conf");
        if (Files.readString(hba).equals(HBA)) {
            return;
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD " + SqlIdentifiers.literal(password));
            Path temporary = clusterDir.resolve("pg_hba.conf.tmp");
            Files.writeString(temporary, HBA);
            Files.move(temporary, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
    }

    String jdbcUrl(String database) {
        return jdbcUrl(postgres.getPort(), database);
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** Guards {@link #running} and {@link #failed}: a start and a stop for good never interleave. */
    private static final Object LIFECYCLE = new Object();
    /** The embedded server this process runs, if any: a failed start stops it before the process exits. */
    private static volatile EmbeddedDatabase running;
    /** Set by a failed start: no embedded server starts again in this process. */
    private static boolean failed;

    @Override
    public void close() throws IOException {
        if (running == this) {
            running = null;
        }
        Optional<ProcessHandle> postmaster = postmaster(clusterDir);
        postgres.close();
        // zonky's stop waits a while; a loaded machine can take longer: wait for the postmaster itself
        if (postmaster.isPresent()) {
            ProcessHandle process = postmaster.get();
            // Waited for even when interrupted: a process that exits during a stop must not leave its postmaster
            // behind.
            long deadline = System.nanoTime() + STOP_WAIT.toNanos();
            boolean interrupted = false;
            while (process.isAlive() && System.nanoTime() < deadline) {
                try {
                    process.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException | ExecutionException e) {
                    break;
                }
            }
            if (process.isAlive()) {
                LOG.warning(() ->
                        "PostgreSQL postmaster " + process.pid() + " did not stop within " + STOP_WAIT + "; ending it");
                process.destroyForcibly();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info(() -> "Embedded PostgreSQL stopped (cluster " + clusterDir + ")");
    }

    /**
     * How long a stop may take before the postmaster is ended (PostgreSQL's crash recovery keeps what
     * was committed).
     */
    private static final Duration STOP_WAIT = Duration.ofSeconds(120);

    /**
     * After a failed start: stops the embedded server of this process, if one runs, waits until it
     * is gone, and refuses any later start (one in progress on another thread finishes first and is
     * stopped here).
     */
    static void stopForGood() {
        synchronized (LIFECYCLE) {
            failed = true;
            EmbeddedDatabase current = running;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    LOG.warning("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                }
            }
        }
    }

    /** The live postmaster of a cluster, from its pid file. */
    private static Optional<ProcessHandle> postmaster(Path clusterDir) throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Files.readAllLines(pidFile).stream()
                .findFirst()
                .map(String::trim)
                .filter(s -> s.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    /**
     * A server process killed without a clean shutdown leaves its postmaster running and holding
     * the cluster. Stop it, so that this start can take the cluster over; PostgreSQL's own crash
     * recovery keeps every committed transaction.
     */
    private static void stopOrphanedPostmaster(Path clusterDir) throws IOException {
        Optional<ProcessHandle> postmaster = postmaster(clusterDir);
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
