package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.Broadcasts;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.SqlIdentifiers;
import dev.cairn.platform.StartupFailure;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The catalog registry. At start-up ({@link CatalogStartup}) it finishes or undoes creations and
 * deletions that a crash interrupted, then brings every catalog's database to the newest
 * migration; catalogs are created fully migrated or not at all.
 * <p>
 * Every request names its catalog, so ready catalogs are kept in memory: a registry row never
 * changes once ready, except to leave that state, which this node sees at once and another node
 * within {@link #REMEMBERED} (a read of a dropped catalog's database then fails as not found).
 * A plain CDI bean, not an EJB: each call through Payara's EJB container cost more than the
 * lookup itself.
 */
@ApplicationScoped
public class Catalogs {

    /** Catalogs migrated side by side at start-up. */
    static final int MIGRATION_WORKERS = 4;

    @Resource
    ManagedThreadFactory threads;

    private static final Logger LOG = Logger.getLogger(Catalogs.class.getName());

    /** Schemas every catalog has or keeps for itself; a domain schema cannot take these names. */
    /** DerivaML's schema, in every catalog that has the ML API. */
    public static final String ML_SCHEMA = "deriva-ml";

    private static final Set<String> RESERVED_SCHEMAS = Set.of(ML_SCHEMA, "public", "information_schema");

    @Inject
    Database database;

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    /** Every node forgets a deleted catalog at once. */
    private static final String TOPIC = "catalog";

    @Inject
    Broadcasts broadcasts;

    @PostConstruct
    void listen() {
        broadcasts.subscribe(TOPIC, id -> {
            if (id == null) {
                remembered.clear();
            } else {
                remembered.remove(Long.parseLong(id));
            }
        });
    }

    /** How long a ready catalog is served from memory before its row is read again. */
    static final long REMEMBERED = TimeUnit.SECONDS.toNanos(5);

    private record Remembered(Catalog catalog, long until) {}

    private final ConcurrentHashMap<Long, Remembered> remembered = new ConcurrentHashMap<>();

    private volatile boolean migrated;

    /** Called once at start-up, before requests are served. */
    void migrateAll() {
        try {
            for (Catalog catalog : withStatus(Catalog.Status.creating)) {
                LOG.warning(() -> "Removing catalog " + catalog.id() + ", whose creation was interrupted");
                discard(catalog.id());
            }
            for (Catalog catalog : withStatus(Catalog.Status.deleting)) {
                LOG.warning(() -> "Finishing the deletion of catalog " + catalog.id());
                discard(catalog.id());
            }
            List<Catalog> ready = withStatus(Catalog.Status.ready);
            long started = System.nanoTime();
            migrate(ready);
            migrated = true;
            long ms = (System.nanoTime() - started) / 1_000_000;
            LOG.info(() -> "Catalog databases migrated: " + ready.size() + " in " + ms + " ms");
        } catch (RuntimeException e) {
            throw StartupFailure.stop(database.config(), "catalog migrations", e);
        }
    }

    /**
     * Brings every catalog's database up to date, several at once: each check is mostly waiting on
     * its database (Flyway's history reads, the model's record), so a few run side by side even on
     * two cores. The first failure stops the start.
     */
    private void migrate(List<Catalog> ready) {
        int workers = Math.min(ready.size(), MIGRATION_WORKERS);
        if (workers <= 1) {
            ready.forEach(c -> databases.migrate(c.id()));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, threads);
        try {
            List<Future<?>> running = ready.stream()
                    .<Future<?>>map(c -> pool.submit(() -> databases.migrate(c.id())))
                    .toList();
            for (Future<?> one : running) {
                one.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while migrating the catalogs", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** True once every existing catalog has been migrated at start-up. */
    public boolean migrated() {
        return migrated;
    }

    /**
     * Creates a catalog: ERMrest's core ({@code public} and the system columns' machinery), with
     * DerivaML's {@code deriva-ml} schema when {@code ml}, and an empty domain schema when named.
     * The creator is the catalog's owner (its {@code owner} ACL); nothing else is granted.
     */
    public Catalog create(String name, String description, String domainSchema, boolean ml, RequestClient client) {
        return create(name, description, domainSchema, ml, client, null);
    }

    /**
     * As {@link #create(String, String, String, boolean, RequestClient)}, with the owner ACL given
     * (null: the creator).
     */
    public Catalog create(
            String name,
            String description,
            String domainSchema,
            boolean ml,
            RequestClient client,
            List<String> owners) {
        validateName(name);
        if (domainSchema != null) {
            validateDomainSchema(domainSchema);
        }
        Catalog catalog = database.transaction(em -> {
            Catalog row = new Catalog(name, description, domainSchema, client.id());
            em.persist(row);
            return row;
        });
        long id = catalog.id();
        try {
            databases.createAndMigrate(id);
            if (ml) {
                databases.installMl(id);
            }
            databases.transaction(id, client, c -> {
                try (Statement s = c.createStatement()) {
                    List<String> owner =
                            owners != null ? owners : client.id() != null ? List.of(client.id()) : List.of();
                    if (!owner.isEmpty()) {
                        // the creator owns the catalog; nobody else sees it until granted
                        JsonArrayBuilder roles = JsonBodies.JSON.createArrayBuilder();
                        owner.forEach(roles::add);
                        s.execute("INSERT INTO _ermrest.acl (kind, name, value) VALUES ('acl', 'owner', "
                                + SqlIdentifiers.literal(roles.build().toString()) + "::jsonb)");
                    }
                    if (domainSchema != null) {
                        String schema = SqlIdentifiers.quote(domainSchema);
                        s.execute("CREATE SCHEMA " + schema);
                        s.execute("COMMENT ON SCHEMA " + schema + " IS " + "'Domain schema of catalog " + id + "'");
                    }
                }
                return null;
            });
            return database.transaction(em -> {
                Catalog row = em.find(Catalog.class, id);
                row.status(Catalog.Status.ready);
                return row;
            });
        } catch (RuntimeException e) {
            LOG.warning(() -> "Creating catalog " + id + " failed, removing it: " + e.getMessage());
            discard(id);
            throw e;
        }
    }

    public List<Catalog> list() {
        return withStatus(Catalog.Status.ready);
    }

    public Optional<Catalog> find(long id) {
        Remembered known = remembered.get(id);
        if (known != null && known.until() - System.nanoTime() > 0) {
            return Optional.of(known.catalog());
        }
        Optional<Catalog> found = database.read(em -> Optional.ofNullable(em.find(Catalog.class, id)))
                .filter(c -> c.status() == Catalog.Status.ready);
        found.ifPresentOrElse(
                c -> remembered.put(id, new Remembered(c, System.nanoTime() + REMEMBERED)),
                () -> remembered.remove(id));
        return found;
    }

    /** A catalog as of now (no snaptime) or as it was at a snapshot. */
    public record At(Catalog catalog, String snaptime) {

        /** The snapshot's time, or null for now. */
        public Instant instant() {
            if (snaptime == null) {
                return null;
            }
            return Rid.instant(snaptime);
        }
    }

    /** A path segment {@code cid} or {@code cid@snaptime}, for reads. */
    public At at(String segment) {
        int at = segment == null ? -1 : segment.indexOf('@');
        if (at < 0) {
            return new At(get(segment), null);
        }
        String snaptime = segment.substring(at + 1);
        Instant instant;
        try {
            instant = Rid.instant(snaptime);
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest(
                    "'" + snaptime + "' is not a snaptime (ERMrest's encoded time, such as 2TA-YJZG-0A5W).");
        }
        Catalog catalog = get(segment.substring(0, at));
        if (instant.isAfter(Instant.now())) {
            throw new CairnException.BadRequest("Snaptime " + snaptime + " (" + instant + ") is in the future.");
        }
        if (catalog.createdAt() != null
                && instant.isBefore(catalog.createdAt().toInstant().minusSeconds(1))) {
            throw new CairnException.NotFound(
                    "Catalog " + catalog.id() + " did not exist at " + snaptime + " (" + instant + ").");
        }
        HistoryRanges.requireRetained(databases, catalog.id(), instant, snaptime);
        // the canonical spelling, whatever case or hyphens the client used
        return new At(catalog, Rid.snaptime(instant));
    }

    /** A catalog that has DerivaML's schema, for the ML API; 409 when it has none yet. */
    public Catalog ml(String catalogId) {
        Catalog catalog = get(catalogId);
        if (!databases.hasMl(catalog.id())) {
            throw new CairnException.Conflict(
                    ErrorCode.NOT_INSTALLED,
                    "Catalog " + catalog.id() + " has no deriva-ml schema; install it with POST /api/catalogs/"
                            + catalog.id() + "/ml-schema.");
        }
        return catalog;
    }

    /** The catalog named by a path segment, or 404. */
    public Catalog get(String catalogId) {
        if (catalogId != null && catalogId.contains("@")) {
            throw new CairnException.Conflict(
                    ErrorCode.IMMUTABLE, "A catalog snapshot (" + catalogId + ") is read-only.");
        }
        if (catalogId == null || catalogId.isEmpty()) {
            throw new CairnException.NotFound("Catalog '' does not exist.");
        }
        if (!catalogId.matches("[1-9][0-9]{0,17}")) {
            return byName(catalogId);
        }
        return find(Long.parseLong(catalogId))
                .orElseThrow(() -> new CairnException.NotFound("Catalog " + catalogId + " does not exist."));
    }

    /**
     * The catalog with this name (Pangolin addresses catalogs by name): 404 when none is named so,
     * 409 when several are (names are not unique: address one by its id then).
     */
    private Catalog byName(String name) {
        if (name.length() > 200) {
            throw new CairnException.NotFound("No catalog is named so.");
        }
        List<Catalog> named = database.read(em -> em.createNamedQuery(Catalog.NAMED, Catalog.class)
                .setParameter("name", name)
                .setParameter("status", Catalog.Status.ready.name())
                .setMaxResults(11)
                .getResultList());
        if (named.isEmpty()) {
            throw new CairnException.NotFound("Catalog '" + name + "' does not exist: no catalog has that id or name.");
        }
        if (named.size() > 1) {
            // no ids: the caller may not be allowed to see those catalogs
            throw new CairnException.Conflict(
                    ErrorCode.AMBIGUOUS_NAME, "Several catalogs are named '" + name + "'; address one by its id.");
        }
        return named.get(0);
    }

    public void delete(long id) {
        boolean marked = database.transaction(em -> {
            Catalog row = em.find(Catalog.class, id);
            if (row == null || row.status() != Catalog.Status.ready) {
                return false;
            }
            row.status(Catalog.Status.deleting);
            return true;
        });
        broadcasts.publish(TOPIC, Long.toString(id));
        if (!marked) {
            throw new CairnException.NotFound("Catalog " + id + " does not exist.");
        }
        discard(id);
    }

    private void discard(long id) {
        broadcasts.publish(TOPIC, Long.toString(id));
        models.invalidate(id);
        databases.drop(id);
        database.transaction(em -> {
            Catalog row = em.find(Catalog.class, id);
            if (row != null) {
                em.remove(row);
            }
            return null;
        });
    }

    private List<Catalog> withStatus(Catalog.Status status) {
        return database.read(em -> em.createNamedQuery(Catalog.WITH_STATUS, Catalog.class)
                .setParameter("status", status.name())
                .getResultList());
    }

    /** Names that are paths of their own where a catalog's name could stand ({@code /aios/health}...). */
    private static final List<String> RESERVED_NAMES =
            List.of(".", "..", "asset_registry", "asset_registries", "check_health", "health");

    private static void validateName(String name) {
        if (name == null || name.isBlank()) {
            throw new CairnException.BadRequest("A catalog needs a non-empty \"name\".");
        }
        if (name.length() > 200 || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new CairnException.BadRequest("A catalog name has at most 200 characters and no control characters.");
        }
        if (name.matches("[0-9]+") || RESERVED_NAMES.contains(name)) {
            throw new CairnException.BadRequest(
                    "A catalog is addressed by its id or its name, so a name cannot look like an id (digits "
                            + "only) nor be one of " + RESERVED_NAMES + " (paths of their own); not '" + name + "'.");
        }
    }

    static void validateDomainSchema(String schema) {
        if (schema.isEmpty() || schema.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new CairnException.BadRequest("\"domainSchema\" must be 1 to 63 bytes long.");
        }
        if (schema.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new CairnException.BadRequest("\"domainSchema\" must not contain control characters.");
        }
        if (schema.startsWith("_") || schema.startsWith("pg_") || RESERVED_SCHEMAS.contains(schema)) {
            throw new CairnException.BadRequest("\"domainSchema\" '" + schema
                    + "' is reserved: it must not start with '_' or 'pg_' or be one of " + RESERVED_SCHEMAS + ".");
        }
    }
}
