package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Model;
import dev.cairn.catalog.entity.Model.Column;
import dev.cairn.catalog.entity.Model.ColumnRef;
import dev.cairn.catalog.entity.Model.ForeignKey;
import dev.cairn.catalog.entity.Model.Key;
import dev.cairn.catalog.entity.Model.Type;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a catalog's model from PostgreSQL's system catalogs: what the database holds is what the
 * model says, so DDL from any source shows at once. A handful of set-wise queries, whatever the
 * number of tables.
 */
public final class ModelReader {

    /** Schemas that are PostgreSQL's or Cairn's own, never part of the model. */
    private static final String VISIBLE_SCHEMA =
            "n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT LIKE '\\_%' AND n.nspname <> 'information_schema'";

    private static final String RELATION_KINDS = "c.relkind IN ('r', 'p', 'v', 'm', 'f')";
    private static final Pattern QUOTED_LITERAL = Pattern.compile("^'((?:[^']|'')*)'(?:::[\\w .\"\\[\\]]+)*$");
    private static final Pattern NUMBER =
            Pattern.compile("^\\(?(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\\)?(?:::[\\w .\"]+)*$");
    private static final Set<String> NUMERIC_TYPES = Set.of("int2", "int4", "int8", "float4", "float8", "numeric");

    private record TableId(String schema, String table) {}

    private record TableDraft(
            TableId id,
            String kind,
            String comment,
            List<Column> columns,
            Map<Integer, String> columnNames,
            List<Key> keys,
            List<ForeignKey> foreignKeys) {}

    private ModelReader() {}

