package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.Acls;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.ModelAlterations;
import dev.cairn.catalog.control.ModelDocuments;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelElement;
import dev.cairn.catalog.control.ModelPath;
import dev.cairn.catalog.control.ModelPath.Part;
import dev.cairn.catalog.control.ModelProperties;
import dev.cairn.catalog.control.ModelReader;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.EntityTags;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ERMrest's model resources: the model ({@code /schema}), schemas, tables, columns, keys and
 * foreign keys, and their annotations, comments and ACLs. GET reads them (at a snapshot, the model
 * as it was then); POST creates, PUT alters by a partial document, DELETE drops. The raw path is
 * parsed by {@link ModelPath}, so names may hold any encoded character.
 *
 * <p>Access (ERMrest's): reading needs {@code enumerate} on the catalog, and elements the caller may
 * not enumerate are left out (or 404); ACLs show only to owners. Creating schemas needs
 * {@code create} on the catalog, tables {@code create} on the schema; adding columns, keys and
 * foreign keys, altering or dropping an element, and setting its annotations, comment or ACLs
 * need {@code owner} on it (owners of a catalog or schema own what is inside).
 */
@dev.cairn.platform.Routes.Shown("/ermrest/catalog/{cid}/{model}")
@Path("/ermrest/catalog/{cid}/{kind: schema|annotation|acl|acl_binding|comment}{rest: (/.*)?}")
public class ErmrestModelResource {

    @Inject
    CatalogRequest context;

    /** Model documents are small; a bulk creation of hundreds of tables stays far below this. */
    private static final int MAX_BODY = 16 << 20;

    @Inject
    Models models;

    @Inject
    CatalogDatabases databases;

    @Inject
    ModelEditor editor;

    @Inject
    ModelAlterations alterations;

    @Inject
    ModelProperties properties;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @Inject
    Caller caller;

    @Inject
    Access access;

    @GET
    public Response get() {
        Catalogs.At at = context.at();
        ModelPath path = path();
        long id = at.catalog().id();
        context.require("enumerate");
        if (path.target() == ModelPath.Target.MODEL && at.snaptime() == null) {
            return currentModel(id);
        }
        Model model = models.at(id, at.instant()).model();
        Object representation;
        if (path.part() == Part.NONE) {
            representation = visible(id, model, path);
        } else {
            Acls.Chain chain = chainOf(model, path);
            if (!access.allowed(id, chain, "enumerate")) {
                throw hidden(path);
            }
            if ((path.part() == Part.ACL || path.part() == Part.ACL_BINDING) && !owns(id, chain)) {
                throw caller.refused("Reading ACLs needs the owner right.");
            }
            representation = part(model, path);
        }
        Response.ResponseBuilder response = representation instanceof String text
                ? Response.ok(text, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                : Response.ok(representation, MediaType.APPLICATION_JSON);
        return response.build();
    }

    /** The whole model; its entity tag changes with every model change ({@code If-None-Match} gives 304). */
    private Response currentModel(long id) {
        String ifNoneMatch = headers.getHeaderString("If-None-Match");
        return databases.transaction(id, caller.client(), c -> {
            String tag = ModelReader.version(c);
            if (ifNoneMatch != null && EntityTags.matches(ifNoneMatch, '"' + tag + '"')) {
                return Response.notModified(tag).build();
            }
            Model model = ModelReader.read(c);
            return Response.ok(new ModelView(access, id, model).of(model), MediaType.APPLICATION_JSON)
                    .tag(tag)
                    .header("Vary", "Authorization, Cookie")
                    .build();
        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(InputStream body) {
        Catalog catalog = context.catalog();
        long id = catalog.id();
        ModelPath path = path();
        RequestClient client = caller.client();
        if (path.part() != Part.NONE) {
            throw new NotAllowedException(
                    "Annotations, comments and ACLs are set with PUT.", "GET", new String[] {"PUT", "DELETE"});
        }
        caller.requireWriteScope();
        Model current = models.model(id);
        switch (path.target()) {
            case MODEL, SCHEMA -> {
                // checked per document below for MODEL
            }
            case TABLES ->
                context.require(
                        Acls.schema(current, schema(current, path.schema())),
                        "create",
                        "Creating a table in schema " + path.schema());
            default -> requireOwner(id, current, path);
        }
        return switch (path.target()) {
            case MODEL -> {
                JsonValue doc = json(body, true);
                requireCreate(id, current, doc);
                List<ModelEditor.Created> created = editor.createModel(id, doc, client);
                Model model = models.model(id);
                if (doc instanceof JsonObject) {
                    Map<String, Object> schemas = new LinkedHashMap<>();
                    created.stream()
                            .filter(c -> c.table() == null)
                            .forEach(
                                    c -> schemas.put(c.schema(), model.schemas().get(c.schema())));
                    yield created(Map.of("schemas", schemas));
                }
                List<Object> representations = new ArrayList<>();
                for (ModelEditor.Created c : created) {
                    representations.add(
                            c.table() == null
                                    ? model.schemas().get(c.schema())
                                    : c.constraint() == null
                                            ? table(model, c.schema(), c.table())
                                            : foreignKeyNamed(model, c.schema(), c.table(), c.constraint()));
                }
                yield created(representations);
            }
            case SCHEMA -> {
                context.require(Acls.catalog(current), "create", "Creating a schema");
                JsonValue doc = json(body, false);
                editor.createSchema(id, path.schema(), doc == null ? null : object(doc), client);
                yield created(models.model(id).schemas().get(path.schema()));
            }
            case TABLES -> {
                String table = editor.createTable(id, path.schema(), object(json(body, true)), client);
                yield created(table(models.model(id), path.schema(), table));
            }
            case COLUMNS -> {
                String column = editor.addColumn(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(column(models.model(id), path.schema(), path.table(), column));
            }
            case KEYS -> {
                String key = editor.addKey(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(table(models.model(id), path.schema(), path.table()).keys().stream()
                        .filter(k -> k.names().get(0).get(1).equals(key))
                        .findFirst()
                        .orElseThrow());
            }
            case FOREIGN_KEYS -> {
                String fk = editor.addForeignKey(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(List.of(foreignKeyNamed(models.model(id), path.schema(), path.table(), fk)));
            }
            default ->
                throw new NotAllowedException(
                        "POST creates within a collection: /schema, /schema/S, .../table, "
                                + ".../column, .../key or .../foreignkey.",
                        "GET",
                        new String[] {"PUT", "DELETE"});
        };
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response put(InputStream body) {
        long id = context.catalog().id();
        ModelPath path = path();
        RequestClient client = caller.client();
        Model model = models.model(id);
        caller.requireWriteScope();
        requireOwner(id, model, path);
        switch (path.part()) {
            case ANNOTATION -> {
                ModelElement element = element(model, path);
                JsonValue value = json(body, true);
                if (path.partKey() != null) {
                    properties.annotation(id, element, path.partKey(), value, client);
                } else {
                    properties.annotations(id, element, object(value), client);
                }
                return Response.noContent().build();
            }
            case COMMENT -> {
                properties.comment(id, element(model, path), comment(body), client);
                return Response.noContent().build();
            }
            case ACL, ACL_BINDING -> {
                setPolicies(id, model, path, json(body, true), client);
                return Response.noContent().build();
            }
            default -> {
                // the element itself, altered below
            }
        }
        JsonObject whole = object(json(body, true));
        // ERMrest takes an element's "acls" and "acl_bindings" in its document (deriva-py's acl_config PUTs whole table
        // documents): they replace the element's ACLs and bindings as PUT .../acl and .../acl_binding do. Checked
        // first,
        // so a refused document changes nothing; applied to the element under its name after the change.
        Policies policies = policies(path, whole);
        JsonObject changes = dev.cairn.platform.JsonBodies.JSON
                .createObjectBuilder(whole)
                .remove("acls")
                .remove("acl_bindings")
                .build();
        return switch (path.target()) {
            case SCHEMA -> {
                String renamed = alterations.alterSchema(id, path.schema(), changes, client);
                policies.apply(id, new ModelElement(renamed, "", "", ""), client);
                yield Response.ok(models.model(id).schemas().get(renamed), MediaType.APPLICATION_JSON)
                        .build();
            }
            case TABLE -> {
                ModelElement moved = alterations.alterTable(id, path.schema(), path.table(), changes, client);
                policies.apply(id, new ModelElement(moved.schema(), moved.table(), "", ""), client);
                yield Response.ok(table(models.model(id), moved.schema(), moved.table()), MediaType.APPLICATION_JSON)
                        .build();
            }
            case COLUMN -> {
                String name = alterations.alterColumn(id, path.schema(), path.table(), path.column(), changes, client);
                policies.apply(id, new ModelElement(path.schema(), path.table(), name, ""), client);
                yield Response.ok(
                                column(models.model(id), path.schema(), path.table(), name), MediaType.APPLICATION_JSON)
                        .build();
            }
            case KEY, FOREIGN_KEY -> {
                boolean foreign = path.target() == ModelPath.Target.FOREIGN_KEY;
                ModelElement constraint = element(model, path);
                String name = alterations.alterConstraint(id, constraint, foreign, changes, client);
                policies.apply(
                        id,
                        new ModelElement(constraint.schema(), constraint.table(), constraint.column(), name),
                        client);
                Model now = models.model(id);
                yield Response.ok(
                                foreign
                                        ? foreignKeyNamed(now, constraint.schema(), constraint.table(), name)
                                        : table(now, constraint.schema(), constraint.table()).keys().stream()
                                                .filter(k ->
                                                        k.names().get(0).get(1).equals(name))
                                                .findFirst()
                                                .orElseThrow(),
                                MediaType.APPLICATION_JSON)
                        .build();
            }
            default ->
                throw new NotAllowedException(
                        "PUT alters a schema, table, column, key or foreign key, or sets an "
                                + "annotation, comment or ACL.",
                        "GET",
                        new String[] {"POST", "DELETE"});
        };
    }

    @DELETE
    public Response delete() {
        long id = context.catalog().id();
        ModelPath path = path();
        RequestClient client = caller.client();
        Model model = models.model(id);
        ModelElement element = element(model, path);
        caller.requireWriteScope();
        requireOwner(id, model, path);
        switch (path.part()) {
            case ANNOTATION -> {
                if (path.partKey() != null) {
                    properties.annotation(id, element, path.partKey(), null, client);
                } else {
                    properties.annotations(id, element, Map.of(), client);
                }
            }
            case COMMENT -> properties.comment(id, element, null, client);
            case ACL, ACL_BINDING -> {
                String kind = path.part() == Part.ACL ? "acl" : "binding";
                if (kind.equals("acl") && path.target() == ModelPath.Target.CATALOG) {
                    Map<String, List<String>> after =
                            new LinkedHashMap<>(path.partKey() == null ? Map.of() : model.acls());
                    after.remove(path.partKey());
                    keepsOwner(after);
                }
                if (path.partKey() == null) {
                    properties.policies(id, element, kind, Map.of(), client);
                } else {
                    part(model, path); // 404 before anything changes when it is not set
                    properties.policy(id, element, kind, path.partKey(), null, client);
                }
            }
            case NONE -> {
                switch (path.target()) {
                    case SCHEMA -> editor.dropSchema(id, path.schema(), client);
                    case TABLE -> editor.dropTable(id, path.schema(), path.table(), client);
                    case COLUMN -> editor.dropColumn(id, path.schema(), path.table(), path.column(), client);
                    case KEY ->
                        editor.dropConstraint(id, element, path.columns().equals(List.of("RID")), client);
                    case FOREIGN_KEY -> editor.dropConstraint(id, element, false, client);
                    default ->
                        throw new NotAllowedException(
                                "DELETE drops a schema, table, column, key or foreign key.",
                                "GET",
                                new String[] {"POST", "PUT"});
                }
            }
        }
        return Response.noContent().build();
    }

    // ---- representations

    private Object representation(Model model, ModelPath path) {
        return switch (path.target()) {
            case CATALOG, MODEL -> model;
            case SCHEMA -> schema(model, path.schema());
            case TABLES -> schema(model, path.schema()).tables();
            case TABLE -> table(model, path.schema(), path.table());
            case COLUMNS -> table(model, path.schema(), path.table()).columns();
            case COLUMN -> column(model, path.schema(), path.table(), path.column());
            case KEYS -> table(model, path.schema(), path.table()).keys();
            case KEY -> key(model, path);
            case FOREIGN_KEYS -> table(model, path.schema(), path.table()).foreignKeys();
            case FOREIGN_KEY -> path.refTable() == null ? foreignKeys(model, path) : foreignKey(model, path);
        };
    }

    /** An annotation (or all of them), the comment (text), or the ACLs (none are set yet) of an element. */
    private Object part(Model model, ModelPath path) {
        Map<String, JsonValue> annotations;
        String comment;
        Map<String, ?> acls = Map.of();
        Map<String, ?> bindings = Map.of();
        Object element = path.target() == ModelPath.Target.CATALOG ? model : representation(model, path);
        if (element instanceof Model m) {
            annotations = m.annotations();
            comment = null;
            acls = m.acls();
        } else if (element instanceof Model.Schema s) {
            annotations = s.annotations();
            comment = s.comment();
            acls = s.acls();
        } else if (element instanceof Model.Table t) {
            annotations = t.annotations();
            comment = t.comment();
            acls = t.acls();
            bindings = t.aclBindings();
        } else if (element instanceof Model.Column c) {
            annotations = c.annotations();
            comment = c.comment();
            acls = c.acls();
            bindings = c.aclBindings();
        } else if (element instanceof Model.Key k) {
            annotations = k.annotations();
            comment = k.comment();
        } else if (element instanceof Model.ForeignKey f) {
            annotations = f.annotations();
            comment = f.comment();
            acls = f.acls();
            bindings = f.aclBindings();
        } else {
            throw new CairnException.Conflict(
                    ErrorCode.AMBIGUOUS_NAME, "Name one foreign key: .../foreignkey/C1,C2/reference/S:T/K1,K2.");
        }
        return switch (path.part()) {
            case ANNOTATION -> {
                if (path.partKey() == null) {
                    yield annotations;
                }
                JsonValue value = annotations.get(path.partKey());
                if (value == null) {
                    throw new CairnException.NotFound("No annotation " + path.partKey() + " here.");
                }
                yield value;
            }
            case COMMENT -> {
                if (comment == null) {
                    throw new CairnException.NotFound("No comment here.");
                }
                yield comment;
            }
            default -> {
                Map<String, ?> policies = path.part() == Part.ACL ? acls : bindings;
                if (path.partKey() == null) {
                    yield policies;
                }
                Object value = policies.get(path.partKey());
                if (value == null) {
                    throw new CairnException.NotFound("No " + (path.part() == Part.ACL ? "ACL " : "ACL binding ")
                            + path.partKey() + " is set here.");
                }
                yield value;
            }
        };
    }

    // ---- access

    /** The ACL chain of the element a path names (a key answers to its table's). */
    private static Acls.Chain chainOf(Model model, ModelPath path) {
        return switch (path.target()) {
            case CATALOG, MODEL -> Acls.catalog(model);
            case SCHEMA, TABLES -> Acls.schema(model, schema(model, path.schema()));
            case TABLE, COLUMNS, KEYS, KEY, FOREIGN_KEYS ->
                Acls.table(model, table(model, path.schema(), path.table()));
            case COLUMN ->
                Acls.column(
                        model,
                        table(model, path.schema(), path.table()),
                        column(model, path.schema(), path.table(), path.column()));
            case FOREIGN_KEY ->
                path.refTable() == null && foreignKeys(model, path).size() > 1
                        ? Acls.table(model, table(model, path.schema(), path.table()))
                        : Acls.foreignKey(model, table(model, path.schema(), path.table()), foreignKey(model, path));
        };
    }

    /** Ownership of an element: columns and foreign keys are owned by their table's owners. */
    private boolean owns(long id, Acls.Chain chain) {
        Acls.Chain owned =
                chain.kind().accesses().contains("owner") ? chain : new Acls.Chain(Acls.Kind.TABLE, chain.levels());
        return access.allowed(id, owned, "owner");
    }

    private void requireOwner(long id, Model model, ModelPath path) {
        if (!owns(id, chainOf(model, path))) {
            throw caller.refused("Changing this part of the model needs the owner right on it.");
        }
    }

    /**
     * A model document may create schemas (which needs {@code create} on the catalog) and tables
     * in existing schemas (which needs {@code create} on the schema) and foreign keys (owner of
     * their table). Checked before anything is created.
     */
    private void requireCreate(long id, Model model, JsonValue doc) {
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
        if (doc instanceof jakarta.json.JsonArray items) {
            for (JsonValue item : items) {
                if (!(item instanceof JsonObject o)) {
                    continue; // the editor refuses it
                }
                String schema = o.get("schema_name") instanceof JsonString s ? s.getString() : null;
                Model.Schema existing = schema == null ? null : model.schemas().get(schema);
                if (o.containsKey("table_name") && existing != null) {
                    context.require(Acls.schema(model, existing), "create", "Creating tables in schema " + schema);
                } else if (o.containsKey("foreign_key_columns")
                        && o.get("foreign_key_columns") instanceof jakarta.json.JsonArray from
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
    private record Policies(Map<String, JsonValue> acls, Map<String, JsonValue> bindings, ModelProperties properties) {

        void apply(long id, ModelElement element, RequestClient client) {
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
    private Policies policies(ModelPath path, JsonObject document) {
        JsonValue acls = document.get("acls");
        JsonValue bindings = document.get("acl_bindings");
        boolean keyless = path.target() == ModelPath.Target.KEY;
        Map<String, JsonValue> aclValues = null;
        Map<String, JsonValue> bindingValues = null;
        if (acls != null && acls != JsonValue.NULL && !(keyless && acls instanceof JsonObject o && o.isEmpty())) {
            aclValues = ModelDocuments.acls(object(acls), kindOf(path), "This element's \"acls\"");
        }
        if (bindings != null
                && bindings != JsonValue.NULL
                && !(keyless && bindings instanceof JsonObject o && o.isEmpty())) {
            bindingValues = bindings(kindOf(path), "This element's \"acl_bindings\"", object(bindings));
        }
        return new Policies(aclValues, bindingValues, properties);
    }

    /** PUT of {@code .../acl[/name]} or {@code .../acl_binding[/name]}. */
    private void setPolicies(long id, Model model, ModelPath path, JsonValue value, RequestClient client) {
        ModelElement element = element(model, path);
        Acls.Kind kind = kindOf(path);
        String what = path.target() == ModelPath.Target.CATALOG ? "The catalog" : "This element";
        boolean acl = path.part() == Part.ACL;
        Map<String, JsonValue> values;
        if (path.partKey() == null) {
            values = acl ? ModelDocuments.acls(object(value), kind, what) : bindings(kind, what, object(value));
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
    private void keepsOwner(Map<String, List<String>> catalogAcls) {
        if (!caller.administrator() && !caller.matches(catalogAcls.get("owner"))) {
            throw new CairnException.Conflict(
                    ErrorCode.LAST_ADMINISTRATOR,
                    "This change would take the catalog's ownership from you; "
                            + "keep yourself (or a group of yours) in its owner ACL.");
        }
    }

    /** The element a path names, as this caller may see it; not enumerable is the same as absent. */
    private Object visible(long id, Model model, ModelPath path) {
        ModelView view = new ModelView(access, id, model);
        Object element = representation(model, path);
        JsonValue shown = switch (path.target()) {
            case COLUMNS, COLUMN, KEYS, KEY, FOREIGN_KEYS, FOREIGN_KEY -> {
                if (view.table(table(model, path.schema(), path.table())) == null) {
                    throw hidden(path);
                }
                yield view.of(table(model, path.schema(), path.table()), element);
            }
            default -> view.of(element);
        };
        if (shown == null) {
            throw hidden(path);
        }
        return shown;
    }

    private static CairnException hidden(ModelPath path) {
        return new CairnException.NotFound("No such model element (or you may not see it).");
    }

    private static Model.Schema schema(Model model, String schema) {
        Model.Schema found = model.schemas().get(schema);
        if (found == null) {
            throw new CairnException.NotFound("No schema " + schema + ".");
        }
        return found;
    }

    private static Model.Table table(Model model, String schema, String table) {
        Model.Table found = schema(model, schema).tables().get(table);
        if (found == null) {
            throw new CairnException.NotFound("No table " + schema + ":" + table + ".");
        }
        return found;
    }

    private static Model.Column column(Model model, String schema, String table, String column) {
        return table(model, schema, table).columns().stream()
                .filter(c -> c.name().equals(column))
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound(
                        "Table " + schema + ":" + table + " has no column " + column + "."));
    }

    private static Model.Key key(Model model, ModelPath path) {
        return table(model, path.schema(), path.table()).keys().stream()
                .filter(k -> k.columns().equals(path.columns()))
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound("No key on (" + String.join(",", path.columns())
                        + ") in " + path.schema() + ":" + path.table() + "."));
    }

    private static List<Model.ForeignKey> foreignKeys(Model model, ModelPath path) {
        List<Model.ForeignKey> found = table(model, path.schema(), path.table()).foreignKeys().stream()
                .filter(f -> f.columns().stream()
                        .map(Model.ColumnRef::columnName)
                        .toList()
                        .equals(path.columns()))
                .toList();
        if (found.isEmpty()) {
            throw new CairnException.NotFound("No foreign key on (" + String.join(",", path.columns()) + ") in "
                    + path.schema() + ":" + path.table() + ".");
        }
        return found;
    }

    private static Model.ForeignKey foreignKey(Model model, ModelPath path) {
        List<Model.ForeignKey> candidates = foreignKeys(model, path);
        if (path.refTable() == null) {
            if (candidates.size() > 1) {
                throw new CairnException.Conflict(
                        ErrorCode.AMBIGUOUS_NAME,
                        "Several foreign keys start at (" + String.join(",", path.columns())
                                + "); name one with /reference/S:T/columns.");
            }
            return candidates.get(0);
        }
        return candidates.stream()
                .filter(f -> {
                    Model.ColumnRef first = f.referencedColumns().get(0);
                    return first.schemaName().equals(path.refSchema())
                            && first.tableName().equals(path.refTable())
                            && f.referencedColumns().stream()
                                    .map(Model.ColumnRef::columnName)
                                    .toList()
                                    .equals(path.refColumns());
                })
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound(
                        "No foreign key from (" + String.join(",", path.columns()) + ") to " + path.refSchema() + ":"
                                + path.refTable() + " (" + String.join(",", path.refColumns()) + ")."));
    }

    private static Model.ForeignKey foreignKeyNamed(Model model, String schema, String table, String name) {
        return table(model, schema, table).foreignKeys().stream()
                .filter(f -> f.names().get(0).get(1).equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** The element a path names, checked to exist in the current model. */
    private static ModelElement element(Model model, ModelPath path) {
        return switch (path.target()) {
            case CATALOG -> new ModelElement("", "", "", "");
            case SCHEMA -> new ModelElement(schema(model, path.schema()).name(), "", "", "");
            case TABLE ->
                new ModelElement(
                        path.schema(), table(model, path.schema(), path.table()).name(), "", "");
            case COLUMN ->
                new ModelElement(
                        path.schema(),
                        path.table(),
                        column(model, path.schema(), path.table(), path.column())
                                .name(),
                        "");
            case KEY ->
                new ModelElement(
                        path.schema(),
                        path.table(),
                        "",
                        key(model, path).names().get(0).get(1));
            case FOREIGN_KEY ->
                new ModelElement(
                        path.schema(),
                        path.table(),
                        "",
                        foreignKey(model, path).names().get(0).get(1));
            default ->
                throw new NotAllowedException(
                        "A collection has no annotations, comment or ACLs; name one of its members.",
                        "GET",
                        new String[] {"POST"});
        };
    }

    // ---- request parsing

    private ModelPath path() {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String[] parts = uri.split("/", 5);
        return ModelPath.parse(parts.length > 4 ? "/" + parts[4] : "");
    }

    /** The JSON body, at most 16 MiB; {@code required} makes an empty body a 400, else it is null. */
    private static JsonValue json(InputStream body, boolean required) {
        JsonValue value = JsonBodies.parse(JsonBodies.text(body, MAX_BODY));
        if (value == null && required) {
            throw new CairnException.BadRequest("Send a JSON document.");
        }
        return value;
    }

    private static JsonObject object(JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            throw new CairnException.BadRequest("Send a JSON object.");
        }
        return o;
    }

    /** A comment is sent as plain text, or as a JSON string (as some clients do). */
    private String comment(InputStream body) {
        String text = JsonBodies.text(body, MAX_BODY);
        MediaType type = headers.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return text;
        }
        JsonValue value = JsonBodies.parse(text);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString s)) {
            throw new CairnException.BadRequest("A comment is a JSON string, or plain text.");
        }
        return s.getString();
    }

    private static Response created(Object representation) {
        return Response.status(Response.Status.CREATED)
                .entity(representation)
                .type(MediaType.APPLICATION_JSON)
                .build();
    }
}
