package dev.cairn.catalog.control;

import dev.cairn.catalog.control.ModelPath.Part;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import jakarta.json.JsonValue;
import jakarta.ws.rs.NotAllowedException;
import java.util.List;
import java.util.Map;

/**
 * The model elements an ERMrest model path names ({@link ModelPath}): the element itself, its
 * annotations, comment or ACLs, and its name as {@link ModelElement}; 404 when it does not exist,
 * 409 when a foreign key's columns name several.
 */
public final class ModelLookup {

    private ModelLookup() {}

    /** The element a path names, in ERMrest's JSON shape. */
    public static Object representation(Model model, ModelPath path) {
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
    public static Object part(Model model, ModelPath path) {
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

    public static Model.Schema schema(Model model, String schema) {
        Model.Schema found = model.schemas().get(schema);
        if (found == null) {
            throw new CairnException.NotFound("No schema " + schema + ".");
        }
        return found;
    }

    public static Model.Table table(Model model, String schema, String table) {
        Model.Table found = schema(model, schema).tables().get(table);
        if (found == null) {
            throw new CairnException.NotFound("No table " + schema + ":" + table + ".");
        }
        return found;
    }

    public static Model.Column column(Model model, String schema, String table, String column) {
        return table(model, schema, table).columns().stream()
                .filter(c -> c.name().equals(column))
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound(
                        "Table " + schema + ":" + table + " has no column " + column + "."));
    }

    public static Model.Key key(Model model, ModelPath path) {
        return table(model, path.schema(), path.table()).keys().stream()
                .filter(k -> k.columns().equals(path.columns()))
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound("No key on (" + String.join(",", path.columns())
                        + ") in " + path.schema() + ":" + path.table() + "."));
    }

    public static List<Model.ForeignKey> foreignKeys(Model model, ModelPath path) {
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

    public static Model.ForeignKey foreignKey(Model model, ModelPath path) {
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

    public static Model.ForeignKey foreignKeyNamed(Model model, String schema, String table, String name) {
        return table(model, schema, table).foreignKeys().stream()
                .filter(f -> f.names().get(0).get(1).equals(name))
                .findFirst()
                .orElseThrow();
    }
    /** The element a path names, checked to exist in the current model. */
    public static ModelElement element(Model model, ModelPath path) {
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
}
