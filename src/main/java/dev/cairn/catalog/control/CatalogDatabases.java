package dev.cairn.catalog.control;

import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.Database;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The databases behind catalogs: creates, migrates and drops them, and keeps one small connection
 * pool per catalog, opened on first use.
 */
@ApplicationScoped
public class CatalogDatabases {

    private static final Logger LOG = Logger.getLogger(CatalogDatabases.class.getName());

    /** A unit of work on one catalog's database, inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private static final int POOL_SIZE = 8;
    /**
     * The longest a single statement of a request may run; a longer one is the client's query to
     * narrow (400). Every pooled session has it; work that needs longer sets its own, locally.
     */
    public static final String STATEMENT_TIMEOUT = "30s";

    @Inject
    Database database;

    private final Map<Long, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final Set<Long> withMl = ConcurrentHashMap.newKeySet();

    @PreDestroy
    void closeAll() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    /** Creates the catalog's database (if missing) and applies every catalog migration to it. */
    public void createAndMigrate(long catalogId) {
        database.createDatabase(Catalog.databaseName(catalogId));
        migrate(catalogId);
    }

    /** Migrates over its own connections, so that start-up opens no pool for catalogs nobody uses. */
    public void migrate(long catalogId) {
        DataSource direct = database.direct(Catalog.databaseName(catalogId));
        boolean oneLocation = query(direct, "SELECT to_regclass('_ermrest.flyway_schema_history') IS NOT NULL")
                && query(
                        direct,
                        "SELECT EXISTS (SELECT 1 FROM _ermrest.flyway_schema_history "
                                + "WHERE version = '2' AND description = 'create deriva ml schema' AND type = 'SQL' AND success) "
                                + "AND NOT EXISTS (SELECT 1 FROM _ermrest.flyway_schema_history WHERE version = '2' AND type = 'DELETE')");
        if (oneLocation) {
            // a catalog from before the ML schema had its own history: its applied ML migrations
            // leave the core history, which takes the core migrations' new shape
            Database.flyway(direct, "catalog", "_ermrest").load().repair();
        }
        Database.migrate(direct, "catalog", "_ermrest");
        if (oneLocation || hasMlSchema(direct) || hasDerivaMlSchema(direct)) {
            migrateMl(direct);
        }
        recordModel(direct);
    }

    /**
     * Installs DerivaML's {@code deriva-ml} schema (with its own migration history, in
     * {@code _deriva_ml}) in a catalog, or brings it up to date; DerivaML's {@code create_ml_schema}.
     */
    public void installMl(long catalogId) {
        DataSource direct = database.direct(Catalog.databaseName(catalogId));
        migrateMl(direct);
        recordModel(direct);
    }

    /**
     * True when the catalog has DerivaML's schema installed. Asked on every ML request, so a yes is
     * remembered: a schema once installed stays until its catalog is dropped.
     */
    public boolean hasMl(long catalogId) {
        if (withMl.contains(catalogId)) {
            return true;
        }
        boolean installed = transaction(catalogId, RequestClient.ANONYMOUS, c -> hasMlSchema(c));
        if (installed) {
            withMl.add(catalogId);
        }
        return installed;
    }

    private static void migrateMl(DataSource direct) {
        // catalogs from before this split hold the ML schema at version 3 without a history of their own
        Database.flyway(direct, "ml", "_deriva_ml")
                .baselineOnMigrate(true)
                .baselineVersion("3")
                .baselineDescription("ML schema migrated with the catalog core")
                .load()
                .migrate();
    }

    /**
     * A catalog whose core history was repaired before its ML schema got a history of its own (a start
     * that failed between).
     */
    private static boolean hasDerivaMlSchema(DataSource direct) {
        return query(
                direct,
                "SELECT to_regnamespace('\"deriva-ml\"') IS NOT NULL AND to_regnamespace('\"_deriva_ml\"') IS NOT NULL");
    }

    private static boolean hasMlSchema(DataSource direct) {
        return query(direct, "SELECT to_regclass('\"_deriva_ml\".flyway_schema_history') IS NOT NULL");
    }

    private static boolean hasMlSchema(Connection c) throws SQLException {
        try (PreparedStatement s =
                        c.prepareStatement("SELECT to_regclass('\"_deriva_ml\".flyway_schema_history') IS NOT NULL");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static boolean query(DataSource direct, String sql) {
        try (Connection c = direct.getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        } catch (SQLException e) {
            throw SqlProblems.of(e);
        }
    }

    private static void recordModel(DataSource direct) {
        try (Connection c = direct.getConnection()) {
            c.setAutoCommit(false);
            History.recordIfBehind(c);
            c.commit();
        } catch (SQLException e) {
            throw SqlProblems.of(e);
        }
    }

    public void drop(long catalogId) {
        withMl.remove(catalogId);
        HikariDataSource pool = pools.remove(catalogId);
        if (pool != null) {
            pool.close();
        }
        database.dropDatabase(Catalog.databaseName(catalogId));
    }

    public DataSource dataSource(long catalogId) {
        return pools.computeIfAbsent(
                catalogId,
                id -> database.pool("cairn-catalog-" + id, Catalog.databaseName(id), POOL_SIZE, STATEMENT_TIMEOUT));
    }

    /**
     * ERMrest keeps a row in {@code public.ERMrest_Client} for every client that writes to a catalog
     * (deriva-py's tables refer to it from RCB and RMB): added in the write's own transaction when it
     * is missing, under a savepoint, so a catalog whose table is gone or changed still takes the
     * write. Reads never add one: they must not change the catalog.
     */
    public static void registerClient(Connection c, RequestClient client) {
        if (client.id() == null) {
            return;
        }
        Savepoint savepoint = null;
        try {
            savepoint = c.setSavepoint();
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO public.\"ERMrest_Client\" (\"ID\", \"Display_Name\", "
                            + "\"Full_Name\", \"Email\", \"Client_Object\") SELECT ?, ?, ?, ?, CAST(? AS jsonb) WHERE NOT EXISTS "
                            + "(SELECT 1 FROM public.\"ERMrest_Client\" WHERE \"ID\" = ?) ON CONFLICT (\"ID\") DO NOTHING")) {
                s.setString(1, client.id());
                s.setString(2, client.displayName());
                s.setString(3, client.fullName());
                s.setString(4, client.email());
                JsonObjectBuilder object = JsonBodies.JSON.createObjectBuilder().add("id", client.id());
                if (client.displayName() != null) {
                    object.add("display_name", client.displayName());
                }
                s.setString(5, object.build().toString());
                s.setString(6, client.id());
                s.executeUpdate();
            }
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            LOG.fine(() -> "Client " + client.id() + " not registered: " + e.getMessage());
            try {
                if (savepoint != null) {
                    c.rollback(savepoint);
                }
            } catch (SQLException ignored) {
                // the write itself reports a broken connection
            }
        }
    }

    /**
     * Runs work in one transaction on the catalog's database, acting for the given client, whose
     * id the database records in RCB and RMB.
     */
    public <T> T transaction(long catalogId, RequestClient client, Work<T> work) {
        try (Connection c = dataSource(catalogId).getConnection()) {
            return Database.inTransaction(c, tx -> {
                // the statement timeout is the pooled session's (see dataSource)
                try (PreparedStatement s = tx.prepareStatement("SELECT set_config('cairn.client', ?, true)")) {
                    s.setString(1, client.id() == null ? "" : client.id());
                    s.execute();
                }
                return work.apply(tx);
            });
        } catch (SQLException e) {
            throw SqlProblems.of(e);
        }
    }
}
