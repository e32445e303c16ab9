package dev.cairn.catalog.control;

import static dev.cairn.catalog.control.ModelDocuments.optionalString;
import static dev.cairn.catalog.control.ModelSql.*;
import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Comments, annotations and ACLs (static and bindings) of the model's elements: each set, replaced
 * or removed in one model change, kept in {@code _ermrest.annotation} and {@code _ermrest.acl}.
 * The static helpers here also write them for new and renamed elements.
 */
@ApplicationScoped
public class ModelProperties {

    @Inject
    ModelChanges modelChanges;

    /** The comment and annotations a partial document gives an element (what it leaves out stays). */
    static void describe(Statement s, ModelElement element, JsonObject changes, String what) throws SQLException {
        if (changes.containsKey("comment")) {
            setComment(s, element, optionalString(changes, "comment", what));
        }
        if (changes.containsKey("annotations")) {
            replaceAnnotations(s.getConnection(), element, ModelDocuments.annotations(changes, what));
        }
    }

    /** Sets or clears (null) the comment of a schema, table, column, key or foreign key. */
    public void comment(long catalogId, ModelElement element, String comment, RequestClient client) {
        modelChanges.change(catalogId, client, s -> setComment(s, element, comment));
    }

    static void setComment(Statement s, ModelElement e, String comment) throws SQLException {
        String value = comment == null ? "NULL" : literal(comment);
        if (e.table().isEmpty()) {
            if (e.schema().isEmpty()) {
                throw new CairnException.BadRequest("The catalog's description is set through /api/catalogs.");
            }
            s.execute("COMMENT ON SCHEMA " + quote(e.schema()) + " IS " + value);
        } else if (!e.column().isEmpty()) {
            s.execute(
                    "COMMENT ON COLUMN " + qualified(e.schema(), e.table()) + "." + quote(e.column()) + " IS " + value);
        } else if (!e.constraint().isEmpty()) {
            s.execute("COMMENT ON CONSTRAINT " + quote(e.constraint()) + " ON " + qualified(e.schema(), e.table())
                    + " IS " + value);
        } else {
            s.execute("COMMENT ON TABLE " + qualified(e.schema(), e.table()) + " IS " + value);
        }
    }

    /** Sets (value) or removes (null) one annotation; false when there was none to remove. */
    public boolean annotation(long catalogId, ModelElement element, String key, JsonValue value, RequestClient client) {
        ModelDocuments.checkAnnotationKey(key);
        boolean[] changed = {true};
        modelChanges.change(catalogId, client, s -> {
            if (value == null) {
                changed[0] = removeAnnotation(s.getConnection(), element, key);
            } else {
                annotate(s.getConnection(), element, key, value);
            }
        });
        return changed[0];
    }

    /**
     * Sets ({@code value} non-null) or removes one ACL ({@code kind} "acl", value a list of roles)
     * or ACL binding ({@code kind} "binding") of an element; false when there was none to remove.
     */
    public boolean policy(
            long catalogId, ModelElement element, String kind, String name, JsonValue value, RequestClient client) {
        boolean[] changed = {true};
        modelChanges.change(catalogId, client, s -> {
            if (value == null) {
                changed[0] = removePolicy(s.getConnection(), element, kind, name);
            } else {
                setPolicy(s.getConnection(), element, kind, name, value);
            }
        });
        return changed[0];
    }

    /** Sets (value non-null) or removes (null) several ACLs of an element in one change. */
    public void policyChanges(
            long catalogId, ModelElement element, Map<String, JsonValue> changes, RequestClient client) {
        modelChanges.change(catalogId, client, s -> {
            for (Map.Entry<String, JsonValue> c : changes.entrySet()) {
                if (c.getValue() == null) {
                    removePolicy(s.getConnection(), element, "acl", c.getKey());
                } else {
                    setPolicy(s.getConnection(), element, "acl", c.getKey(), c.getValue());
                }
            }
        });
    }

    /** Replaces all ACLs ({@code kind} "acl") or ACL bindings ("binding") of an element. */
    public void policies(
            long catalogId, ModelElement element, String kind, Map<String, JsonValue> values, RequestClient client) {
        modelChanges.change(catalogId, client, s -> {
            removePolicy(s.getConnection(), element, kind, null);
            for (Map.Entry<String, JsonValue> v : values.entrySet()) {
                setPolicy(s.getConnection(), element, kind, v.getKey(), v.getValue());
            }
        });
    }

