package dev.cairn.registry.control;

import dev.cairn.platform.CairnException;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * MongoDB-style query documents, parsed into a tree that {@link FilterSql} compiles to SQL.
 *
 * <p>A query is an object: each field (a dotted path such as {@code asset_metadata.type}) maps to
 * a value, which is an equality, or an object of operators ({@code $eq $ne $gt $gte $lt $lte $in
 * $nin $all $exists $regex $options $size $elemMatch $not}); {@code $and}, {@code $or} and
 * {@code $nor} take arrays of queries. A value that is an object without operators, or an array,
 * is matched by example (AIOS's equality form): every field of the object must match (as the
 * dotted path would), every element of the array must be present ({@code $all}). {@code $eq}
 * keeps MongoDB's exact equality. Anything else is a 400 that names what was not understood.
 */
public final class MongoFilter {

    /** Bounds on what one query may ask, so that a hostile query cannot make huge SQL. */
    public static final int MAX_DEPTH = 16;

    public static final int MAX_CONDITIONS = 500;
    public static final int MAX_LIST = 10_000;
    public static final int MAX_PATH = 32;
    private static final int MAX_SEGMENT = 256;
    private static final int MAX_REGEX = 1_000;

    public enum Op {
        EQ,
        NE,
        GT,
        GTE,
        LT,
        LTE,
        IN,
        NIN,
        ALL,
        EXISTS,
        SIZE,
        REGEX
    }

    /** A node of a parsed query. */
    public sealed interface Node permits And, Or, Not, Condition, ElemMatch {}

    /** Every part matches; an empty {@code And} matches everything. */
    public record And(List<Node> parts) implements Node {}

    /** Some part matches; an empty {@code Or} matches nothing. */
    public record Or(List<Node> parts) implements Node {}

    public record Not(Node part) implements Node {}

    /**
     * One operator on the values at a path. {@code value} is the operand: a JSON value, an array
     * for {@code $in}, {@code $nin} and {@code $all}, a boolean for {@code $exists}, an integer for
     * {@code $size}, the pattern (a string) for {@code $regex} with its {@code options}.
     */
    public record Condition(List<String> path, Op op, JsonValue value, String options) implements Node {}

    /** Some element of an array at {@code path} matches {@code element}, whose paths are relative to the element. */
    public record ElemMatch(List<String> path, Node element) implements Node {}

    private int conditions;

    private MongoFilter() {}

    /** Parses a query document; 400 naming the first thing it does not understand. */
    public static Node parse(JsonObject query) {
        if (query == null) {
            throw new CairnException.BadRequest(
                    "Send a query object, such as {\"asset_tags\": {\"$in\": [\"sample\"]}}; {} matches every asset.");
        }
        return new MongoFilter().query(query, List.of(), 0);
    }

    private Node query(JsonObject query, List<String> prefix, int depth) {
        depth(depth);
        List<Node> parts = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : query.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("$")) {
                parts.add(logical(key, e.getValue(), prefix, depth));
            } else {
                parts.add(field(append(prefix, split(key)), e.getValue(), depth + 1));
            }
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    private Node logical(String operator, JsonValue value, List<String> prefix, int depth) {
        if (!operator.equals("$and") && !operator.equals("$or") && !operator.equals("$nor")) {
            throw new CairnException.BadRequest("Unknown query operator " + operator
                    + " at the top of a query: use $and, $or or $nor, " + "or name a field.");
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY
                || value.asJsonArray().isEmpty()) {
            throw new CairnException.BadRequest(operator + " takes a non-empty array of queries.");
        }
        List<Node> parts = new ArrayList<>();
        for (JsonValue q : value.asJsonArray()) {
            if (q.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new CairnException.BadRequest(
                        operator + " takes an array of query objects, not " + q.getValueType() + ".");
            }
            parts.add(query(q.asJsonObject(), prefix, depth + 1));
        }
        return switch (operator) {
            case "$and" -> new And(parts);
            case "$or" -> new Or(parts);
            default -> new Not(new Or(parts));
        };
    }

