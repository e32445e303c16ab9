package dev.cairn.catalog.control;

import dev.cairn.catalog.control.ModelPath.Part;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ERMrest's rules for changing the model, for the request's caller: who owns an element (columns
 * and foreign keys are owned by their table's owners), what a model document may create
 * ({@code create} on the catalog for schemas, on a schema for its tables, ownership of a table for
 * its foreign keys), and the ACLs and ACL bindings an element takes, whether set by
 * {@code .../acl}, {@code .../acl_binding} or inside an element's document; a change of the
 * catalog's ACLs may not take its ownership from the caller.
 */
@RequestScoped
public class ModelRights {

    @Inject
    CatalogRequest context;

    @Inject
    Access access;

    @Inject
    Caller caller;

    @Inject
    ModelProperties properties;

    /** The ACL chain of the element a path names (a key answers to its table's). */
    public static Acls.Chain chainOf(Model model, ModelPath path) {
        return switch (path.target()) {
            case CATALOG, MODEL -> Acls.catalog(model);
            case SCHEMA, TABLES -> Acls.schema(model, ModelLookup.schema(model, path.schema()));
            case TABLE, COLUMNS, KEYS, KEY, FOREIGN_KEYS ->
                Acls.table(model, ModelLookup.table(model, path.schema(), path.table()));
            case COLUMN ->
                Acls.column(
                        model,
                        ModelLookup.table(model, path.schema(), path.table()),
                        ModelLookup.column(model, path.schema(), path.table(), path.column()));
            case FOREIGN_KEY ->
                path.refTable() == null && ModelLookup.foreignKeys(model, path).size() > 1
                        ? Acls.table(model, ModelLookup.table(model, path.schema(), path.table()))
                        : Acls.foreignKey(
                                model,
                                ModelLookup.table(model, path.schema(), path.table()),
                                ModelLookup.foreignKey(model, path));
        };
    }
    /** Ownership of an element: columns and foreign keys are owned by their table's owners. */
    public boolean owns(long id, Acls.Chain chain) {
        Acls.Chain owned =
                chain.kind().accesses().contains("owner") ? chain : new Acls.Chain(Acls.Kind.TABLE, chain.levels());
        return access.allowed(id, owned, "owner");
    }

    public void requireOwner(long id, Model model, ModelPath path) {
        if (!owns(id, chainOf(model, path))) {
            throw caller.refused("Changing this part of the model needs the owner right on it.");
        }
    }
    /**
     * A model document may create schemas (which needs {@code create} on the catalog) and tables
     * in existing schemas (which needs {@code create} on the schema) and foreign keys (owner of
     * their table). Checked before anything is created.
     */
    public void requireCreate(long id, Model model, JsonValue doc) {
        if (doc instanceof JsonObject o && o.get("schemas") instanceof JsonObject schemas) {
            for (Map.Entry<String, JsonValue> entry : schemas.entrySet()) {
                Model.Schema existing = model.schemas().get(entry.getKey());
                if (existing == null) {
                    context.require(Acls.catalog(model), "create", "Creating schema " + entry.getKey());
                } else {
                    context.require(
                            Acls.schema(model, existing), "create", "Creating tables in schema " + entry.getKey());
                }
            }
            return;
        }
        if (doc instanceof JsonArray items) {
            for (JsonValue item : items) {
                if (!(item instanceof JsonObject o)) {
                    continue; // the editor refuses it
                }
                String schema = o.get("schema_name") instanceof JsonString s ? s.getString() : null;
                Model.Schema existing = schema == null ? null : model.schemas().get(schema);
                if (o.containsKey("table_name") && existing != null) {
                    context.require(Acls.schema(model, existing), "create", "Creating tables in schema " + schema);
                } else if (o.containsKey("foreign_key_columns")
                        && o.get("foreign_key_columns") instanceof JsonArray from
                        && !from.isEmpty()
                        && from.get(0) instanceof JsonObject first
                        && first.get("schema_name") instanceof JsonString fs
                        && first.get("table_name") instanceof JsonString ft
                        && model.schemas().containsKey(fs.getString())
                        && model.schemas().get(fs.getString()).tables().containsKey(ft.getString())) {
                    context.require(
                            Acls.table(
                                    model,
                                    model.schemas().get(fs.getString()).tables().get(ft.getString())),
                            "owner",
                            "Adding a foreign key to " + fs.getString() + ":" + ft.getString());
                } else {
                    context.require(Acls.catalog(model), "create", "Creating schemas");
                }
            }
            return;
        }
        context.require(Acls.catalog(model), "create", "Changing the model");
    }
    /** The ACLs and ACL bindings an element's document sets (null: not given, left as they are). */
    public record Policies(Map<String, JsonValue> acls, Map<String, JsonValue> bindings, ModelProperties properties) {

        public void apply(long id, ModelElement element, RequestClient client) {
            if (acls != null) {
                properties.policies(id, element, "acl", acls, client);
            }
            if (bindings != null) {
                properties.policies(id, element, "binding", bindings, client);
            }
        }
    }
    /**
     * The {@code acls} and {@code acl_bindings} of an element's document, checked as PUT .../acl and
     * .../acl_binding check them. Keys have no ACLs: there, only empty ones are accepted.
     */
    public Policies policies(ModelPath path, JsonObject document) {
        JsonValue acls = document.get("acls");
        JsonValue bindings = document.get("acl_bindings");
        boolean keyless = path.target() == ModelPath.Target.KEY;
        Map<String, JsonValue> aclValues = null;
        Map<String, JsonValue> bindingValues = null;
        if (acls != null && acls != JsonValue.NULL && !(keyless && acls instanceof JsonObject o && o.isEmpty())) {
            aclValues = ModelDocuments.acls(
                    ModelDocuments.object(acls, "This element's \"acls\""), kindOf(path), "This element's \"acls\"");
        }
        if (bindings != null
                && bindings != JsonValue.NULL
                && !(keyless && bindings instanceof JsonObject o && o.isEmpty())) {
            bindingValues = bindings(
                    kindOf(path),
                    "This element's \"acl_bindings\"",
                    ModelDocuments.object(bindings, "This element's \"acl_bindings\""));
        }
        return new Policies(aclValues, bindingValues, properties);
    }
    /** PUT of {@code .../acl[/name]} or {@code .../acl_binding[/name]}. */
    public void setPolicies(long id, Model model, ModelPath path, JsonValue value, RequestClient client) {
        ModelElement element = ModelLookup.element(model, path);
        Acls.Kind kind = kindOf(path);
        String what = path.target() == ModelPath.Target.CATALOG ? "The catalog" : "This element";
        boolean acl = path.part() == Part.ACL;
        Map<String, JsonValue> values;
        if (path.partKey() == null) {
            values = acl
                    ? ModelDocuments.acls(ModelDocuments.object(value, what + "'s ACLs"), kind, what)
                    : bindings(kind, what, ModelDocuments.object(value, what + "'s ACL bindings"));
        } else if (value == JsonValue.NULL) {
            values = null;
        } else {
            values = acl
                    ? ModelDocuments.acls(Map.of(path.partKey(), value), kind, what)
                    : bindings(kind, what, Map.of(path.partKey(), value));
        }
        if (acl && path.target() == ModelPath.Target.CATALOG) {
            Map<String, List<String>> after = new LinkedHashMap<>(path.partKey() == null ? Map.of() : model.acls());
            if (path.partKey() != null) {
                after.remove(path.partKey());
            }
            if (values != null) {
                values.forEach((access, roles) -> after.put(access, ModelDocuments.roles(roles, access)));
            }
            keepsOwner(after);
        }
        String stored = acl ? "acl" : "binding";
        if (path.partKey() == null) {
            properties.policies(id, element, stored, values, client);
        } else {
            properties.policy(
                    id, element, stored, path.partKey(), values == null ? null : values.get(path.partKey()), client);
        }
    }

    private static Map<String, JsonValue> bindings(Acls.Kind kind, String what, Map<String, JsonValue> bindings) {
        if (!kind.bindable()) {
            throw new CairnException.BadRequest(what + " takes no ACL bindings.");
        }
        return ModelDocuments.bindings(bindings, what);
    }

    private static Acls.Kind kindOf(ModelPath path) {
        return switch (path.target()) {
            case CATALOG -> Acls.Kind.CATALOG;
            case SCHEMA -> Acls.Kind.SCHEMA;
            case TABLE -> Acls.Kind.TABLE;
            case COLUMN -> Acls.Kind.COLUMN;
            case FOREIGN_KEY -> Acls.Kind.FOREIGN_KEY;
            default -> throw new CairnException.BadRequest("Keys have no ACLs; set them on the table.");
        };
    }
    /** A change of the catalog's ACLs may not leave the caller without ownership (administrators excepted). */
    public void keepsOwner(Map<String, List<String>> catalogAcls) {
        if (!caller.administrator() && !caller.matches(catalogAcls.get("owner"))) {
            throw new CairnException.Conflict(
                    ErrorCode.LAST_ADMINISTRATOR,
                    "This change would take the catalog's ownership from you; "
                            + "keep yourself (or a group of yours) in its owner ACL.");
        }
    }
}
