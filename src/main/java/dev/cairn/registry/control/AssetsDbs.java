package dev.cairn.registry.control;

import dev.cairn.catalog.control.SqlProblems;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.Database;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.registry.control.FilterSql.Field;
import dev.cairn.registry.control.FilterSql.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * AIOS's registry of Assets DBs, in the system database: entries anyone may read (it is a
 * directory, meant to make DBs discoverable), that logged-in clients add, and that their creator
 * or an administrator changes or removes. A health check calls the entry's {@code /health} with
 * a short timeout, follows no redirect, never calls link-local, wildcard or multicast addresses
 * (where cloud metadata services answer), and reports status and latency, never the body.
 */
@ApplicationScoped
public class AssetsDbs {

    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    @Inject
    HealthTargets targets;

    private static final List<String> FIELDS = List.of(
            "asset_registry_id",
            "asset_registry_name",
            "asset_registry_metadata",
            "asset_registry_tags",
            "asset_registry_public_url");
    private static final String DOCUMENT =
            "jsonb_build_object('asset_registry_id', b.id::text, 'asset_registry_name', b.name, "
                    + "'asset_registry_metadata', b.metadata, 'asset_registry_tags', to_jsonb(b.tags), 'asset_registry_public_url', b.public_url, "
                    + "'catalog', b.catalog_id, 'created_by', b.created_by, 'created_at', b.created_at, 'updated_at', b.updated_at, "
                    + "'health', jsonb_build_object('status', b.last_status, 'checked_at', b.last_checked_at, 'latency_ms', b.last_latency_ms, "
                    + "'last_healthy_at', b.last_healthy_at))";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(HEALTH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Inject
    Database database;

    @Inject
    Caller caller;

    public static Map<String, Field> fields() {
        Map<String, Field> f = new LinkedHashMap<>();
        f.put("asset_registry_id", new Field("b.id::text", Kind.TEXT));
        f.put("asset_registry_name", new Field("b.name", Kind.TEXT));
        f.put("asset_registry_metadata", new Field("b.metadata", Kind.JSONB, true));
        f.put("asset_registry_tags", new Field("b.tags", Kind.TEXT_ARRAY, true));
        f.put("asset_registry_public_url", new Field("b.public_url", Kind.TEXT));
        return f;
    }

    /** Adds an entry; {@code id} is given only for a catalog registering itself (then the entry is replaced). */
    public JsonObject create(JsonObject body, UUID id, Long catalogId) {
        if (id == null) {
            // the document's rule; a catalog registering itself is checked by its owner's right instead
            caller.requireAdministrator("Registering an Assets DB");
        }
        caller.requireLogin("Registering an Assets DB");
        caller.requireWriteScope();
        Entry e = entry(body, true);
        UUID key = id != null ? id : UUID.randomUUID();
        return run(c -> {
            if (id != null) {
                Optional<JsonObject> existing = Jdbc.jsonObject(
                        c,
                        "SELECT jsonb_build_object('created_by', created_by) FROM "
                                + "cairn.assets_db_registry WHERE id = ?::uuid",
                        key.toString());
                if (existing.isPresent()) {
                    requireOwner(existing.get());
                }
            }
            Jdbc.update(
                    c,
                    "INSERT INTO cairn.assets_db_registry (id, name, metadata, tags, public_url, catalog_id, created_by) "
                            + "VALUES (?::uuid, ?, ?::jsonb, ?, ?, ?::int8, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
                            + "metadata = EXCLUDED.metadata, tags = EXCLUDED.tags, public_url = EXCLUDED.public_url, updated_at = now()",
                    key.toString(),
                    e.name(),
                    e.metadata(),
                    e.tags(),
                    e.url(),
                    catalogId,
                    caller.client().id());
            return read(c, key.toString());
        });
    }

    public JsonObject get(String id) {
        String key = id(id);
        return run(c -> read(c, key));
    }

    /** Changes the fields given; the creator or an administrator only. */
    public JsonObject update(String id, JsonObject body) {
        String key = id(id);
        caller.requireLogin("Changing an Assets DB entry");
        caller.requireWriteScope();
        Entry e = entry(body, false);
        return run(c -> {
            requireOwner(read(c, key));
            Jdbc.update(
                    c,
                    "UPDATE cairn.assets_db_registry SET name = coalesce(?, name), metadata = coalesce(?::jsonb, metadata), "
                            + "tags = coalesce(?::text[], tags), public_url = coalesce(?, public_url), updated_at = now() WHERE id = ?::uuid",
                    e.name(),
                    e.metadata(),
                    e.tags(),
                    e.url(),
                    key);
            return read(c, key);
        });
    }

    public void delete(String id) {
        String key = id(id);
        caller.requireLogin("Removing an Assets DB entry");
        caller.requireWriteScope();
        run(c -> {
            requireOwner(read(c, key));
            return Jdbc.update(c, "DELETE FROM cairn.assets_db_registry WHERE id = ?::uuid", key);
        });
    }

    /** {@code POST /asset_registries}: entries matching a MongoDB-style query, by id, after {@code after}. */
    public JsonArray query(MongoFilter.Node query, String after, int limit) {
        if (limit < 1 || limit > Registry.MAX_PAGE) {
            throw new CairnException.BadRequest("limit must be between 1 and " + Registry.MAX_PAGE + ".");
        }
        FilterSql.Sql filter = FilterSql.compile(query, fields());
        List<Object> parameters = new ArrayList<>(filter.parameters());
        try {
            parameters.add(
                    after == null
                            ? "00000000-0000-0000-0000-000000000000"
                            : UUID.fromString(after).toString());
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest("?after= takes an asset_registry_id (a UUID), not '" + after + "'.");
        }
        parameters.add(limit);
        return run(c -> Jdbc.jsonArray(
                c,
                "SELECT " + DOCUMENT + " FROM cairn.assets_db_registry b WHERE (" + filter.where()
                        + ") AND b.id > ?::uuid ORDER BY b.id LIMIT ?",
                parameters.toArray()));
    }

    /**
     * Calls the entry's {@code {public_url}/health}: healthy on a 2xx within the timeout, else
     * unhealthy; nothing more is told (not the HTTP status, nor why a call failed), so that the
     * check cannot map a network. Addresses that are not public (loopback, private, link-local,
     * unique-local, wildcard, multicast) are never called unless {@code CAIRN_HEALTH_ALLOW} lists
     * them ({@link HealthTargets}). Records the outcome.
     */
    public JsonObject checkHealth(String id) {
        caller.requireLogin("Checking an Assets DB's health");
        String key = id(id);
        JsonObject entry = get(key);
        String base = entry.getString("asset_registry_public_url");
        long started = System.nanoTime();
        boolean healthy = answersHealthy(base);
        Integer latency = healthy ? (int) ((System.nanoTime() - started) / 1_000_000) : null;
        String outcome = healthy ? "healthy" : "unhealthy";
        JsonObject recorded = run(c -> {
            Jdbc.update(
                    c,
                    "UPDATE cairn.assets_db_registry SET last_checked_at = now(), last_status = ?, last_latency_ms = ?::int, "
                            + "last_healthy_at = CASE WHEN ?::text = 'healthy' THEN now() ELSE last_healthy_at END WHERE id = ?::uuid",
                    outcome,
                    latency,
                    outcome,
                    key);
            return read(c, key);
        });
        var out = JsonBodies.JSON
                .createObjectBuilder()
                .add("asset_registry_id", key)
                .add("asset_registry_public_url", base)
                .add("status", outcome)
                .add("checked_at", recorded.getJsonObject("health").get("checked_at"))
                .add("last_healthy_at", recorded.getJsonObject("health").get("last_healthy_at"));
        if (healthy) {
            out.add("latency_ms", latency);
        }
        return out.build();
    }

    /**
     * Whether {@code {base}/health} answers a 2xx within the timeout; false for any target not
     * allowed, or any failure.
     */
    private boolean answersHealthy(String base) {
        try {
            URI target = URI.create(base.replaceAll("/+$", "") + "/health");
            return targets.allowed(target)
                    && HTTP.send(
                                                    HttpRequest.newBuilder(target)
                                                            .timeout(HEALTH_TIMEOUT)
                                                            .GET()
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    / 100
                            == 2;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException.Unavailable("Interrupted while checking " + base + ".", e);
        }
    }

    // ----

    private record Entry(String name, String metadata, String[] tags, String url) {}

    private static Entry entry(JsonObject body, boolean creating) {
        if (body == null) {
            throw new CairnException.BadRequest("Send an entry such as {\"asset_registry_name\": \"models\", "
                    + "\"asset_registry_public_url\": \"https://example.org/aios\"}.");
        }
        JsonBodies.only(body, "An Assets DB entry", FIELDS.toArray(String[]::new));
        String given = JsonBodies.optionalString(body, "asset_registry_id");
        if (given != null && !given.isEmpty()) {
            throw new CairnException.BadRequest(
                    "asset_registry_id is assigned by the server; send it empty or leave it out.");
        }
        String name = JsonBodies.optionalString(body, "asset_registry_name");
        JsonValue metadata = body.get("asset_registry_metadata");
        if (metadata != null && metadata != JsonValue.NULL && metadata.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new CairnException.BadRequest("asset_registry_metadata must be a JSON object.");
        }
        List<String> tags = JsonBodies.optionalStrings(body, "asset_registry_tags");
        String url = JsonBodies.optionalString(body, "asset_registry_public_url");
        if (url != null && !url.isEmpty() && !url.matches("(?i)https?://[^\\s]{1,4000}")) {
            throw new CairnException.BadRequest("asset_registry_public_url must be an http(s) URL.");
        }
        if (creating && (url == null || url.isEmpty())) {
            throw new CairnException.BadRequest(
                    "asset_registry_public_url is required: it is where the DB is reached.");
        }
        if (tags != null && (tags.size() > 1_000 || tags.stream().anyMatch(t -> t.isEmpty() || t.length() > 256))) {
            throw new CairnException.BadRequest(
                    "asset_registry_tags holds at most 1000 non-empty tags of at most 256 characters.");
        }
        return new Entry(
                name == null && creating ? "" : name,
                metadata == null || metadata == JsonValue.NULL ? (creating ? "{}" : null) : metadata.toString(),
                tags == null ? (creating ? new String[0] : null) : tags.toArray(String[]::new),
                url);
    }

    private void requireOwner(JsonObject entry) {
        String owner = entry.isNull("created_by") ? null : entry.getString("created_by");
        if (!caller.administrator()
                && (owner == null || !owner.equals(caller.client().id()))) {
            throw caller.refused("Only the client that registered this Assets DB, or an administrator, may change it.");
        }
    }

    private static JsonObject read(Connection c, String key) throws SQLException {
        return Jdbc.jsonObject(c, "SELECT " + DOCUMENT + " FROM cairn.assets_db_registry b WHERE b.id = ?::uuid", key)
                .orElseThrow(() -> new CairnException.NotFound("No Assets DB is registered with id " + key + "."));
    }

    private static String id(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CairnException.NotFound("No Assets DB is registered with id " + id + " (ids are UUIDs).");
        }
    }

    private <T> T run(Database.SqlWork<T> work) {
        return database.jdbcTransaction("use the Assets DB registry", c -> {
            try {
                return work.apply(c);
            } catch (SQLException e) {
                throw SqlProblems.of(e);
            }
        });
    }
}
