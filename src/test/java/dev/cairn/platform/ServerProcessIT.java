package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnProcess;
import dev.cairn.Http.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cairn as an operator runs it: the README's {@code bin/run} on a data folder of its own. Proves
 * that data survives restarts, that a stop is clean, that a killed server comes back, that the
 * database maintains ERMrest's system columns, and that a failed migration ends the process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerProcessIT {

    private static final Path DATA = Path.of(System.getProperty("it.data.dir", "target/it-data"), "process");
    private static String catalogId;

    private CairnProcess server;

    @BeforeAll
    static void freshDataFolder() throws IOException {
        CairnProcess.wipe(DATA);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private CairnProcess start() throws IOException {
        return start(Map.of());
    }

    private CairnProcess start(Map<String, String> environment) throws IOException {
        server = CairnProcess.start(DATA, "384m", environment);
        return server;
    }

    /** The server's log lines about its embedded PostgreSQL: what a failure here needs to be understood. */
    private String databaseLines() {
        try {
            return server.log()
                    .lines()
                    .filter(line -> line.contains("Embedded PostgreSQL")
                            || line.contains("postmaster")
                            || line.contains("cannot start"))
                    .map(line -> line.length() > 400 ? line.substring(0, 400) : line)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A postmaster of the test's cluster is alive (a pid file left by a postmaster that was ended does not count). */
    private boolean postmasterRunning() throws IOException {
        Path pidFile = DATA.resolve("postgres/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return false;
        }
        String pid = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        return pid.matches("\\d+")
                && ProcessHandle.of(Long.parseLong(pid))
                        .filter(ProcessHandle::isAlive)
                        .flatMap(p -> p.info().command())
                        .filter(command -> command.endsWith("postgres"))
                        .isPresent();
    }

    @Test
    @Order(1)
    void firstStartCreatesDataAndStopsCleanly() throws Exception {
        start().awaitReady();
        Reply created = server.http().postJson("/api/catalogs", "{\"name\": \"kept\", \"domainSchema\": \"kept\"}");
        assertEquals(201, created.status(), created::toString);
        catalogId = created.json().getString("id");
        // the request log: one line per request, with its route, status, client and id
        Reply missing = server.http().get("/api/catalogs/999999");
        assertEquals(404, missing.status());
        String instance = missing.json().getString("instance");
        String log = server.log();
        assertTrue(log.contains("POST /api/catalogs 201 "), log);
        assertTrue(
                Pattern.compile("GET /api/catalogs/\\{cid} 404 [0-9.]+ms client=user:admin address=\\S+ id="
                                + Pattern.quote(instance))
                        .matcher(log)
                        .find(),
                "the 404's line carries its problem's instance:\n" + server.tail());

        assertTrue(server.stop(), "stops within a minute");
        assertFalse(postmasterRunning(), "the embedded PostgreSQL stopped with it");
    }

    @Test
    @Order(2)
    void restartKeepsCatalogsAndSurvivesKill() throws Exception {
        start().awaitReady();
        assertEquals(200, server.http().get("/api/catalogs/" + catalogId).status(), "catalog survived the restart");

        server.kill(); // PostgreSQL is left orphaned
        assertTrue(postmasterRunning());

        start().awaitReady();
        Reply catalog = server.http().get("/api/catalogs/" + catalogId);
        assertEquals(200, catalog.status(), catalog::toString);
        assertEquals("kept", catalog.json().getString("name"));
        assertEquals(
                200,
                server.http().get("/ermrest/catalog/" + catalogId + "/schema").status());
    }

    @Test
    @Order(3)
    void databaseMaintainsSystemColumns() throws Exception {
        start().awaitReady();
        try (Connection c = server.database("cairn_catalog_" + catalogId);
                Statement s = c.createStatement()) {
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
                assertTrue(
                        created.isAfter(Instant.parse("2020-01-01T00:00:00Z")),
                        "RCT is the server's, not the client's");
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

    /** The ML history a converted catalog has: a baseline at version 3, then every later ML migration. */
    private static String convertedMlHistory() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("db", "migration", "ml"))) {
            return "3:BASELINE"
                    + files.map(f -> f.getFileName().toString())
                            .filter(f -> f.matches("V\\d+__.*\\.sql"))
                            .map(f -> Integer.parseInt(f.substring(1, f.indexOf("__"))))
                            .filter(v -> v > 3)
                            .sorted()
                            .map(v -> "," + v + ":SQL")
                            .collect(Collectors.joining());
        }
    }

    /**
     * A catalog from before the deriva-ml schema had a migration history of its own (its ML
     * migrations were in the core's history, as versions 2 and 3) is converted at start-up: the
     * core history drops them, the ML history begins at their version, and both stay so.
     */
    @Test
    @Order(4)
    void aCatalogFromBeforeTheMlHistoryIsConverted() throws Exception {
        start().awaitReady();
        try (Connection c = server.database("cairn_catalog_" + catalogId);
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE \"_deriva_ml\".flyway_schema_history");
            s.execute(
                    "INSERT INTO _ermrest.flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                            + "installed_by, execution_time, success) SELECT max(installed_rank) + v.n, v.version, v.description, 'SQL', "
                            + "v.script, 1, 'postgres', 1, true FROM _ermrest.flyway_schema_history, (VALUES "
                            + "(1, '2', 'create deriva ml schema', 'V2__create_deriva_ml_schema.sql'), "
                            + "(2, '3', 'seed deriva ml vocabularies', 'V3__seed_deriva_ml_vocabularies.sql')) AS v(n, version, description, script) "
                            + "GROUP BY v.n, v.version, v.description, v.script");
            s.execute("UPDATE _ermrest.flyway_schema_history SET description = 'rid templates and ml staging', "
                    + "script = 'V5__rid_templates_and_ml_staging.sql', checksum = 5 WHERE version = '5'");
        }
        assertTrue(server.stop());
        for (int start = 0; start < 2; start++) {
            start().awaitReady();
            Reply catalog = server.http().get("/api/catalogs/" + catalogId);
            assertTrue(catalog.json().getBoolean("ml"), catalog::toString);
            assertEquals(
                    200,
                    server.http()
                            .get("/api/catalogs/" + catalogId + "/vocabularies/Asset_Type/terms")
                            .status());
            try (Connection c = server.database("cairn_catalog_" + catalogId);
                    Statement s = c.createStatement();
                    ResultSet ml = s.executeQuery(
                            "SELECT string_agg(version || ':' || type, ',' ORDER BY installed_rank) FROM \"_deriva_ml\".flyway_schema_history")) {
                ml.next();
                assertEquals(convertedMlHistory(), ml.getString(1));
            }
            assertTrue(server.stop());
        }
    }

    @Test
    @Order(5)
    void failedMigrationStopsTheServer() throws Exception {
        start().awaitReady();
        try (Connection c = server.database("cairn");
                Statement s = c.createStatement()) {
            // An applied migration that no longer matches its file: Flyway refuses to go on.
            s.executeUpdate("UPDATE cairn.flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        }
        assertTrue(server.stop());

        start();
        Process process = server.process();
        assertTrue(
                process.waitFor(CairnProcess.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                () -> "still running:\n" + server.tail());
        assertNotEquals(0, process.exitValue(), "a failed start exits non-zero");
        String output = server.log();
        assertTrue(output.contains("Cairn cannot start: system database"), server::tail);
        assertTrue(output.contains("checksum mismatch"), server::tail);
        assertFalse(
                postmasterRunning(),
                () -> "the embedded PostgreSQL stopped with the failed start:\n" + databaseLines());
    }

    /**
     * With {@code CAIRN_LOG_FORMAT=json} every log record is one JSON object, and a request's carries
     * its fields and the id its problem carries; no password, cookie or token a client sent reaches the log, whatever
     * the request (a login, a bad bearer token, a token in the query string by mistake).
     */
    @Test
    @Order(6)
    void requestLogIsJsonOnRequestAndHoldsNoSecrets() throws Exception {
        Path data = DATA.resolveSibling("process-json-log");
        CairnProcess.wipe(data);
        server = CairnProcess.start(data, "384m", Map.of("CAIRN_LOG_FORMAT", "json"));
        server.awaitReady();
        String password = "pw-" + UUID.randomUUID();
        assertEquals(
                201,
                server.http()
                        .postJson("/api/users", "{\"username\": \"logged\", \"password\": \"" + password + "\"}")
                        .status());
        Reply login = server.http()
                .anonymous()
                .send(server.http()
                        .anonymous()
                        .request("/authn/session")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=logged&password=" + password)));
        assertEquals(201, login.status(), login::toString);
        String cookie = login.header("Set-Cookie").orElseThrow().split(";")[0];
        String session = cookie.substring(cookie.indexOf('=') + 1);
        assertEquals(
                200,
                server.http()
                        .anonymous()
                        .get("/authn/session", "Cookie", cookie)
                        .status());
        String bogus = "cairn_bogus" + UUID.randomUUID().toString().replace("-", "");
        assertEquals(401, server.http().as(bogus).get("/api/catalogs").status());
        String inQuery = "q" + UUID.randomUUID();
        Reply mistaken = server.http().get("/api/catalogs?token=" + inQuery);
        assertEquals(400, mistaken.status());
        String adminToken = Files.readString(data.resolve("admin-token")).trim();

        String log = server.log();
        for (String secret : new String[] {password, session, bogus, inQuery, adminToken}) {
            assertFalse(log.contains(secret), "a secret reached the log");
        }
        JsonObject line = null;
        for (String text : log.split("\n")) {
            if (text.startsWith("{")
                    && text.contains(mistaken.json().getString("instance"))
                    && text.contains("\"LoggerName\":\"dev.cairn.requests\"")) {
                line = Json.createReader(new StringReader(text)).readObject();
            }
        }
        assertTrue(line != null, "no JSON line for the refused request:\n" + server.tail());
        // Payara's JSON formatter writes every field as a string
        assertEquals("GET", line.getString("method"));
        assertEquals("/api/catalogs", line.getString("route"));
        assertEquals("400", line.getString("status"));
        assertEquals("user:admin", line.getString("client"));
        assertTrue(Double.parseDouble(line.getString("ms")) >= 0);
        assertTrue(line.getString("LogMessage").startsWith("GET /api/catalogs 400 "));
        assertTrue(server.stop());
    }
}
