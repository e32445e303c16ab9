package dev.cairn.catalog.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.QueryParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model resource name below {@code /ermrest/catalog/{cid}}, parsed from the raw (still
 * percent-encoded) path: the catalog, the whole model ({@code /schema}), a schema, a table, a
 * column, a key ({@code /key/C1,C2}) or a foreign key ({@code /foreignkey/C1,C2/reference/S:T/K1,K2}),
 * or their collections; optionally one of their parts: {@code /annotation[/key]},
 * {@code /comment}, {@code /acl[/name]}, {@code /acl_binding[/name]}. Each name is decoded on
 * its own, so an encoded '/', ',' or ':' is part of a name.
 */
public record ModelPath(
        Target target,
        String schema,
        String table,
        String column,
        List<String> columns,
        String refSchema,
        String refTable,
        List<String> refColumns,
        Part part,
        String partKey) {

    public enum Target {
        CATALOG,
        MODEL,
        SCHEMA,
        TABLES,
        TABLE,
        COLUMNS,
        COLUMN,
        KEYS,
        KEY,
        FOREIGN_KEYS,
        FOREIGN_KEY
    }

    public enum Part {
        NONE,
        ANNOTATION,
        COMMENT,
        ACL,
        ACL_BINDING
    }

    /** Parses the text after {@code /ermrest/catalog/{cid}}, such as {@code /schema/S/table/T/annotation}. */
    public static ModelPath parse(String raw) {
        String[] s = raw.startsWith("/") ? raw.substring(1).split("/", -1) : raw.split("/", -1);
        Builder b = new Builder();
        int i = 0;
        if (s[0].equals("schema")) {
            b.target = Target.MODEL;
            i = 1;
            if (i < s.length && !s[i].isEmpty()) {
                b.schema = name(s[i++], "schema");
                b.target = Target.SCHEMA;
                if (i < s.length && s[i].equals("table")) {
                    i++;
                    b.target = Target.TABLES;
                    if (i < s.length && !s[i].isEmpty()) {
                        b.table = name(s[i++], "table");
                        b.target = Target.TABLE;
                        i = tablePart(s, i, b);
                    }
                }
            } else if (i < s.length && s[i].isEmpty() && i == s.length - 1) {
                i++; // a trailing slash
            }
        } else {
            b.target = Target.CATALOG;
        }
        i = part(s, i, b);
        if (i < s.length && !(i == s.length - 1 && s[i].isEmpty())) {
            throw new CairnException.NotFound("No model resource at '" + raw + "'.");
        }
        if (b.target == Target.MODEL && b.part != Part.NONE) {
            throw new CairnException.NotFound(
                    "The model as a whole has no " + b.part.name().toLowerCase() + "; the catalog has.");
        }
        return new ModelPath(
                b.target,
                b.schema,
                b.table,
                b.column,
                b.columns,
                b.refSchema,
                b.refTable,
                b.refColumns,
                b.part,
                b.partKey);
    }

    private static int tablePart(String[] s, int i, Builder b) {
        if (i >= s.length) {
            return i;
        }
        switch (s[i]) {
            case "column" -> {
                i++;
                b.target = Target.COLUMNS;
                if (i < s.length && !s[i].isEmpty()) {
                    b.column = name(s[i++], "column");
                    b.target = Target.COLUMN;
                }
            }
            case "key" -> {
                i++;
                b.target = Target.KEYS;
                if (i < s.length && !s[i].isEmpty()) {
                    b.columns = names(s[i++]);
                    b.target = Target.KEY;
                }
            }
            case "foreignkey" -> {
                i++;
                b.target = Target.FOREIGN_KEYS;
                if (i < s.length && !s[i].isEmpty()) {
                    b.columns = names(s[i++]);
                    b.target = Target.FOREIGN_KEY;
                    if (i < s.length && s[i].equals("reference")) {
                        String[] qualified = i + 2 < s.length ? s[i + 1].split(":", -1) : new String[0];
                        if (qualified.length != 2) {
                            throw new CairnException.NotFound(
                                    "A foreign key reference is /reference/schema:table/columns.");
                        }
                        b.refSchema = name(qualified[0], "schema");
                        b.refTable = name(qualified[1], "table");
                        b.refColumns = names(s[i + 2]);
                        i += 3;
                    }
                }
            }
            default -> {
                // a part of the table itself, handled by part()
            }
        }
        return i;
    }

    private static int part(String[] s, int i, Builder b) {
        if (i >= s.length || s[i].isEmpty()) {
            return i;
        }
        Part part = switch (s[i]) {
            case "annotation" -> Part.ANNOTATION;
            case "comment" -> Part.COMMENT;
            case "acl" -> Part.ACL;
            case "acl_binding" -> Part.ACL_BINDING;
            default -> throw new CairnException.NotFound("No model resource '" + s[i] + "' here.");
        };
        if (b.target == Target.TABLES
                || b.target == Target.COLUMNS
                || b.target == Target.KEYS
                || b.target == Target.FOREIGN_KEYS) {
            throw new CairnException.NotFound("A collection has no " + s[i] + ".");
        }
        b.part = part;
        i++;
        if (part != Part.COMMENT && i < s.length && !s[i].isEmpty()) {
            b.partKey = QueryParameters.decode(s[i++]);
        }
        return i;
    }

    private static String name(String encoded, String what) {
        String name = QueryParameters.decode(encoded);
        if (name.isEmpty()) {
            throw new CairnException.NotFound("Empty " + what + " name.");
        }
        return name;
    }

    private static List<String> names(String encoded) {
        List<String> names = new ArrayList<>();
        for (String part : Arrays.asList(encoded.split(",", -1))) {
            names.add(name(part, "column"));
        }
        return List.copyOf(names);
    }

    private static final class Builder {
        Target target;
        String schema;
        String table;
        String column;
        List<String> columns;
        String refSchema;
        String refTable;
        List<String> refColumns;
        Part part = Part.NONE;
        String partKey;
    }
}
