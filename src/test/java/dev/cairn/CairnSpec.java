package dev.cairn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;

/**
 * Base of the specs that {@link CairnIT} runs against its shared deployment, which it locates
 * before any spec runs.
 */
public abstract class CairnSpec {

    private static volatile Http server;

    static void useServer(Http http) {
        server = http;
    }

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
