package dev.cairn.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server Cairn runs on and its system database. Starts the embedded server when no
 * {@code cairn.db.url} is configured, migrates the system database with Flyway before anything
 * else touches it, and opens the JPA unit for the fixed system tables. Other components get
 * connections to further databases on the same server (one per catalog) from here.
 * <p>
 * A plain CDI bean, started by the first start-up singleton that uses it: every request reaches
 * it, and a call through Payara's EJB container costs more than a cached JPA lookup.
 */
@ApplicationScoped
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final String SYSTEM_DATABASE = "cairn";

    @Inject
    Metrics metrics;

    private CairnConfig config;
    private EmbeddedDatabase embedded;
    private DatabaseWatch watch;
    private String systemUrl;
    private HikariDataSource system;
    private EntityManagerFactory jpa;
    private volatile boolean migrated;

    @PostConstruct
    void start() {
        config = CairnConfig.load();
        try {
            systemUrl = config.dbUrl().orElseGet(this::startEmbedded);
            system = openPool("cairn-system", systemUrl, 10, "");
            migrate(system, "system", "cairn");
            jpa = new PersistenceProvider()
                    .createEntityManagerFactory(
                            "cairn",
                            Map.of(
                                    PersistenceUnitProperties.ECLIPSELINK_PERSISTENCE_XML,
                                    "META-INF/cairn-persistence.xml",
                                    PersistenceUnitProperties.NON_JTA_DATASOURCE,
                                    system));
            migrated = true;
            LOG.info(() -> "System database migrated: " + systemUrl);
            watch = new DatabaseWatch(
                    systemUrl,
                    config.dbUser(),
                    config.dbPassword(),
                    embedded,
                    config.dataDir().resolve("postgres.secret"));
        } catch (RuntimeException e) {
            stop();
            throw StartupFailure.stop(config, "system database", e);
        }
    }

    private String startEmbedded() {
        try {
            embedded = EmbeddedDatabase.start(
                    config.dataDir().resolve("postgres"), config.dataDir().resolve("postgres.secret"));
            config = config.withDbPassword(embedded.password());
            PGSimpleDataSource bootstrap = new PGSimpleDataSource();
            bootstrap.setUrl(embedded.jdbcUrl("postgres"));
            try (Connection c = bootstrap.getConnection(config.dbUser(), config.dbPassword())) {
                createDatabaseIfMissing(c, SYSTEM_DATABASE);
            }
            return embedded.jdbcUrl(SYSTEM_DATABASE);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the database answered within the last half second: while it does not, requests that
     * need it are refused at once with 503 (see {@link DatabaseGate}) instead of waiting on a pool.
     */
    public boolean available() {
        return watch == null || watch.available();
    }

    /** Why the database is not available, when it is not. */
    public String unavailableReason() {
        return watch == null ? "" : watch.reason();
    }

    @PreDestroy
    void stop() {
        migrated = false;
        if (watch != null) {
            watch.close();
            embedded = watch.embedded();
        }
        if (jpa != null) {
            jpa.close();
        }
        if (system != null) {
            system.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warning("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }

    public CairnConfig config() {
        return config;
    }

    /** True once the system database is reachable and migrated. */
    public boolean migrated() {
        return migrated;
    }

    public DataSource system() {
        return system;
    }

    /** Runs work in one resource-local JPA transaction on the system database. */
    public <T> T transaction(Function<EntityManager, T> work) {
        EntityManager em = jpa.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    /** Work on a plain JDBC connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs JDBC work in one transaction on the system database: committed when it returns, rolled
     * back when it throws (an SQLException arrives as an IllegalStateException naming {@code what}).
     */
    public <T> T jdbcTransaction(String what, SqlWork<T> work) {
        try (Connection c = system.getConnection()) {
            return inTransaction(c, work);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs work in one transaction on a pooled connection: committed when it returns, rolled back
     * when it throws. The system database and every catalog database use it; the pool restores
     * auto-commit when the connection is closed.
     */
    public static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.apply(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** Reads with a JPA entity manager outside any transaction. */
    public <T> T read(Function<EntityManager, T> work) {
        EntityManager em = jpa.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    /**
     * A connection pool to another database on the same server as the system database, its
     * sessions with a statement timeout (a PostgreSQL interval such as {@code 30s}).
     */
    public HikariDataSource pool(String name, String database, int maxSize, String statementTimeout) {
        return openPool(
                name,
                urlOf(database),
                maxSize,
                "; SET statement_timeout = " + SqlIdentifiers.literal(statementTimeout));
    }

    private HikariDataSource openPool(String name, String jdbcUrl, int maxSize, String moreSettings) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        // Named, not looked up: DriverManager does not see drivers packaged in a WAR.
        hikari.setDriverClassName(Driver.class.getName());
        hikari.setJdbcUrl(jdbcUrl);
        // JSON renders times in the session's zone: UTC, whatever the server's default
        hikari.setConnectionInitSql("SET TIME ZONE 'UTC'" + moreSettings);
        hikari.setUsername(config.dbUser());
        hikari.setPassword(config.dbPassword());
        hikari.setMaximumPoolSize(maxSize);
        // many catalogs, each with a pool: idle connections go back quickly to stay within max_connections
        hikari.setMinimumIdle(0);
        hikari.setIdleTimeout(10_000);
        hikari.setInitializationFailTimeout(-1);
        // hikaricp_connections_* at /metrics, by pool
        hikari.setMetricRegistry(metrics.registry());
        // a request waits at most 10 s for a connection (not 30): longer means the database is away or overloaded
        // (503); while the watch knows it is away, not at all
        return new WatchedPool(hikari, this::available, this::unavailableReason);
    }

    /**
     * Unpooled connections to another database on the same server, for one-off work such as
     * migrations: nothing stays open afterwards.
     */
    public DataSource direct(String database) {
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setUrl(urlOf(database));
        direct.setUser(config.dbUser());
        direct.setPassword(config.dbPassword());
        return direct;
    }

    /** A connection of its own to the system database, outside the pool (a lease holds one for long). */
    public Connection unpooled() throws SQLException {
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setUrl(systemUrl);
        return direct.getConnection(config.dbUser(), config.dbPassword());
    }

    /** Creates a database on the system database's server unless it exists. */
    public void createDatabase(String database) {
        try (Connection c = system.getConnection()) {
            createDatabaseIfMissing(c, database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Drops a database, ending its sessions. */
    public void dropDatabase(String database) {
        try (Connection c = system.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(database) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies the migrations under {@code classpath:db/migration/<location>} to a database, keeping
     * Flyway's history in {@code historySchema} so it stays out of the user-visible model.
     */
    public static void migrate(DataSource dataSource, String location, String historySchema) {
        flyway(dataSource, location, historySchema).load().migrate();
    }

    /** Flyway configured for one location and its history schema, for callers that need more (baseline, repair). */
    public static FluentConfiguration flyway(DataSource dataSource, String location, String historySchema) {
        return Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + location)
                .schemas(historySchema)
                .createSchemas(true)
                .validateMigrationNaming(true);
    }

    private String urlOf(String database) {
        PGSimpleDataSource url = new PGSimpleDataSource();
        url.setUrl(systemUrl);
        url.setDatabaseName(database);
        return url.getUrl();
    }

    private static void createDatabaseIfMissing(Connection c, String database) throws SQLException {
        try (var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            if (exists.executeQuery().next()) {
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + SqlIdentifiers.quote(database) + " ENCODING 'UTF8' TEMPLATE template0");
        }
    }
}