    /** The condition on one field: an equality, an object of operators, or an example. */
    private Node field(List<String> path, JsonValue value, int depth) {
        depth(depth);
        if (value.getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObject object = value.asJsonObject();
            long operators =
                    object.keySet().stream().filter(k -> k.startsWith("$")).count();
            if (operators > 0 && operators < object.size()) {
                throw new CairnException.BadRequest("The value of " + String.join(".", path)
                        + " mixes operators and fields; use either {\"$op\": ...} or an example object.");
            }
            if (operators > 0) {
                return operators(path, object, depth);
            }
            List<Node> parts = new ArrayList<>();
            object.forEach((k, v) -> parts.add(field(append(path, List.of(k)), v, depth + 1)));
            return parts.size() == 1 ? parts.get(0) : new And(parts);
        }
        if (value.getValueType() == JsonValue.ValueType.ARRAY
                && !value.asJsonArray().isEmpty()) {
            return condition(path, Op.ALL, list("an example array", value), null);
        }
        return condition(path, Op.EQ, scalarOrAny(value), null);
    }

    private Node operators(List<String> path, JsonObject object, int depth) {
        depth(depth);
        List<Node> parts = new ArrayList<>();
        String where = String.join(".", path);
        if (object.containsKey("$options") && !object.containsKey("$regex")) {
            throw new CairnException.BadRequest("$options of " + where + " needs a $regex beside it.");
        }
        for (Map.Entry<String, JsonValue> e : object.entrySet()) {
            JsonValue v = e.getValue();
            switch (e.getKey()) {
                case "$eq" -> parts.add(condition(path, Op.EQ, scalarOrAny(v), null));
                case "$ne" -> parts.add(condition(path, Op.NE, scalarOrAny(v), null));
                case "$gt" -> parts.add(condition(path, Op.GT, comparable("$gt", where, v), null));
                case "$gte" -> parts.add(condition(path, Op.GTE, comparable("$gte", where, v), null));
                case "$lt" -> parts.add(condition(path, Op.LT, comparable("$lt", where, v), null));
                case "$lte" -> parts.add(condition(path, Op.LTE, comparable("$lte", where, v), null));
                case "$in" -> parts.add(condition(path, Op.IN, list("$in of " + where, v), null));
                case "$nin" -> parts.add(condition(path, Op.NIN, list("$nin of " + where, v), null));
                case "$all" -> parts.add(condition(path, Op.ALL, list("$all of " + where, v), null));
                case "$exists" -> {
                    if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
                        throw new CairnException.BadRequest("$exists of " + where + " takes true or false.");
                    }
                    parts.add(condition(path, Op.EXISTS, v, null));
                }
                case "$size" -> {
                    if (!(v instanceof JsonNumber n)
                            || !n.isIntegral()
                            || n.bigDecimalValue().signum() < 0
                            || n.bigDecimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                        throw new CairnException.BadRequest("$size of " + where + " takes a non-negative integer.");
                    }
                    parts.add(condition(path, Op.SIZE, v, null));
                }
                case "$regex" -> parts.add(regex(path, v, object.get("$options")));
                case "$options" -> {
                    // read with $regex
                }
                case "$elemMatch" -> {
                    if (v.getValueType() != JsonValue.ValueType.OBJECT
                            || v.asJsonObject().isEmpty()) {
                        throw new CairnException.BadRequest("$elemMatch of " + where + " takes a non-empty object.");
                    }
                    JsonObject inner = v.asJsonObject();
                    boolean operatorForm = inner.keySet().stream()
                            .allMatch(k ->
                                    k.startsWith("$") && !k.equals("$and") && !k.equals("$or") && !k.equals("$nor"));
                    Node element =
                            operatorForm ? operators(List.of(), inner, depth + 1) : query(inner, List.of(), depth + 1);
                    count();
                    parts.add(new ElemMatch(path, element));
                }
                case "$not" -> {
                    if (v.getValueType() != JsonValue.ValueType.OBJECT
                            || v.asJsonObject().isEmpty()
                            || !v.asJsonObject().keySet().stream().allMatch(k -> k.startsWith("$"))) {
                        throw new CairnException.BadRequest(
                                "$not of " + where + " takes an object of operators, such as {\"$gt\": 5}.");
                    }
                    parts.add(new Not(operators(path, v.asJsonObject(), depth + 1)));
                }
                default ->
                    throw new CairnException.BadRequest(
                            "Unknown query operator " + e.getKey() + " on " + where
                                    + "; Cairn understands $eq $ne $gt $gte $lt $lte $in $nin $all $exists $regex $options $size $elemMatch $not.");
            }
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    private Node regex(List<String> path, JsonValue pattern, JsonValue options) {
        String where = String.join(".", path);
        if (!(pattern instanceof JsonString s) || s.getString().length() > MAX_REGEX) {
            throw new CairnException.BadRequest(
                    "$regex of " + where + " takes a pattern string of at most " + MAX_REGEX + " characters.");
        }
        String flags = "";
        if (options != null) {
            if (!(options instanceof JsonString o) || !o.getString().matches("[imsx]*")) {
                throw new CairnException.BadRequest("$options of " + where + " takes letters among i, m, s and x.");
            }
            flags = o.getString()
                    .chars()
                    .distinct()
                    .sorted()
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
        }
        String text = s.getString();
        if (flags.contains("x")) {
            // PostgreSQL's like_regex has no x flag: the pattern is expanded here, as MongoDB reads it
            text = unextended(text);
            flags = flags.replace("x", "");
        }
        try {
            Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new CairnException.BadRequest(
                    "$regex of " + where + " is not a regular expression: " + e.getDescription() + ".");
        }
        return condition(path, Op.REGEX, Json.createValue(text), flags);
    }

    /**
     * An extended ({@code x}) pattern as a plain one: whitespace and {@code #} comments to the end
     * of the line are dropped, except when escaped or inside a character class.
     */
    static String unextended(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '\\' && i + 1 < pattern.length()) {
                out.append(ch).append(pattern.charAt(++i));
            } else if (inClass) {
                out.append(ch);
                inClass = ch != ']';
            } else if (ch == '[') {
                out.append(ch);
                inClass = true;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    out.append(pattern.charAt(++i)); // a ']' first in a class is a member
                }
            } else if (ch == '#') {
                while (i + 1 < pattern.length() && pattern.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (!Character.isWhitespace(ch)) {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private Condition condition(List<String> path, Op op, JsonValue value, String options) {
        count();
        return new Condition(path, op, value, options);
    }

    private static JsonValue comparable(String op, String where, JsonValue v) {
        if (v.getValueType() != JsonValue.ValueType.STRING && v.getValueType() != JsonValue.ValueType.NUMBER) {
            throw new CairnException.BadRequest(op + " of " + where + " takes a number or a string.");
        }
        return number(v);
    }

    private static JsonValue list(String what, JsonValue v) {
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new CairnException.BadRequest(what + " takes an array.");
        }
        if (v.asJsonArray().size() > MAX_LIST) {
            throw new CairnException.BadRequest(what + " has more than " + MAX_LIST + " values.");
        }
        v.asJsonArray().forEach(MongoFilter::scalarOrAny);
        return v;
    }

    /** Any JSON value as an operand; numbers are checked to have a sane exponent. */
    private static JsonValue scalarOrAny(JsonValue v) {
        number(v);
        if (v.getValueType() == JsonValue.ValueType.ARRAY) {
            v.asJsonArray().forEach(MongoFilter::scalarOrAny);
        } else if (v.getValueType() == JsonValue.ValueType.OBJECT) {
            v.asJsonObject().values().forEach(MongoFilter::scalarOrAny);
        }
        return v;
    }

    private static JsonValue number(JsonValue v) {
        if (v instanceof JsonNumber n) {
            BigDecimal d = n.bigDecimalValue();
            if (Math.abs((long) d.precision() - d.scale()) > 1000 || Math.abs(d.scale()) > 1000) {
                throw new CairnException.BadRequest("The number " + n + " in the query is out of range.");
            }
        }
        return v;
    }

    private static List<String> split(String key) {
        String[] segments = key.split("\\.", -1);
        for (String s : segments) {
            if (s.isEmpty() || s.length() > MAX_SEGMENT) {
                throw new CairnException.BadRequest(
                        "The field path '" + (key.length() > 100 ? key.substring(0, 100) + "..." : key)
                                + "' has an empty or overlong segment.");
            }
        }
        return List.of(segments);
    }

    private static List<String> append(List<String> prefix, List<String> more) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(more);
        if (all.size() > MAX_PATH) {
            throw new CairnException.BadRequest("A field path has more than " + MAX_PATH + " segments.");
        }
        return List.copyOf(all);
    }

    private void count() {
        if (++conditions > MAX_CONDITIONS) {
            throw new CairnException.BadRequest("The query has more than " + MAX_CONDITIONS + " conditions.");
        }
    }

    private static void depth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new CairnException.BadRequest("The query nests deeper than " + MAX_DEPTH + " levels.");
        }
    }
}
