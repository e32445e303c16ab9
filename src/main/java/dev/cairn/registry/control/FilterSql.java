package dev.cairn.registry.control;

import dev.cairn.platform.CairnException;
import dev.cairn.registry.control.MongoFilter.And;
import dev.cairn.registry.control.MongoFilter.Condition;
import dev.cairn.registry.control.MongoFilter.ElemMatch;
import dev.cairn.registry.control.MongoFilter.Node;
import dev.cairn.registry.control.MongoFilter.Not;
import dev.cairn.registry.control.MongoFilter.Op;
import dev.cairn.registry.control.MongoFilter.Or;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compiles a {@link MongoFilter} query to one SQL condition with bound parameters, evaluated by
 * PostgreSQL over the columns (never in memory).
 *
 * <p>The semantics, which the property test checks against an in-memory evaluator: the values at
 * a path are found as PostgreSQL's lax SQL/JSON paths find them (an array met on the way is
 * entered, one level deep); a value that is an array is matched by its elements. Equality and
 * ordering compare like types only (numbers with numbers, strings with strings by code point);
 * {@code {"f": null}} matches a null or a missing field; {@code $exists} asks whether the path
 * reaches any value; {@code $size} and an {@code $eq} with an array or object look at the values
 * themselves; {@code $ne}, {@code $nin} and {@code $not} are the negations, so they match missing
 * fields. A {@link Kind#VERSION} field orders versions semver-aware ({@link VersionOrder}).
 *
 * <p>Text and text-array columns equal, {@code $in} or {@code $all} to strings compile to
 * conditions that btree and GIN indexes serve; jsonb columns compile to {@code @?} (written
 * {@code @??} for JDBC) with an SQL/JSON path, which a {@code jsonb_path_ops} GIN index serves.
 * Every name and literal is a bound parameter: the only text built here is SQL/JSON path syntax,
 * with keys and strings quoted.
 */
public final class FilterSql {

    public enum Kind {
        TEXT,
        VERSION,
        TEXT_ARRAY,
        JSONB
    }

    /**
     * A queryable field: an SQL expression (never null), how to compare it, and whether an index
     * serves equality on it.
     */
    public record Field(String sql, Kind kind, boolean indexed) {

        public Field(String sql, Kind kind) {
            this(sql, kind, false);
        }
    }

    /**
     * A compiled condition: SQL with {@code ?} placeholders and their values, in order, and
     * whether a condition every match must meet is an equality, {@code $in} or {@code $all} on an
     * indexed field: then the matches are best found through that index, not in key order.
     */
    public record Sql(String where, List<Object> parameters, boolean indexed) {}

    private static final String TRUE = "true";
    private static final String FALSE = "false";

    private final Map<String, Field> fields;
    private final List<Object> parameters = new ArrayList<>();
    private int aliases;

    private FilterSql(Map<String, Field> fields) {
        this.fields = fields;
    }

    /**
     * Compiles the query against the fields, keyed by dotted path ({@code asset_version.version},
     * {@code asset_metadata}).
     */
    public static Sql compile(Node query, Map<String, Field> fields) {
        FilterSql compiler = new FilterSql(fields);
        String where = compiler.node(query, null);
        return new Sql(where, List.copyOf(compiler.parameters), compiler.indexed(query));
    }

    /** Whether the query (or a part of it that every match meets) is an index-served equality, $in or $all. */
    private boolean indexed(Node node) {
        if (node instanceof And and) {
            return and.parts().stream().anyMatch(this::indexed);
        }
        if (node instanceof Condition c
                && (c.op() == Op.EQ || c.op() == Op.IN || c.op() == Op.ALL)
                && c.value() != JsonValue.NULL) {
            Target t = target(c.path(), null);
            return t.field().indexed();
        }
        return false;
    }

    /** The place a condition reads: a field of the table, or a path below the element of an {@code $elemMatch}. */
    private record Target(Field field, List<String> rest) {}

    private String node(Node node, String element) {
        if (node instanceof And and) {
            return and.parts().isEmpty() ? TRUE : join(and.parts(), " AND ", element);
        }
        if (node instanceof Or or) {
            return or.parts().isEmpty() ? FALSE : join(or.parts(), " OR ", element);
        }
        if (node instanceof Not not) {
            return "NOT (" + node(not.part(), element) + ")";
        }
        if (node instanceof Condition c) {
            return condition(c, target(c.path(), element));
        }
        ElemMatch m = (ElemMatch) node;
        return elemMatch(m, target(m.path(), element));
    }

    private String join(List<Node> parts, String operator, String element) {
        List<String> sql = new ArrayList<>();
        for (Node part : parts) {
            sql.add("(" + node(part, element) + ")");
        }
        return String.join(operator, sql);
    }

    private Target target(List<String> path, String element) {
        if (element != null) {
            return new Target(new Field(element, Kind.JSONB), path);
        }
        for (int n = path.size(); n >= 1; n--) {
            Field field = fields.get(String.join(".", path.subList(0, n)));
            if (field != null) {
                List<String> rest = path.subList(n, path.size());
                if (!rest.isEmpty() && field.kind() != Kind.JSONB) {
                    throw new CairnException.BadRequest("Field " + String.join(".", path.subList(0, n))
                            + " has no fields (" + String.join(".", path) + ").");
                }
                return new Target(field, rest);
            }
        }
        throw new CairnException.BadRequest("Unknown field " + String.join(".", path) + "; the fields are "
                + String.join(", ", new TreeSet<>(fields.keySet())) + ".");
    }

    // ---- conditions

    private String condition(Condition c, Target t) {
        return switch (c.op()) {
            case NE -> "NOT (" + eq(t, c.value()) + ")";
            case NIN -> "NOT (" + in(t, c.value().asJsonArray()) + ")";
            default -> positive(c, t);
        };
    }

    private String positive(Condition c, Target t) {
        Kind kind = t.field().kind();
        return switch (c.op()) {
            case EQ -> eq(t, c.value());
            case IN -> in(t, c.value().asJsonArray());
            case ALL -> all(t, c.value().asJsonArray());
            case EXISTS ->
                kind == Kind.JSONB
                        ? exists(t, c.value() == JsonValue.TRUE)
                        : c.value() == JsonValue.TRUE ? TRUE : FALSE;
            case SIZE ->
                kind == Kind.TEXT_ARRAY
                        ? "cardinality(" + t.field().sql() + ") = " + bind(((JsonNumber) c.value()).intValue())
                        : kind == Kind.JSONB
                                ? "EXISTS (SELECT 1 FROM jsonb_path_query(" + source(t) + ", " + bind(path(t.rest()))
                                        + "::jsonpath) v "
                                        + "WHERE jsonb_typeof(v) = 'array' AND jsonb_array_length(v) = "
                                        + bind(((JsonNumber) c.value()).intValue()) + ")"
                                : FALSE;
            case GT, GTE, LT, LTE -> compare(t, c.op(), c.value());
            case REGEX ->
                pathExists(
                        t,
                        "@.type() == \"string\" && @ like_regex " + string(((JsonString) c.value()).getString())
                                + (c.options().isEmpty() ? "" : " flag " + string(c.options())));
            case NE, NIN -> throw new IllegalStateException("negations are compiled by condition()");
        };
    }

    private String eq(Target t, JsonValue v) {
        Kind kind = t.field().kind();
        String sql = t.field().sql();
        if (kind == Kind.TEXT || kind == Kind.VERSION) {
            return v instanceof JsonString s ? sql + " = " + bind(s.getString()) : FALSE;
        }
        if (kind == Kind.TEXT_ARRAY) {
            if (v instanceof JsonString s) {
                return sql + " @> ARRAY[" + bind(s.getString()) + "]::text[]";
            }
            String[] strings = strings(v);
            return strings != null ? sql + " = " + bind(strings) + "::text[]" : FALSE;
        }
        return switch (v.getValueType()) {
            case NULL -> "(NOT (" + exists(t, true) + ") OR " + pathExists(t, "@.type() == \"null\"") + ")";
            case ARRAY, OBJECT ->
                "EXISTS (SELECT 1 FROM jsonb_path_query(" + source(t) + ", " + bind(path(t.rest())) + "::jsonpath) v "
                        + "WHERE v = " + bind(v.toString())
                        + "::jsonb OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN "
                        + "jsonb_typeof(v) = 'array' THEN v ELSE '[]'::jsonb END) e WHERE e = " + bind(v.toString())
                        + "::jsonb))";
            default -> pathExists(t, typedEquals(v));
        };
    }

    private String in(Target t, JsonArray values) {
        Kind kind = t.field().kind();
        List<String> strings = values.stream()
                .filter(v -> v instanceof JsonString)
                .map(v -> ((JsonString) v).getString())
                .toList();
        List<String> parts = new ArrayList<>();
        if (kind == Kind.TEXT || kind == Kind.VERSION) {
            return strings.isEmpty()
                    ? FALSE
                    : t.field().sql() + " = ANY(" + bind(strings.toArray(String[]::new)) + "::text[])";
        }
        if (kind == Kind.TEXT_ARRAY) {
            if (!strings.isEmpty()) {
                parts.add(t.field().sql() + " && " + bind(strings.toArray(String[]::new)) + "::text[]");
            }
            values.stream()
                    .filter(v -> v.getValueType() == JsonValue.ValueType.ARRAY)
                    .forEach(v -> parts.add(eq(t, v)));
            return parts.isEmpty() ? FALSE : String.join(" OR ", parts);
        }
        // parameters are bound in the order the SQL text is written: the scalars' one path first
        List<String> scalars = new ArrayList<>();
        for (JsonValue v : values) {
            if (isScalar(v)) {
                scalars.add("(" + typedEquals(v) + ")");
            }
        }
        if (!scalars.isEmpty()) {
            parts.add(pathExists(t, String.join(" || ", scalars)));
        }
        for (JsonValue v : values) {
            if (!isScalar(v)) {
                parts.add("(" + eq(t, v) + ")");
            }
        }
        return parts.isEmpty() ? FALSE : String.join(" OR ", parts);
    }

    private String all(Target t, JsonArray values) {
        if (values.isEmpty()) {
            return FALSE;
        }
        if (t.field().kind() == Kind.TEXT_ARRAY) {
            String[] strings = strings(values);
            if (strings != null) {
                return t.field().sql() + " @> " + bind(strings) + "::text[]";
            }
        }
        List<String> parts = new ArrayList<>();
        values.forEach(v -> parts.add("(" + eq(t, v) + ")"));
        return String.join(" AND ", parts);
    }

    private String compare(Target t, Op op, JsonValue v) {
        String sqlOp = switch (op) {
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            default -> "<=";
        };
        Kind kind = t.field().kind();
        if (kind != Kind.JSONB) {
            if (!(v instanceof JsonString s)) {
                return FALSE;
            }
            String value = bind(s.getString());
            return switch (kind) {
                case VERSION ->
                    "\"_deriva_ml\".version_key(" + t.field().sql() + ") COLLATE \"C\" " + sqlOp
                            + " \"_deriva_ml\".version_key(" + value + ") COLLATE \"C\"";
                case TEXT_ARRAY ->
                    "EXISTS (SELECT 1 FROM unnest(" + t.field().sql() + ") AS u(x) WHERE u.x COLLATE \"C\" " + sqlOp
                            + " " + value + ")";
                default -> t.field().sql() + " COLLATE \"C\" " + sqlOp + " " + value;
            };
        }
        String type = v.getValueType() == JsonValue.ValueType.STRING ? "string" : "number";
        return pathExists(t, "@.type() == \"" + type + "\" && @ " + sqlOp + " " + literal(v));
    }

    private String exists(Target t, boolean exists) {
        String sql = source(t) + " @?? " + bind(path(t.rest())) + "::jsonpath";
        return exists ? sql : "NOT " + sql;
    }

    private String elemMatch(ElemMatch m, Target t) {
        Kind kind = t.field().kind();
        if (kind == Kind.TEXT || kind == Kind.VERSION) {
            return FALSE;
        }
        int n = ++aliases;
        String v = "m" + n;
        String e = "me" + n;
        String pathParameter = bind(path(t.rest()));
        return "EXISTS (SELECT 1 FROM jsonb_path_query(" + source(t) + ", " + pathParameter + "::jsonpath) " + v
                + ", jsonb_array_elements(CASE WHEN jsonb_typeof(" + v + ") = 'array' THEN " + v
                + " ELSE '[]'::jsonb END) " + e
                + " WHERE " + node(m.element(), e) + ")";
    }

    /**
     * Some value at the path (arrays entered, one level) satisfies the SQL/JSON filter. Bare, so a
     * GIN index can serve it: the sources are never null, and {@code @?} is then never null.
     */
    private String pathExists(Target t, String filter) {
        return source(t) + " @?? " + bind(path(t.rest()) + " ? (" + filter + ")") + "::jsonpath";
    }

    /** The field as jsonb. */
    private static String source(Target t) {
        return t.field().kind() == Kind.JSONB
                ? t.field().sql()
                : "to_jsonb(" + t.field().sql() + ")";
    }

    // ---- SQL/JSON path text

    private static String path(List<String> keys) {
        StringBuilder path = new StringBuilder("lax $");
        keys.forEach(k -> path.append('.').append(string(k)));
        return path.toString();
    }

    private static String typedEquals(JsonValue v) {
        return switch (v.getValueType()) {
            case STRING -> "@.type() == \"string\" && @ == " + literal(v);
            case NUMBER -> "@.type() == \"number\" && @ == " + literal(v);
            case TRUE, FALSE -> "@.type() == \"boolean\" && @ == " + v;
            default -> "@.type() == \"null\"";
        };
    }

    private static String literal(JsonValue v) {
        if (v instanceof JsonString s) {
            return string(s.getString());
        }
        BigDecimal d = ((JsonNumber) v).bigDecimalValue();
        String plain = d.abs().toPlainString();
        return d.signum() < 0 ? "(-" + plain + ")" : plain;
    }

    /** A string literal of the SQL/JSON path language: JSON's escapes. */
    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean isScalar(JsonValue v) {
        return switch (v.getValueType()) {
            case STRING, NUMBER, TRUE, FALSE -> true;
            default -> false;
        };
    }

    private static String[] strings(JsonValue v) {
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonValue e : v.asJsonArray()) {
            if (!(e instanceof JsonString s)) {
                return null;
            }
            out.add(s.getString());
        }
        return out.toArray(String[]::new);
    }

    private String bind(Object value) {
        parameters.add(value);
        return "?";
    }
}