    static void setPolicy(Connection c, ModelElement e, String kind, String name, JsonValue value) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO _ermrest.acl (schema_name, table_name, column_name, constraint_name, kind, name, value) "
                        + "VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (schema_name, table_name, column_name, "
                        + "constraint_name, kind, name) DO UPDATE SET value = EXCLUDED.value")) {
            bindElement(upsert, e);
            upsert.setString(5, kind);
            upsert.setString(6, name);
            upsert.setString(7, value.toString());
            upsert.execute();
        }
    }

    /** Removes one policy by name, or all of the kind ({@code name} null). */
    static boolean removePolicy(Connection c, ModelElement e, String kind, String name) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM _ermrest.acl WHERE schema_name = ? "
                + "AND table_name = ? AND column_name = ? AND constraint_name = ? AND kind = ?"
                + (name == null ? "" : " AND name = ?"))) {
            bindElement(delete, e);
            delete.setString(5, kind);
            if (name != null) {
                delete.setString(6, name);
            }
            return delete.executeUpdate() > 0;
        }
    }

    /** Replaces all annotations of an element ({@code PUT .../annotation}); an empty map removes them all. */
    public void annotations(
            long catalogId, ModelElement element, Map<String, JsonValue> annotations, RequestClient client) {
        annotations.keySet().forEach(ModelDocuments::checkAnnotationKey);
        modelChanges.change(catalogId, client, s -> replaceAnnotations(s.getConnection(), element, annotations));
    }

    static void replaceAnnotations(Connection c, ModelElement e, Map<String, JsonValue> annotations)
            throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM _ermrest.annotation WHERE schema_name = ? "
                + "AND table_name = ? AND column_name = ? AND constraint_name = ?")) {
            bindElement(delete, e);
            delete.execute();
        }
        for (Map.Entry<String, JsonValue> a : annotations.entrySet()) {
            annotate(c, e, a.getKey(), a.getValue());
        }
    }

    static boolean removeAnnotation(Connection c, ModelElement e, String key) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM _ermrest.annotation WHERE schema_name = ? "
                + "AND table_name = ? AND column_name = ? AND constraint_name = ? AND uri = ?")) {
            bindElement(delete, e);
            delete.setString(5, key);
            return delete.executeUpdate() > 0;
        }
    }

    static void annotate(Connection c, ModelElement e, String uri, JsonValue value) throws SQLException {
        if (uri.startsWith(ModelDocuments.ACL_KEY)) {
            setPolicy(c, e, "acl", uri.substring(ModelDocuments.ACL_KEY.length()), value);
            return;
        }
        if (uri.startsWith(ModelDocuments.BINDING_KEY)) {
            setPolicy(c, e, "binding", uri.substring(ModelDocuments.BINDING_KEY.length()), value);
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO _ermrest.annotation (schema_name, table_name, column_name, constraint_name, uri, value) "
                        + "VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (schema_name, table_name, column_name, "
                        + "constraint_name, uri) DO UPDATE SET value = EXCLUDED.value")) {
            bindElement(upsert, e);
            upsert.setString(5, uri);
            upsert.setString(6, value.toString());
            upsert.execute();
        }
    }

    static void bindElement(PreparedStatement s, ModelElement e) throws SQLException {
        s.setString(1, e.schema());
        s.setString(2, e.table());
        s.setString(3, e.column());
        s.setString(4, e.constraint());
    }

    /** The tables that hold properties of model elements by their names: annotations and ACLs. */
    static final List<String> ELEMENT_PROPERTIES = List.of("_ermrest.annotation", "_ermrest.acl");

    /** Annotation and ACL rows follow a rename: {@code column} takes {@code value} where {@code condition} holds. */
    static void renameInProperties(Connection c, String condition, List<String> parameters, String column, String value)
            throws SQLException {
        for (String table : ELEMENT_PROPERTIES) {
            try (PreparedStatement update =
                    c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE " + condition)) {
                update.setString(1, value);
                for (int i = 0; i < parameters.size(); i++) {
                    update.setString(i + 2, parameters.get(i));
                }
                update.execute();
            }
        }
    }

    static void forget(Connection c, String condition, List<String> parameters) throws SQLException {
        for (String table : ELEMENT_PROPERTIES) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE " + condition)) {
                for (int i = 0; i < parameters.size(); i++) {
                    delete.setString(i + 1, parameters.get(i));
                }
                delete.execute();
            }
        }
    }
}
