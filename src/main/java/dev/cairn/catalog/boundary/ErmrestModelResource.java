package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.Acls;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.ModelAlterations;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelElement;
import dev.cairn.catalog.control.ModelLookup;
import dev.cairn.catalog.control.ModelPath;
import dev.cairn.catalog.control.ModelPath.Part;
import dev.cairn.catalog.control.ModelProperties;
import dev.cairn.catalog.control.ModelReader;
import dev.cairn.catalog.control.ModelRights;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.EntityTags;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.Routes;
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
@Routes.Shown("/ermrest/catalog/{cid}/{model}")
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

    @Inject
    ModelRights rights;

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
            Acls.Chain chain = ModelRights.chainOf(model, path);
            if (!access.allowed(id, chain, "enumerate")) {
                throw hidden(path);
            }
            if ((path.part() == Part.ACL || path.part() == Part.ACL_BINDING) && !rights.owns(id, chain)) {
                throw caller.refused("Reading ACLs needs the owner right.");
            }
            representation = ModelLookup.part(model, path);
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
                        Acls.schema(current, ModelLookup.schema(current, path.schema())),
                        "create",
                        "Creating a table in schema " + path.schema());
            default -> rights.requireOwner(id, current, path);
        }
        return switch (path.target()) {
            case MODEL -> {
                JsonValue doc = json(body, true);
                rights.requireCreate(id, current, doc);
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
                                            ? ModelLookup.table(model, c.schema(), c.table())
                                            : ModelLookup.foreignKeyNamed(
                                                    model, c.schema(), c.table(), c.constraint()));
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
                yield created(ModelLookup.table(models.model(id), path.schema(), table));
            }
            case COLUMNS -> {
                String column = editor.addColumn(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(ModelLookup.column(models.model(id), path.schema(), path.table(), column));
            }
            case KEYS -> {
                String key = editor.addKey(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(ModelLookup.table(models.model(id), path.schema(), path.table()).keys().stream()
                        .filter(k -> k.names().get(0).get(1).equals(key))
                        .findFirst()
                        .orElseThrow());
            }
            case FOREIGN_KEYS -> {
                String fk = editor.addForeignKey(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(List.of(ModelLookup.foreignKeyNamed(models.model(id), path.schema(), path.table(), fk)));
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
        rights.requireOwner(id, model, path);
        switch (path.part()) {
            case ANNOTATION -> {
                ModelElement element = ModelLookup.element(model, path);
                JsonValue value = json(body, true);
                if (path.partKey() != null) {
                    properties.annotation(id, element, path.partKey(), value, client);
                } else {
                    properties.annotations(id, element, object(value), client);
                }
                return Response.noContent().build();
            }
            case COMMENT -> {
                properties.comment(id, ModelLookup.element(model, path), comment(body), client);
                return Response.noContent().build();
            }
            case ACL, ACL_BINDING -> {
                rights.setPolicies(id, model, path, json(body, true), client);
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
        ModelRights.Policies policies = rights.policies(path, whole);
        JsonObject changes = JsonBodies.JSON
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
                yield Response.ok(
                                ModelLookup.table(models.model(id), moved.schema(), moved.table()),
                                MediaType.APPLICATION_JSON)
                        .build();
            }
            case COLUMN -> {
                String name = alterations.alterColumn(id, path.schema(), path.table(), path.column(), changes, client);
                policies.apply(id, new ModelElement(path.schema(), path.table(), name, ""), client);
                yield Response.ok(
                                ModelLookup.column(models.model(id), path.schema(), path.table(), name),
                                MediaType.APPLICATION_JSON)
                        .build();
            }
            case KEY, FOREIGN_KEY -> {
                boolean foreign = path.target() == ModelPath.Target.FOREIGN_KEY;
                ModelElement constraint = ModelLookup.element(model, path);
                String name = alterations.alterConstraint(id, constraint, foreign, changes, client);
                policies.apply(
                        id,
                        new ModelElement(constraint.schema(), constraint.table(), constraint.column(), name),
                        client);
                Model now = models.model(id);
                yield Response.ok(
                                foreign
                                        ? ModelLookup.foreignKeyNamed(
                                                now, constraint.schema(), constraint.table(), name)
                                        : ModelLookup.table(now, constraint.schema(), constraint.table())
                                                .keys()
                                                .stream()
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
        ModelElement element = ModelLookup.element(model, path);
        caller.requireWriteScope();
        rights.requireOwner(id, model, path);
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
                    rights.keepsOwner(after);
                }
                if (path.partKey() == null) {
                    properties.policies(id, element, kind, Map.of(), client);
                } else {
                    ModelLookup.part(model, path); // 404 before anything changes when it is not set
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

    /** The element a path names, as this caller may see it; not enumerable is the same as absent. */
    private Object visible(long id, Model model, ModelPath path) {
        ModelView view = new ModelView(access, id, model);
        Object element = ModelLookup.representation(model, path);
        JsonValue shown = switch (path.target()) {
            case COLUMNS, COLUMN, KEYS, KEY, FOREIGN_KEYS, FOREIGN_KEY -> {
                if (view.table(ModelLookup.table(model, path.schema(), path.table())) == null) {
                    throw hidden(path);
                }
                yield view.of(ModelLookup.table(model, path.schema(), path.table()), element);
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