    /** The model's version: the encoded time of its latest change, for entity tags. */
    public static String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT _ermrest.snaptime_encode(max(ts)) FROM _ermrest.model_modified")) {
            r.next();
            return r.getString(1);
        }
    }

    /** The catalog-level annotations, as the catalog document shows them. */
    public static Map<String, JsonValue> catalogAnnotations(Connection c) throws SQLException {
        return Annotations.read(c).of("", "", "", "");
    }

    public static Model read(Connection c) throws SQLException {
        Annotations annotations = Annotations.read(c);
        Policies policies = Policies.read(c);
        Map<String, String> schemaComments = new LinkedHashMap<>();
        Map<Long, TableDraft> tables = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT n.nspname, obj_description(n.oid, 'pg_namespace') "
                    + "FROM pg_namespace n WHERE " + VISIBLE_SCHEMA + " ORDER BY n.nspname")) {
                while (rs.next()) {
                    schemaComments.put(rs.getString(1), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT c.oid, n.nspname, c.relname, c.relkind, "
                    + "obj_description(c.oid, 'pg_class') FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE " + RELATION_KINDS + " AND " + VISIBLE_SCHEMA + " ORDER BY n.nspname, c.relname")) {
                while (rs.next()) {
                    tables.put(
                            rs.getLong(1),
                            new TableDraft(
                                    new TableId(rs.getString(2), rs.getString(3)),
                                    kindOf(rs.getString(4)),
                                    rs.getString(5),
                                    new ArrayList<>(),
                                    new HashMap<>(),
                                    new ArrayList<>(),
                                    new ArrayList<>()));
                }
            }
            readColumns(s, tables, annotations, policies);
            readConstraints(s, tables, annotations, policies);
        }

        Map<String, Model.Schema> schemas = new LinkedHashMap<>();
        schemaComments.forEach((name, comment) -> schemas.put(
                name,
                new Model.Schema(
                        name,
                        comment,
                        annotations.of(name, "", "", ""),
                        new LinkedHashMap<>(),
                        policies.acls(name, "", "", ""))));
        for (TableDraft t : tables.values()) {
            schemas.get(t.id().schema())
                    .tables()
                    .put(
                            t.id().table(),
                            new Model.Table(
                                    t.id().schema(),
                                    t.id().table(),
                                    t.kind(),
                                    t.comment(),
                                    annotations.of(t.id().schema(), t.id().table(), "", ""),
                                    t.columns(),
                                    t.keys(),
                                    t.foreignKeys(),
                                    policies.acls(t.id().schema(), t.id().table(), "", ""),
                                    policies.bindings(t.id().schema(), t.id().table(), "", "")));
        }
        return new Model(schemas, annotations.of("", "", "", ""), policies.acls("", "", "", ""));
    }

    private static void readColumns(
            Statement s, Map<Long, TableDraft> tables, Annotations annotations, Policies policies) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT a.attrelid, a.attnum, a.attname, a.attnotnull, "
                + "t.typname, t.typtype, t.typcategory, bt.typname, et.typname, "
                + "pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum) "
                + "FROM pg_attribute a "
                + "JOIN pg_class c ON c.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_type t ON t.oid = a.atttypid "
                + "LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
                + "LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem "
                + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE a.attnum > 0 AND NOT a.attisdropped AND " + RELATION_KINDS + " AND " + VISIBLE_SCHEMA
                + " ORDER BY a.attrelid, a.attnum")) {
            while (rs.next()) {
                TableDraft table = tables.get(rs.getLong(1));
                if (table == null) {
                    continue;
                }
                String name = rs.getString(3);
                String defaultExpression = rs.getString(10);
                Type type = typeOf(
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        defaultExpression);
                table.columnNames().put(rs.getInt(2), name);
                table.columns()
                        .add(new Column(
                                name,
                                type,
                                !rs.getBoolean(4),
                                defaultValue(defaultExpression, type),
                                rs.getString(11),
                                annotations.of(table.id().schema(), table.id().table(), name, ""),
                                policies.acls(table.id().schema(), table.id().table(), name, ""),
                                policies.bindings(
                                        table.id().schema(), table.id().table(), name, "")));
            }
        }
    }

    private static void readConstraints(
            Statement s, Map<Long, TableDraft> tables, Annotations annotations, Policies policies) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT con.conrelid, con.conname, con.contype, con.conkey, "
                + "con.confrelid, con.confkey, con.confupdtype, con.confdeltype, "
                + "obj_description(con.oid, 'pg_constraint') "
                + "FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace "
                + "WHERE con.contype IN ('p', 'u', 'f') AND " + VISIBLE_SCHEMA
                + " ORDER BY con.conrelid, con.conname")) {
            while (rs.next()) {
                TableDraft table = tables.get(rs.getLong(1));
                if (table == null) {
                    continue;
                }
                String name = rs.getString(2);
                List<List<String>> names = List.of(List.of(table.id().schema(), name));
                Map<String, JsonValue> annotated =
                        annotations.of(table.id().schema(), table.id().table(), "", name);
                List<String> columns = columnNames(table, rs.getArray(4));
                if (!"f".equals(rs.getString(3))) {
                    table.keys().add(new Key(names, columns, rs.getString(9), annotated));
                    continue;
                }
                TableDraft referenced = tables.get(rs.getLong(5));
                if (referenced == null) {
                    continue; // refers outside the model
                }
                table.foreignKeys()
                        .add(new ForeignKey(
                                names,
                                refs(table, columns),
                                refs(referenced, columnNames(referenced, rs.getArray(6))),
                                actionOf(rs.getString(7)),
                                actionOf(rs.getString(8)),
                                rs.getString(9),
                                annotated,
                                policies.acls(table.id().schema(), table.id().table(), "", name),
                                policies.bindings(
                                        table.id().schema(), table.id().table(), "", name)));
            }
        }
    }

    private static List<String> columnNames(TableDraft table, Array numbers) throws SQLException {
        List<String> names = new ArrayList<>();
        for (Object number : (Object[]) numbers.getArray()) {
            names.add(table.columnNames().get(((Number) number).intValue()));
        }
        return names;
    }

    private static List<ColumnRef> refs(TableDraft table, List<String> columns) {
        return columns.stream()
                .map(col -> new ColumnRef(table.id().schema(), table.id().table(), col))
                .toList();
    }

    private static String kindOf(String relkind) {
        return switch (relkind) {
            case "v", "m" -> "view";
            case "f" -> "foreign_table";
            default -> "table";
        };
    }

    private static String actionOf(String code) {
        return switch (code) {
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> "NO ACTION";
        };
    }

    /** PostgreSQL's type names as ERMrest spells them. */
    static Type typeOf(
            String typname,
            String typtype,
            String category,
            String domainBase,
            String element,
            String defaultExpression) {
        if ("d".equals(typtype) && domainBase != null) {
            return new Type(typname, true, null, Type.base(baseName(domainBase)));
        }
        if ("A".equals(category) && element != null) {
            String base = baseName(element);
            return new Type(base + "[]", null, true, Type.base(base));
        }
        String name = baseName(typname);
        if (defaultExpression != null
                && defaultExpression.startsWith("nextval(")
                && Set.of("int2", "int4", "int8").contains(name)) {
            return Type.base("serial" + name.substring(3));
        }
        return Type.base(name);
    }

    private static String baseName(String typname) {
        return "bool".equals(typname) ? "boolean" : typname;
    }

    /**
     * The JSON value of a column default when it is a constant, as ERMrest reports it; null for
     * expressions such as {@code now()} or a sequence.
     */
    static Object defaultValue(String expression, Type type) {
        if (expression == null) {
            return null;
        }
        String base = type.baseType() != null ? type.baseType().typename() : type.typename();
        Matcher quoted = QUOTED_LITERAL.matcher(expression);
        if (quoted.matches()) {
            String literal = quoted.group(1).replace("''", "'");
            if (NUMERIC_TYPES.contains(base)) {
                try {
                    return new BigDecimal(literal);
                } catch (NumberFormatException notNumeric) {
                    return literal;
                }
            }
            if ("boolean".equals(base) && ("true".equals(literal) || "false".equals(literal))) {
                return Boolean.valueOf(literal);
            }
            return literal;
        }
        if ("true".equals(expression) || "false".equals(expression)) {
            return Boolean.valueOf(expression);
        }
        Matcher number = NUMBER.matcher(expression);
        if (number.matches()) {
            return new BigDecimal(number.group(1));
        }
        return null;
    }

    /** The annotations of the model, looked up by what they annotate. */
    private record Annotations(Map<List<String>, Map<String, JsonValue>> byTarget) {

        static Annotations read(Connection c) throws SQLException {
            Map<List<String>, Map<String, JsonValue>> byTarget = new HashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT schema_name, table_name, column_name, constraint_name, "
                            + "uri, value::text FROM _ermrest.annotation ORDER BY uri")) {
                while (rs.next()) {
                    List<String> target = List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                    JsonValue value = JsonBodies.JSON
                            .createReader(new StringReader(rs.getString(6)))
                            .readValue();
                    byTarget.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(rs.getString(5), value);
                }
            }
            return new Annotations(byTarget);
        }

        Map<String, JsonValue> of(String schema, String table, String column, String constraint) {
            return byTarget.getOrDefault(List.of(schema, table, column, constraint), Map.of());
        }
    }

    /** The ACLs and ACL bindings of the model, looked up by what they govern. */
    private record Policies(
            Map<List<String>, Map<String, List<String>>> acls, Map<List<String>, Map<String, Object>> bindings) {

        static Policies read(Connection c) throws SQLException {
            Map<List<String>, Map<String, List<String>>> acls = new HashMap<>();
            Map<List<String>, Map<String, Object>> bindings = new HashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT schema_name, table_name, column_name, constraint_name, "
                            + "kind, name, value::text FROM _ermrest.acl ORDER BY name")) {
                while (rs.next()) {
                    List<String> target = List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                    JsonValue value = JsonBodies.JSON
                            .createReader(new StringReader(rs.getString(7)))
                            .readValue();
                    if ("acl".equals(rs.getString(5))) {
                        acls.computeIfAbsent(target, t -> new LinkedHashMap<>())
                                .put(
                                        rs.getString(6),
                                        value.asJsonArray().getValuesAs(JsonString.class).stream()
                                                .map(JsonString::getString)
                                                .toList());
                    } else {
                        bindings.computeIfAbsent(target, t -> new LinkedHashMap<>())
                                .put(rs.getString(6), value);
                    }
                }
            }
            return new Policies(acls, bindings);
        }

        Map<String, List<String>> acls(String schema, String table, String column, String constraint) {
            return acls.getOrDefault(List.of(schema, table, column, constraint), Map.of());
        }

        Map<String, Object> bindings(String schema, String table, String column, String constraint) {
            return bindings.getOrDefault(List.of(schema, table, column, constraint), Map.of());
        }
    }
}
