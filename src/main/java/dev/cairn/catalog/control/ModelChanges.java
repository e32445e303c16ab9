package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one way a model changes: in one transaction that waits briefly for the tables' readers, also
 * records the model in its history, and drops the cached model. With the lookups every change
 * starts from (404 for what is not there).
 */
@ApplicationScoped
class ModelChanges {

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    /** One step of a change, run on the change's statement. */
    @FunctionalInterface
    interface SqlStep {
        void run(Statement s) throws SQLException;
    }

    void requireSchema(long catalogId, String schema) {
        if (!models.model(catalogId).schemas().containsKey(schema)) {
            throw new CairnException.NotFound("No schema " + schema + ".");
        }
    }

    Model.Table requireTable(long catalogId, String schema, String table) {
        Model.Schema s = models.model(catalogId).schemas().get(schema);
        if (s == null) {
            throw new CairnException.NotFound("No schema " + schema + ".");
        }
        Model.Table t = s.tables().get(table);
        if (t == null) {
            throw new CairnException.NotFound("No table " + schema + ":" + table + ".");
        }
        return t;
    }

    Model.Column requireColumn(long catalogId, String schema, String table, String column) {
        return requireTable(catalogId, schema, table).columns().stream()
                .filter(c -> c.name().equals(column))
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound(
                        "Table " + schema + ":" + table + " has no column " + column + "."));
    }

    /** A model change in one transaction, recorded in the model's history, and the cached model dropped. */
    void change(long catalogId, RequestClient client, SqlStep ddl) {
        try {
            databases.transaction(catalogId, client, (Connection c) -> {
                try (Statement s = c.createStatement()) {
                    // DDL waits for readers of its tables, and readers queue behind it: wait briefly, then 409
                    s.execute("SET LOCAL lock_timeout = '5s'");
                    ddl.run(s);
                    s.execute("INSERT INTO _ermrest.model_modified VALUES (now()) ON CONFLICT DO NOTHING");
                }
                History.record(c);
                return null;
            });
        } finally {
            models.invalidate(catalogId);
        }
    }
}
