package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.Broadcasts;
import dev.cairn.platform.RequestClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

/**
 * Each catalog's model, read once and kept for resolving data paths, and its models of the past
 * for snapshots. Whatever changes a catalog's model through Cairn must {@link #invalidate} it.
 */
@ApplicationScoped
public class Models {

    /** A model and its index, as of now or as it was at a snapshot. */
    public record Version(Model model, ModelIndex index) {}

    private static final String TOPIC = "model";

    @Inject
    CatalogDatabases databases;

    @Inject
    Broadcasts broadcasts;

    /**
     * Read again after this long even without a notification: a node that missed one (its
     * notifier died between commit and notify) serves an old model for at most this long.
     */
    static final long REREAD = TimeUnit.SECONDS.toNanos(60);

    private record Loaded(Version version, long until) {}

    private final Map<Long, Loaded> current = new ConcurrentHashMap<>();
    /**
     * A catalog's past: when its models were recorded, and those already read. Their storage keys
     * follow today's names, so a model change drops them all.
     */
    private record Past(NavigableSet<Instant> times, Map<Instant, Version> versions) {}

    private final Map<Long, Past> past = new ConcurrentHashMap<>();

    public ModelIndex index(long catalogId) {
        return now(catalogId).index();
    }

    public Model model(long catalogId) {
        return now(catalogId).model();
    }

    private Version now(long catalogId) {
        Loaded loaded = current.get(catalogId);
        if (loaded != null && loaded.until() - System.nanoTime() < 0) {
            current.remove(catalogId, loaded);
            past.remove(catalogId);
        }
        return current.computeIfAbsent(catalogId, id -> {
                    Model model = databases.transaction(id, RequestClient.ANONYMOUS, ModelReader::read);
                    return new Loaded(new Version(model, new ModelIndex(model)), System.nanoTime() + REREAD);
                })
                .version();
    }

    /**
     * The model as it was at {@code at}: the last one recorded before it, else the first (for
     * catalogs older than the history); today's when none was recorded. Answered from memory
     * once the catalog's history times and that model have been read.
     */
    public Version at(long catalogId, Instant at) {
        Version today = now(catalogId); // read again, the past with it, every REREAD
        if (at == null) {
            return today;
        }
        Past known = past.computeIfAbsent(
                catalogId,
                id -> new Past(
                        new ConcurrentSkipListSet<>(databases.transaction(id, RequestClient.ANONYMOUS, History::times)),
                        new ConcurrentHashMap<>()));
        if (known.times().isEmpty()) {
            return today;
        }
        Instant since = known.times().floor(at) != null
                ? known.times().floor(at)
                : known.times().first();
        Version version = known.versions().get(since);
        if (version == null) {
            version = databases.transaction(
                    catalogId, RequestClient.ANONYMOUS, c -> historical(c, History.recorded(c, since)));
            if (known.versions().size() >= 64) {
                known.versions().clear();
            }
            known.versions().put(since, version);
        }
        return version;
    }

    private static Version historical(Connection c, History.Recorded recorded) throws SQLException {
        JsonObject storage = recorded.storage();
        Map<Long, Map<Integer, String>> live = liveColumns(c, storage);
        ModelIndex index = new ModelIndex(
                recorded.model(),
                (schema, table) -> tableStorage(storage, schema, table) == null
                        ? null
                        : tableStorage(storage, schema, table)
                                .getJsonNumber("oid")
                                .longValue(),
                (schema, table) -> {
                    JsonObject t = tableStorage(storage, schema, table);
                    if (t == null) {
                        return null;
                    }
                    Map<Integer, String> names =
                            live.getOrDefault(t.getJsonNumber("oid").longValue(), Map.of());
                    Map<String, String> keys = new HashMap<>();
                    for (Map.Entry<String, JsonValue> column :
                            t.getJsonObject("columns").entrySet()) {
                        int attnum = ((JsonNumber) column.getValue()).intValue();
                        keys.put(column.getKey(), names.getOrDefault(attnum, "\u0001" + attnum));
                    }
                    return keys;
                });
        return new Version(recorded.model(), index);
    }

    private static JsonObject tableStorage(JsonObject storage, String schema, String table) {
        JsonObject s = storage.getJsonObject(schema);
        return s == null ? null : s.getJsonObject(table);
    }

    /** Today's names of the columns of the recorded tables that still exist, by table oid and attnum. */
    private static Map<Long, Map<Integer, String>> liveColumns(Connection c, JsonObject storage) throws SQLException {
        List<Long> oids = storage.values().stream()
                .flatMap(s -> s.asJsonObject().values().stream())
                .map(t -> t.asJsonObject().getJsonNumber("oid").longValue())
                .toList();
        Map<Long, Map<Integer, String>> live = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT attrelid::int8, attnum, attname FROM pg_attribute "
                + "WHERE attrelid = ANY (CAST(? AS oid[])) AND attnum > 0 AND NOT attisdropped")) {
            s.setArray(1, c.createArrayOf("int8", oids.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    live.computeIfAbsent(r.getLong(1), k -> new HashMap<>()).put(r.getInt(2), r.getString(3));
                }
            }
        }
        return live;
    }

    /** Drops what this node and every other one remembers of the catalog's model, after a change. */
    public void invalidate(long catalogId) {
        broadcasts.publish(TOPIC, Long.toString(catalogId));
    }

    @PostConstruct
    void listen() {
        broadcasts.subscribe(TOPIC, catalogId -> {
            if (catalogId == null) {
                current.clear();
                past.clear();
            } else {
                current.remove(Long.parseLong(catalogId));
                past.remove(Long.parseLong(catalogId));
            }
        });
    }
}
