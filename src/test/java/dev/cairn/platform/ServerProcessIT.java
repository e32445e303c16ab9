package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.Ready;

/**
 * Cairn as an operator runs it: the README's {@code bin/run} on a data folder of its own. Proves
 * that data survives restarts, that a stop is clean, that a killed server comes back, that the
 * database maintains ERMrest's system columns, and that a failed migration ends the process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerProcessIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern EMBEDDED_URL =
            Pattern.compile("Embedded PostgreSQL started: (jdbc:postgresql://localhost:\\d+/)postgres");

    private static final Path DATA = Path.of(System.getProperty("it.data.dir", "target/it-data"), "process");
    private static String catalogId;

    private Process server;
    private Path log;
    private Http http;

    @BeforeAll
    static void freshDataFolder() throws IOException {
        if (Files.exists(DATA)) {
            try (var paths = Files.walk(DATA)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    private void start() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.createDirectories(DATA);
        log = Files.createTempFile(DATA, "server-", ".log");
        ProcessBuilder builder = new ProcessBuilder("bin/run").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CAIRN_DATA_DIR", DATA.toAbsolutePath().toString());
        builder.environment().put("CAIRN_PORT", String.valueOf(port));
        builder.environment().put("CAIRN_JAVA_OPTS", "-Xmx384m");
        builder.environment().remove("CAIRN_DB_URL");
        server = builder.start();
        http = new Http("http://localhost:" + port);
    }

    private void awaitHealthy() throws Exception {
        try {
            Ready.await(http, START_TIMEOUT, server::isAlive);
        } catch (AssertionError notReady) {
            throw new AssertionError(notReady.getMessage() + "\n" + tail(), notReady);
        }
    }

    private Connection database(String name) throws IOException, SQLException {
        Matcher url = EMBEDDED_URL.matcher(Files.readString(log));
        assertTrue(url.find(), "the log names the embedded database");
        return DriverManager.getConnection(url.group(1) + name, "postgres", "");
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private boolean postmasterRunning() {
        return Files.exists(DATA.resolve("postgres/postmaster.pid"));
    }

    @Test
    @Order(1)
    void firstStartCreatesDataAndStopsCleanly() throws Exception {
        start();
        awaitHealthy();
        Reply created = http.postJson("/api/catalogs", "{\"name\": \"kept\", \"domainSchema\": \"kept\"}");
        assertEquals(201, created.status(), created::toString);
        catalogId = created.json().getString("id");

        server.destroy(); // SIGTERM, as Ctrl-C or a service manager stops it
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "stops within a minute");
        assertFalse(postmasterRunning(), "the embedded PostgreSQL stopped with it");
    }

    @Test
    @Order(2)
    void restartKeepsCatalogsAndSurvivesKill() throws Exception {
        start();
        awaitHealthy();
        assertEquals(200, http.get("/api/catalogs/" + catalogId).status(), "catalog survived the restart");

        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: PostgreSQL is left orphaned
        assertTrue(postmasterRunning());

        start();
        awaitHealthy();
        Reply catalog = http.get("/api/catalogs/" + catalogId);
        assertEquals(200, catalog.status(), catalog::toString);
        assertEquals("kept", catalog.json().getString("name"));
        assertEquals(200, http.get("/ermrest/catalog/" + catalogId + "/schema").status());
    }

    @Test
    @Order(3)
    void databaseMaintainsSystemColumns() throws Exception {
        start();
        awaitHealthy();
        try (Connection c = database("cairn_catalog_" + catalogId); Statement s = c.createStatement()) {
            try (ResultSet terms = s.executeQuery("SELECT count(*) FROM \"deriva-ml\".\"Asset_Type\" "
                    + "WHERE \"Name\" IN ('Execution_Config', 'Output_File', 'Model_File')")) {
                terms.next();
                assertEquals(3, terms.getInt(1), "seeded Asset_Type terms");
            }
            c.setAutoCommit(false);
            s.execute("SELECT set_config('cairn.client', 'alice', true)");
            s.execute("INSERT INTO \"deriva-ml\".\"Asset_Type\" (\"Name\", \"Description\", \"RCB\", \"RCT\") "
                    + "VALUES ('Segmentation_Mask', 'Binary masks', 'mallory', '2000-01-01')");
            c.commit();
            String rid;
            Instant created;
            try (ResultSet row = s.executeQuery("SELECT \"RID\", \"RCT\", \"RMT\", \"RCB\", \"RMB\", \"ID\", \"URI\" "
                    + "FROM \"deriva-ml\".\"Asset_Type\" WHERE \"Name\" = 'Segmentation_Mask'")) {
                assertTrue(row.next());
                rid = row.getString(1);
                created = row.getTimestamp(2).toInstant();
                assertTrue(rid.matches("[0-9A-HJKMNP-TV-Z]{1,4}(-[0-9A-HJKMNP-TV-Z]{4})*"), rid);
                assertTrue(created.isAfter(Instant.parse("2020-01-01T00:00:00Z")), "RCT is the server's, not the client's");
                assertEquals("alice", row.getString(4), "RCB is the requesting client");
                assertEquals("alice", row.getString(5));
                assertEquals("deriva-ml:" + rid, row.getString(6));
                assertEquals("/id/" + rid, row.getString(7));
            }
            s.execute("UPDATE \"deriva-ml\".\"Asset_Type\" SET \"Description\" = 'Masks', \"RID\" = 'X', "
                    + "\"RCB\" = 'mallory' WHERE \"Name\" = 'Segmentation_Mask'");
            c.commit();
            try (ResultSet row = s.executeQuery("SELECT \"RID\", \"RCT\", \"RMT\", \"RCB\", \"RMB\" "
                    + "FROM \"deriva-ml\".\"Asset_Type\" WHERE \"Name\" = 'Segmentation_Mask'")) {
                assertTrue(row.next());
                assertEquals(rid, row.getString(1), "RID never changes");
                assertEquals(created, row.getTimestamp(2).toInstant(), "RCT never changes");
                assertTrue(row.getTimestamp(3).toInstant().isAfter(created), "RMT moves on update");
                assertEquals("alice", row.getString(4), "RCB never changes");
                assertNull(row.getString(5), "RMB is the anonymous client of the update");
            }
        }
    }

    @Test
    @Order(4)
    void failedMigrationStopsTheServer() throws Exception {
        start();
        awaitHealthy();
        try (Connection c = database("cairn"); Statement s = c.createStatement()) {
            // An applied migration that no longer matches its file: Flyway refuses to go on.
            s.executeUpdate("UPDATE cairn.flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        }
        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));

        start();
        assertTrue(server.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), () -> "still running:\n" + tail());
        assertNotEquals(0, server.exitValue(), "a failed start exits non-zero");
        String output = Files.readString(log);
        assertTrue(output.contains("Cairn cannot start: system database"), this::tail);
        assertTrue(output.contains("checksum mismatch"), this::tail);
        assertFalse(postmasterRunning(), "the embedded PostgreSQL stopped with the failed start");
    }
}
