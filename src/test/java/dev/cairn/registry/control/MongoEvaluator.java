package dev.cairn.registry.control;

import dev.cairn.registry.control.MongoFilter.And;
import dev.cairn.registry.control.MongoFilter.Condition;
import dev.cairn.registry.control.MongoFilter.ElemMatch;
import dev.cairn.registry.control.MongoFilter.Node;
import dev.cairn.registry.control.MongoFilter.Not;
import dev.cairn.registry.control.MongoFilter.Or;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The semantics {@link FilterSql} documents, evaluated in memory on documents, written
 * independently of the SQL: the property test holds the two against each other. A path's values
 * are found by entering arrays one level at each step; a value that is an array is matched by its
 * elements; comparisons compare like types; {@code asset_version.version} orders semver-aware.
 */
public final class MongoEvaluator {

    private static final List<String> VERSION = List.of("asset_version", "version");

    private MongoEvaluator() {}

    public static boolean matches(JsonObject document, Node query) {
        return eval(query, document, true);
    }

    private static boolean eval(Node node, JsonValue root, boolean top) {
        if (node instanceof And and) {
            return and.parts().stream().allMatch(p -> eval(p, root, top));
        }
        if (node instanceof Or or) {
            return or.parts().stream().anyMatch(p -> eval(p, root, top));
        }
        if (node instanceof Not not) {
            return !eval(not.part(), root, top);
        }
        if (node instanceof ElemMatch m) {
            for (JsonValue x : resolve(root, m.path())) {
                if (x instanceof JsonArray array && array.stream().anyMatch(e -> eval(m.element(), e, false))) {
                    return true;
                }
            }
            return false;
        }
        Condition c = (Condition) node;
        return condition(c, resolve(root, c.path()), top && c.path().equals(VERSION));
    }

    private static boolean condition(Condition c, List<JsonValue> values, boolean version) {
        return switch (c.op()) {
            case EQ -> eq(values, c.value());
            case NE -> !eq(values, c.value());
            case IN -> c.value().asJsonArray().stream().anyMatch(v -> eq(values, v));
            case NIN -> c.value().asJsonArray().stream().noneMatch(v -> eq(values, v));
            case ALL ->
                !c.value().asJsonArray().isEmpty()
                        && c.value().asJsonArray().stream().allMatch(v -> eq(values, v));
            case EXISTS -> !values.isEmpty() == (c.value() == JsonValue.TRUE);
            case SIZE ->
                values.stream()
                        .anyMatch(x -> x instanceof JsonArray a && a.size() == ((JsonNumber) c.value()).intValue());
            case GT, GTE, LT, LTE -> candidates(values).stream().anyMatch(x -> compare(c.op(), x, c.value(), version));
            case REGEX -> {
                int flags = (c.options().contains("i") ? Pattern.CASE_INSENSITIVE : 0)
                        | (c.options().contains("m") ? Pattern.MULTILINE : 0)
                        | (c.options().contains("s") ? Pattern.DOTALL : 0)
                        | (c.options().contains("x") ? Pattern.COMMENTS : 0);
                Pattern p = Pattern.compile(((JsonString) c.value()).getString(), flags);
                yield candidates(values).stream()
                        .anyMatch(x -> x instanceof JsonString s
                                && p.matcher(s.getString()).find());
            }
        };
    }

    private static boolean eq(List<JsonValue> values, JsonValue v) {
        switch (v.getValueType()) {
            case NULL:
                return values.isEmpty() || candidates(values).stream().anyMatch(x -> x == JsonValue.NULL);
            case ARRAY:
            case OBJECT:
                return values.stream()
                        .anyMatch(x -> same(x, v)
                                || (x instanceof JsonArray a && a.stream().anyMatch(e -> same(e, v))));
            default:
                return candidates(values).stream().anyMatch(x -> x.getValueType() == v.getValueType() && same(x, v));
        }
    }

    private static boolean compare(MongoFilter.Op op, JsonValue x, JsonValue v, boolean version) {
        int cmp;
        if (x instanceof JsonNumber a && v instanceof JsonNumber b) {
            cmp = a.bigDecimalValue().compareTo(b.bigDecimalValue());
        } else if (x instanceof JsonString a && v instanceof JsonString b) {
            cmp = version
                    ? VersionOrder.BY_KEY.compare(VersionOrder.key(a.getString()), VersionOrder.key(b.getString()))
                    : VersionOrder.BY_KEY.compare(a.getString(), b.getString());
        } else {
            return false;
        }
        return switch (op) {
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            case LT -> cmp < 0;
            default -> cmp <= 0;
        };
    }

    /** Deep equality; numbers by value. */
    static boolean same(JsonValue a, JsonValue b) {
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.bigDecimalValue().compareTo(y.bigDecimalValue()) == 0;
        }
        if (a instanceof JsonArray x && b instanceof JsonArray y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof JsonObject x && b instanceof JsonObject y) {
            return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        return a.equals(b);
    }

    /** The values at a path: keys of objects, entering arrays one level at each step. */
    private static List<JsonValue> resolve(JsonValue root, List<String> path) {
        List<JsonValue> current = List.of(root);
        for (String key : path) {
            List<JsonValue> next = new ArrayList<>();
            for (JsonValue v : current) {
                if (v instanceof JsonObject o && o.containsKey(key)) {
                    next.add(o.get(key));
                } else if (v instanceof JsonArray a) {
                    for (JsonValue e : a) {
                        if (e instanceof JsonObject o && o.containsKey(key)) {
                            next.add(o.get(key));
                        }
                    }
                }
            }
            current = next;
        }
        return current;
    }

    /** A value that is an array is matched by its elements. */
    private static List<JsonValue> candidates(List<JsonValue> values) {
        List<JsonValue> out = new ArrayList<>();
        for (JsonValue v : values) {
            if (v instanceof JsonArray a) {
                out.addAll(a);
            } else {
                out.add(v);
            }
        }
        return out;
    }
}
