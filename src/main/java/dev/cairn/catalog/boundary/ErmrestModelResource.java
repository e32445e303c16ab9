package dev.cairn.catalog.boundary;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelEditor.Element;
import dev.cairn.catalog.control.ModelPath;
import dev.cairn.catalog.control.ModelPath.Part;
import dev.cairn.catalog.control.ModelReader;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.EntityTags;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * ERMrest's model resources: the model ({@code /schema}), schemas, tables, columns, keys and
 * foreign keys, and their annotations, comments and ACLs. GET reads them (at a snapshot, the model
 * as it was then); POST creates, PUT alters by a partial document, DELETE drops. The raw path is
 * parsed by {@link ModelPath}, so names may hold any encoded character. Access: open to every
 * client until authentication arrives.
 */
@Path("/ermrest/catalog/{cid}/{kind: schema|annotation|acl|acl_binding|comment}{rest: (/.*)?}")
public class ErmrestModelResource {

    /** Model documents are small; a bulk creation of hundreds of tables stays far below this. */
    private static final int MAX_BODY = 16 << 20;

    @Inject
    Catalogs catalogs;

    @Inject
    Models models;

    @Inject
    CatalogDatabases databases;

    @Inject
    ModelEditor editor;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @Context
    SecurityContext security;

    @GET
    public Response get(@PathParam("cid") String cid) {
        Catalogs.At at = catalogs.at(cid);
        ModelPath path = path();
        long id = at.catalog().id();
        if (path.target() == ModelPath.Target.MODEL && at.snaptime() == null) {
            return currentModel(id);
        }
        Model model = models.at(id, at.instant()).model();
        Object representation = path.part() == Part.NONE ? representation(model, path) : part(model, path);
        Response.ResponseBuilder response = representation instanceof String text
                ? Response.ok(text, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                : Response.ok(representation, MediaType.APPLICATION_JSON);
        return response.build();
    }

    /** The whole model; its entity tag changes with every model change ({@code If-None-Match} gives 304). */
    private Response currentModel(long id) {
        String ifNoneMatch = headers.getHeaderString("If-None-Match");
        return databases.transaction(id, RequestClient.of(security), c -> {
            String tag = ModelReader.version(c);
            if (ifNoneMatch != null && EntityTags.matches(ifNoneMatch, '"' + tag + '"')) {
                return Response.notModified(tag).build();
            }
            return Response.ok(ModelReader.read(c), MediaType.APPLICATION_JSON).tag(tag).build();
        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(@PathParam("cid") String cid, InputStream body) {
        Catalog catalog = catalogs.get(cid);
        long id = catalog.id();
        ModelPath path = path();
        RequestClient client = RequestClient.of(security);
        if (path.part() != Part.NONE) {
            throw new NotAllowedException("Annotations, comments and ACLs are set with PUT.", "GET", new String[] {"PUT", "DELETE"});
        }
        return switch (path.target()) {
            case MODEL -> {
                JsonValue doc = json(body, true);
                List<ModelEditor.Created> created = editor.createModel(id, doc, client);
                Model model = models.model(id);
                if (doc instanceof JsonObject) {
                    Map<String, Object> schemas = new LinkedHashMap<>();
                    created.stream().filter(c -> c.table() == null)
                            .forEach(c -> schemas.put(c.schema(), model.schemas().get(c.schema())));
                    yield created(Map.of("schemas", schemas));
                }
                List<Object> representations = new ArrayList<>();
                for (ModelEditor.Created c : created) {
                    representations.add(c.table() == null ? model.schemas().get(c.schema())
                            : c.constraint() == null ? table(model, c.schema(), c.table())
                            : foreignKeyNamed(model, c.schema(), c.table(), c.constraint()));
                }
                yield created(representations);
            }
            case SCHEMA -> {
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
                        .filter(k -> k.names().get(0).get(1).equals(key)).findFirst().orElseThrow());
            }
            case FOREIGN_KEYS -> {
                String fk = editor.addForeignKey(id, path.schema(), path.table(), object(json(body, true)), client);
                yield created(List.of(foreignKeyNamed(models.model(id), path.schema(), path.table(), fk)));
            }
            default -> throw new NotAllowedException("POST creates within a collection: /schema, /schema/S, .../table, "
                    + ".../column, .../key or .../foreignkey.", "GET", new String[] {"PUT", "DELETE"});
        };
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("cid") String cid, InputStream body) {
        long id = catalogs.get(cid).id();
        ModelPath path = path();
        RequestClient client = RequestClient.of(security);
        Model model = models.model(id);
        switch (path.part()) {
            case ANNOTATION -> {
                Element element = element(model, path);
                JsonValue value = json(body, true);
                if (path.partKey() != null) {
                    editor.annotation(id, element, path.partKey(), value, client);
                } else {
                    editor.annotations(id, element, object(value), client);
                }
                return Response.noContent().build();
            }
            case COMMENT -> {
                editor.comment(id, element(model, path), comment(body), client);
                return Response.noContent().build();
            }
            case ACL, ACL_BINDING -> {
                element(model, path);
                JsonValue value = json(body, true);
                if (!(value == JsonValue.NULL || (value instanceof JsonObject o && o.isEmpty())
                        || (path.partKey() != null && value instanceof jakarta.json.JsonArray a && a.isEmpty()))) {
                    throw new CairnException.BadRequest("ACLs cannot be set yet; Cairn enforces no ACLs until access control is "
                            + "enabled, so it takes only empty ones.");
                }
                return Response.noContent().build();
            }
            default -> {
                // the element itself, altered below
            }
        }
        JsonObject changes = object(json(body, true));
        return switch (path.target()) {
            case SCHEMA -> {
                String renamed = editor.alterSchema(id, path.schema(), changes, client);
                yield Response.ok(models.model(id).schemas().get(renamed), MediaType.APPLICATION_JSON).build();
            }
            case TABLE -> {
                Element moved = editor.alterTable(id, path.schema(), path.table(), changes, client);
                yield Response.ok(table(models.model(id), moved.schema(), moved.table()), MediaType.APPLICATION_JSON).build();
            }
            case COLUMN -> {
                String name = editor.alterColumn(id, path.schema(), path.table(), path.column(), changes, client);
                yield Response.ok(column(models.model(id), path.schema(), path.table(), name), MediaType.APPLICATION_JSON).build();
            }
            case KEY, FOREIGN_KEY -> {
                boolean foreign = path.target() == ModelPath.Target.FOREIGN_KEY;
                Element constraint = element(model, path);
                String name = editor.alterConstraint(id, constraint, foreign, changes, client);
                Model now = models.model(id);
                yield Response.ok(foreign ? foreignKeyNamed(now, constraint.schema(), constraint.table(), name)
                        : table(now, constraint.schema(), constraint.table()).keys().stream()
                                .filter(k -> k.names().get(0).get(1).equals(name)).findFirst().orElseThrow(),
                        MediaType.APPLICATION_JSON).build();
            }
            default -> throw new NotAllowedException("PUT alters a schema, table, column, key or foreign key, or sets an "
                    + "annotation, comment or ACL.", "GET", new String[] {"POST", "DELETE"});
        };
    }

    @DELETE
    public Response delete(@PathParam("cid") String cid) {
        long id = catalogs.get(cid).id();
        ModelPath path = path();
        RequestClient client = RequestClient.of(security);
        Model model = models.model(id);
        Element element = element(model, path);
        switch (path.part()) {
            case ANNOTATION -> {
                if (path.partKey() != null) {
                    editor.annotation(id, element, path.partKey(), null, client);
                } else {
                    editor.annotations(id, element, Map.of(), client);
                }
            }
            case COMMENT -> editor.comment(id, element, null, client);
            case ACL, ACL_BINDING -> {
                // no ACL is stored until access control arrives: nothing to remove
            }
            case NONE -> {
                switch (path.target()) {
                    case SCHEMA -> editor.dropSchema(id, path.schema(), client);
                    case TABLE -> editor.dropTable(id, path.schema(), path.table(), client);
                    case COLUMN -> editor.dropColumn(id, path.schema(), path.table(), path.column(), client);
                    case KEY -> editor.dropConstraint(id, element, path.columns().equals(List.of("RID")), client);
                    case FOREIGN_KEY -> editor.dropConstraint(id, element, false, client);
                    default -> throw new NotAllowedException("DELETE drops a schema, table, column, key or foreign key.", "GET",
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
        Object element = path.target() == ModelPath.Target.CATALOG ? model : representation(model, path);
        if (element instanceof Model m) {
            annotations = m.annotations();
            comment = null;
        } else if (element instanceof Model.Schema s) {
            annotations = s.annotations();
            comment = s.comment();
        } else if (element instanceof Model.Table t) {
            annotations = t.annotations();
            comment = t.comment();
        } else if (element instanceof Model.Column c) {
            annotations = c.annotations();
            comment = c.comment();
        } else if (element instanceof Model.Key k) {
            annotations = k.annotations();
            comment = k.comment();
        } else if (element instanceof Model.ForeignKey f) {
            annotations = f.annotations();
            comment = f.comment();
        } else {
            throw new CairnException.Conflict("Name one foreign key: .../foreignkey/C1,C2/reference/S:T/K1,K2.");
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
                if (path.partKey() != null) {
                    throw new CairnException.NotFound("No ACL " + path.partKey() + " is set here.");
                }
                yield Map.of();
            }
        };
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
        return table(model, schema, table).columns().stream().filter(c -> c.name().equals(column)).findFirst()
                .orElseThrow(() -> new CairnException.NotFound("Table " + schema + ":" + table + " has no column " + column + "."));
    }

    private static Model.Key key(Model model, ModelPath path) {
        return table(model, path.schema(), path.table()).keys().stream().filter(k -> k.columns().equals(path.columns()))
                .findFirst().orElseThrow(() -> new CairnException.NotFound("No key on (" + String.join(",", path.columns())
                        + ") in " + path.schema() + ":" + path.table() + "."));
    }

    private static List<Model.ForeignKey> foreignKeys(Model model, ModelPath path) {
        List<Model.ForeignKey> found = table(model, path.schema(), path.table()).foreignKeys().stream()
                .filter(f -> f.columns().stream().map(Model.ColumnRef::columnName).toList().equals(path.columns())).toList();
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
                throw new CairnException.Conflict("Several foreign keys start at (" + String.join(",", path.columns())
                        + "); name one with /reference/S:T/columns.");
            }
            return candidates.get(0);
        }
        return candidates.stream().filter(f -> {
            Model.ColumnRef first = f.referencedColumns().get(0);
            return first.schemaName().equals(path.refSchema()) && first.tableName().equals(path.refTable())
                    && f.referencedColumns().stream().map(Model.ColumnRef::columnName).toList().equals(path.refColumns());
        }).findFirst().orElseThrow(() -> new CairnException.NotFound("No foreign key from (" + String.join(",", path.columns())
                + ") to " + path.refSchema() + ":" + path.refTable() + " (" + String.join(",", path.refColumns()) + ")."));
    }

    private static Model.ForeignKey foreignKeyNamed(Model model, String schema, String table, String name) {
        return table(model, schema, table).foreignKeys().stream().filter(f -> f.names().get(0).get(1).equals(name))
                .findFirst().orElseThrow();
    }

    /** The element a path names, checked to exist in the current model. */
    private static Element element(Model model, ModelPath path) {
        return switch (path.target()) {
            case CATALOG -> new Element("", "", "", "");
            case SCHEMA -> new Element(schema(model, path.schema()).name(), "", "", "");
            case TABLE -> new Element(path.schema(), table(model, path.schema(), path.table()).name(), "", "");
            case COLUMN -> new Element(path.schema(), path.table(), column(model, path.schema(), path.table(), path.column()).name(), "");
            case KEY -> new Element(path.schema(), path.table(), "", key(model, path).names().get(0).get(1));
            case FOREIGN_KEY -> new Element(path.schema(), path.table(), "", foreignKey(model, path).names().get(0).get(1));
            default -> throw new NotAllowedException("A collection has no annotations, comment or ACLs; name one of its members.",
                    "GET", new String[] {"POST"});
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
        return Response.status(Response.Status.CREATED).entity(representation).type(MediaType.APPLICATION_JSON).build();
    }
}
