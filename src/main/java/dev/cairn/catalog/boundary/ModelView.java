package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.Acls;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.util.Collection;
import java.util.Map;

/**
 * Model documents as one caller may see them: elements it may not {@code enumerate} are left
 * out, each element carries ERMrest's {@code rights} summary for the caller, and ACLs and ACL
 * bindings are shown only to the element's owners (they name users and groups).
 */
final class ModelView {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private final Access access;
    private final long catalogId;
    private final Model model;

    ModelView(Access access, long catalogId, Model model) {
        this.access = access;
        this.catalogId = catalogId;
        this.model = model;
    }

    /** Any model element, or a list or map of them, as the caller sees it. */
    JsonValue of(Object element) {
        if (element instanceof Model m) {
            return model(m);
        }
        if (element instanceof Model.Schema s) {
            return schema(s);
        }
        if (element instanceof Model.Table t) {
            return table(t);
        }
        if (element instanceof Collection<?> list) {
            JsonArrayBuilder array = JsonBodies.JSON.createArrayBuilder();
            for (Object item : list) {
                JsonValue value = of(item);
                if (value != null) {
                    array.add(value);
                }
            }
            return array.build();
        }
        if (element instanceof Map<?, ?> map) {
            JsonObjectBuilder object = JsonBodies.JSON.createObjectBuilder();
            map.forEach((k, v) -> {
                JsonValue value = of(v);
                if (value != null) {
                    object.add(String.valueOf(k), value);
                }
            });
            return object.build();
        }
        return plain(element);
    }

    /** A column, key or foreign key: it needs its table to know its ACLs. */
    JsonValue of(Model.Table table, Object element) {
        if (element instanceof Model.Column c) {
            return column(table, c);
        }
        if (element instanceof Model.ForeignKey f) {
            return decorated(plain(f), Acls.foreignKey(model, table, f));
        }
        if (element instanceof Collection<?> list) {
            JsonArrayBuilder array = JsonBodies.JSON.createArrayBuilder();
            for (Object item : list) {
                JsonValue value = of(table, item);
                if (value != null) {
                    array.add(value);
                }
            }
            return array.build();
        }
        return plain(element);
    }

    private JsonObject model(Model m) {
        JsonObjectBuilder schemas = JsonBodies.JSON.createObjectBuilder();
        m.schemas().forEach((name, schema) -> {
            JsonObject view = schema(schema);
            if (view != null) {
                schemas.add(name, view);
            }
        });
        JsonObject doc = JsonBodies.JSON
                .createObjectBuilder(plain(m))
                .add("schemas", schemas)
                .build();
        return decorated(doc, Acls.catalog(model));
    }

    JsonObject schema(Model.Schema schema) {
        Acls.Chain chain = Acls.schema(model, schema);
        if (!access.allowed(catalogId, chain, "enumerate")) {
            return null;
        }
        JsonObjectBuilder tables = JsonBodies.JSON.createObjectBuilder();
        schema.tables().forEach((name, table) -> {
            JsonObject view = table(table);
            if (view != null) {
                tables.add(name, view);
            }
        });
        return decorated(
                JsonBodies.JSON
                        .createObjectBuilder(plain(schema))
                        .add("tables", tables)
                        .build(),
                chain);
    }

    JsonObject table(Model.Table table) {
        Acls.Chain chain = Acls.table(model, table);
        Map<String, Boolean> rights = access.tableRights(catalogId, model, table);
        if (!Boolean.TRUE.equals(rights.get("enumerate"))) {
            return null;
        }
        JsonObject doc = plain(table);
        JsonArrayBuilder columns = JsonBodies.JSON.createArrayBuilder();
        for (Model.Column column : table.columns()) {
            JsonObject view = column(table, column);
            if (view != null) {
                columns.add(view);
            }
        }
        JsonArrayBuilder fks = JsonBodies.JSON.createArrayBuilder();
        for (Model.ForeignKey fk : table.foreignKeys()) {
            fks.add(decorated(plain(fk), Acls.foreignKey(model, table, fk)));
        }
        return decorated(
                JsonBodies.JSON
                        .createObjectBuilder(doc)
                        .add("column_definitions", columns)
                        .add("foreign_keys", fks)
                        .build(),
                chain,
                rights);
    }

    private JsonObject column(Model.Table table, Model.Column column) {
        Acls.Chain chain = Acls.column(model, table, column);
        if (!access.allowed(catalogId, chain, "enumerate")) {
            return null;
        }
        return decorated(plain(column), chain);
    }

    private JsonObject decorated(JsonObject doc, Acls.Chain chain) {
        return decorated(doc, chain, access.rights(catalogId, chain));
    }

    /**
     * Adds {@code rights} (null where the row decides); hides ACLs and bindings from non-owners
     * (the ownership is that of the element's chain).
     */
    private JsonObject decorated(JsonObject doc, Acls.Chain chain, Map<String, Boolean> rights) {
        JsonObjectBuilder out = JsonBodies.JSON.createObjectBuilder(doc);
        boolean owner = access.allowed(catalogId, ownerChain(chain), "owner");
        if (!owner) {
            if (doc.containsKey("acls")) {
                out.add("acls", JsonValue.EMPTY_JSON_OBJECT);
            }
            if (doc.containsKey("acl_bindings")) {
                out.add("acl_bindings", JsonValue.EMPTY_JSON_OBJECT);
            }
        }
        JsonObjectBuilder summary = JsonBodies.JSON.createObjectBuilder();
        rights.forEach((mode, right) -> {
            if (right == null) {
                summary.addNull(mode);
            } else {
                summary.add(mode, right);
            }
        });
        return out.add("rights", summary).build();
    }

    /** Columns and foreign keys have no owner ACL of their own: their table's owners own them. */
    private static Acls.Chain ownerChain(Acls.Chain chain) {
        return chain.kind().accesses().contains("owner") ? chain : new Acls.Chain(Acls.Kind.TABLE, chain.levels());
    }

    private static JsonObject plain(Object element) {
        return JsonBodies.JSON
                .createReader(new StringReader(JSONB.toJson(element)))
                .readObject();
    }
}
