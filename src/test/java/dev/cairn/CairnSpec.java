package dev.cairn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Base of the specs that {@link CairnIT} runs against its shared deployment, which it locates
 * before any spec runs.
 */
public abstract class CairnSpec {

    private static volatile Http server;
    private static volatile Path dataDir;

    static void useServer(Http http, Path data) {
        server = http;
        dataDir = data;
    }

    /** The deployment's data folder (its embedded PostgreSQL's secret is there). */
    protected static Path dataDir() {
        return dataDir;
    }

    /**
     * A database of the deployment's embedded PostgreSQL ({@code cairn}, or {@code
     * cairn_catalog_<id>}), as its superuser.
     */
    protected static Connection database(String name) throws Exception {
        String port = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"))
                .get(3)
                .trim();
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + port + "/" + name,
                "postgres",
                Files.readString(dataDir.resolve("postgres.secret")).trim());
    }

    /** The server, as its administrator (the first-start token). */
    protected Http http() {
        if (server == null) {
            throw new IllegalStateException("no server: run the specs through CairnIT");
        }
        return server;
    }

    /** Creates a catalog through {@code POST /api/catalogs} and returns it. */
    protected JsonObject createCatalog(String body) {
        Http.Reply created = http().postJson("/api/catalogs", body);
        assertEquals(201, created.status(), created::toString);
        return created.json();
    }
}
