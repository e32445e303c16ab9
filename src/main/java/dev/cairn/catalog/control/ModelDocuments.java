package dev.cairn.catalog.control;

import dev.cairn.platform.CairnException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reading ERMrest model documents strictly: each field has the JSON type the protocol gives it, a
 * field Cairn does not know is refused (so nothing a client sends is dropped in silence), and the
 * read-only fields of a representation that clients echo back ({@code RID}, {@code rights},
 * {@code kind}...) are let through. Every mistake is a 400 naming the field.
 */
public final class ModelDocuments {

    static final Set<String> SCHEMA_FIELDS = Set.of("schema_name", "comment", "annotations", "tables", "acls");
    static final Set<String> TABLE_FIELDS = Set.of(
            "schema_name",
            "table_name",
            "column_definitions",
            "keys",
            "foreign_keys",
            "comment",
            "annotations",
            "acls",
            "acl_bindings",
            "kind");
    static final Set<String> COLUMN_FIELDS =
            Set.of("name", "type", "nullok", "default", "comment", "annotations", "acls", "acl_bindings");
    static final Set<String> KEY_FIELDS = Set.of("unique_columns", "names", "comment", "annotations");
    static final Set<String> FOREIGN_KEY_FIELDS = Set.of(
            "foreign_key_columns",
            "referenced_columns",
            "names",
            "on_update",
            "on_delete",
            "comment",
            "annotations",
            "acls",
            "acl_bindings");
    /** Fields of a representation that describe the server's state; clients echo them back, and they change nothing. */
    private static final Set<String> READ_ONLY = Set.of("RID", "rights", "column_definitions_rights", "is_domain");

    private static final Set<String> ACTIONS = Set.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private ModelDocuments() {}

    /** 400 unless {@code value} is a JSON object; {@code what} names it in the problem. */
    static JsonObject object(JsonValue value, String what) {
        if (!(value instanceof JsonObject o)) {
            throw new CairnException.BadRequest(what + " must be a JSON object.");
        }
        return o;
    }

    /** 400 naming the first field that is neither allowed nor read-only. */
    static void fields(JsonObject doc, String what, Set<String> allowed) {
        for (String field : doc.keySet()) {
            if (!allowed.contains(field) && !READ_ONLY.contains(field)) {
                throw new CairnException.BadRequest(what + " has no field \"" + field + "\"; it takes "
                        + String.join(", ", new TreeSet<>(allowed)) + ".");
            }
        }
    }

    static String string(JsonObject doc, String field, String what) {
        if (!(doc.get(field) instanceof JsonString s)) {
            throw new CairnException.BadRequest(what + " needs \"" + field + "\", a string.");
        }
        return s.getString();
    }

    /** A string field that may be absent or null (then null). */
    static String optionalString(JsonObject doc, String field, String what) {
        JsonValue value = doc.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString s)) {
            throw new CairnException.BadRequest(what + ": \"" + field + "\" must be a string or null.");
        }
        return s.getString();
    }

    static JsonArray array(JsonObject doc, String field, String what) {
        if (!(doc.get(field) instanceof JsonArray a)) {
            throw new CairnException.BadRequest(what + " needs \"" + field + "\", a list.");
        }
        return a;
    }

    static JsonArray optionalArray(JsonObject doc, String field, String what) {
        JsonValue value = doc.get(field);
        return value == null || value == JsonValue.NULL ? JsonValue.EMPTY_JSON_ARRAY : array(doc, field, what);
    }

    /** The items of a list that must all be objects. */
    static List<JsonObject> objects(JsonArray array, String what) {
        for (JsonValue v : array) {
            object(v, what);
        }
        return array.getValuesAs(JsonObject.class);
    }

    static List<String> strings(JsonArray array, String what) {
        for (JsonValue v : array) {
            if (!(v instanceof JsonString)) {
                throw new CairnException.BadRequest(what + " must be a list of strings.");
            }
        }
        return array.getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }

    /** The {@code annotations} of a document: absent or null is none, otherwise an object keyed by annotation URI. */
    static Map<String, JsonValue> annotations(JsonObject doc, String what) {
        JsonValue value = doc.get("annotations");
        if (value == null || value == JsonValue.NULL) {
            return Map.of();
        }
        Map<String, JsonValue> annotations = new LinkedHashMap<>(object(value, what + ": \"annotations\""));
        annotations.keySet().forEach(ModelDocuments::checkAnnotationKey);
        return annotations;
    }

    static void checkAnnotationKey(String key) {
        if (key.isEmpty() || key.length() > 1000 || CONTROL.matcher(key).find()) {
            throw new CairnException.BadRequest(
                    "An annotation key is a URI of 1 to 1,000 characters without control characters.");
        }
    }

    /**
     * Prefixes under which an element's ACLs and ACL bindings travel with its annotations through
     * the DDL steps to {@code _ermrest.acl}. No annotation key can start with them: control
     * characters are refused in annotation keys.
     */
    static final String ACL_KEY = "\u0000acl:";

    static final String BINDING_KEY = "\u0000binding:";

    /**
     * The annotations of a document together with its {@code acls} and {@code acl_bindings} (under
     * {@link #ACL_KEY} and {@link #BINDING_KEY}), checked for an element of this kind.
     */
    static Map<String, JsonValue> properties(JsonObject doc, Acls.Kind kind, String what) {
        Map<String, JsonValue> properties = new LinkedHashMap<>(annotations(doc, what));
        JsonValue acls = doc.get("acls");
        if (acls != null && acls != JsonValue.NULL) {
            acls(object(acls, what + ": \"acls\""), kind, what)
                    .forEach((access, roles) -> properties.put(ACL_KEY + access, roles));
        }
        JsonValue bindings = doc.get("acl_bindings");
        if (bindings != null && bindings != JsonValue.NULL) {
            if (kind.bindable()) {
                bindings(object(bindings, what + ": \"acl_bindings\""), what)
                        .forEach((name, binding) -> properties.put(BINDING_KEY + name, binding));
            } else if (!(bindings instanceof JsonObject o && o.isEmpty())) {
                throw new CairnException.BadRequest(what + " takes no \"acl_bindings\".");
            }
        }
        return properties;
    }

    /** ACLs: each access mode of this kind of element names a list of roles, or null (not set: inherited). */
    public static Map<String, JsonValue> acls(Map<String, JsonValue> acls, Acls.Kind kind, String what) {
        Map<String, JsonValue> checked = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> acl : acls.entrySet()) {
            String access = acl.getKey();
            if (!kind.accesses().contains(access)) {
                throw new CairnException.BadRequest(what + " has no ACL \"" + access + "\"; its ACLs are "
                        + String.join(", ", kind.accesses()) + ".");
            }
            if (acl.getValue() == JsonValue.NULL) {
                continue;
            }
            roles(acl.getValue(), what + ": ACL " + access);
            checked.put(access, acl.getValue());
        }
        return checked;
    }

    /** A list of roles: client ids, group attributes or {@code *}. */
    public static List<String> roles(JsonValue value, String what) {
        if (!(value instanceof JsonArray array) || array.size() > 1000) {
            throw new CairnException.BadRequest(
                    what + " is a list of up to 1,000 roles (client ids, group ids or \"*\").");
        }
        List<String> roles = new ArrayList<>();
        for (JsonValue role : array) {
            if (!(role instanceof JsonString r)
                    || r.getString().isEmpty()
                    || r.getString().length() > 500
                    || CONTROL.matcher(r.getString()).find()) {
                throw new CairnException.BadRequest(what + ": a role is a non-empty string of at most 500 characters.");
            }
            roles.add(r.getString());
        }
        return roles;
    }

    /**
     * ACL bindings: each is {@code false} (suppresses an inherited binding) or an object with
     * {@code types} (access modes), {@code projection} (a column name, or a path as a list ending in
     * a column) and optionally {@code projection_type} ({@code acl} or {@code nonnull}),
     * {@code scope_acl} and {@code comment}.
     */
    public static Map<String, JsonValue> bindings(Map<String, JsonValue> bindings, String what) {
        for (Map.Entry<String, JsonValue> binding : bindings.entrySet()) {
            String name = binding.getKey();
            String where = what + ": ACL binding " + name;
            if (name.isEmpty() || name.length() > 200) {
                throw new CairnException.BadRequest(what + ": an ACL binding name has 1 to 200 characters.");
            }
            JsonValue value = binding.getValue();
            if (value == JsonValue.FALSE) {
                continue;
            }
            JsonObject doc = object(value, where);
            fields(doc, where, Set.of("types", "projection", "projection_type", "scope_acl", "comment"));
            List<String> types = strings(doc.get("types"), where + ": \"types\"");
            if (types.isEmpty() || !Acls.Kind.TABLE.accesses().containsAll(types)) {
                throw new CairnException.BadRequest(where + ": \"types\" lists access modes among "
                        + String.join(", ", Acls.Kind.TABLE.accesses()) + ".");
            }
            JsonValue projection = doc.get("projection");
            if (!(projection instanceof JsonString || projection instanceof JsonArray)) {
                throw new CairnException.BadRequest(where + ": \"projection\" is a column name or a path (a list).");
            }
            JsonValue type = doc.get("projection_type");
            if (type != null
                    && !(type instanceof JsonString t
                            && (t.getString().equals("acl") || t.getString().equals("nonnull")))) {
                throw new CairnException.BadRequest(where + ": \"projection_type\" is \"acl\" or \"nonnull\".");
            }
            if (doc.containsKey("scope_acl")) {
                roles(doc.get("scope_acl"), where + ": \"scope_acl\"");
            }
        }
        return bindings;
    }

    private static List<String> strings(JsonValue value, String what) {
        if (!(value instanceof JsonArray array) || !array.stream().allMatch(v -> v instanceof JsonString)) {
            throw new CairnException.BadRequest(what + " is a list of strings.");
        }
        return array.getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }

    /** ACL fields are set through {@code .../acl} and {@code .../acl_binding}, not by altering an element. */
    static void noAcls(JsonObject doc, String what) {
        for (String field : List.of("acls", "acl_bindings")) {
            JsonValue value = doc.get(field);
            if (value != null && value != JsonValue.NULL && !(value instanceof JsonObject o && o.isEmpty())) {
                throw new CairnException.BadRequest(what + ": \"" + field
                        + "\" cannot be changed by altering the element; " + "PUT them at .../acl or .../acl_binding.");
            }
        }
    }

    static boolean optionalBoolean(JsonObject doc, String field, boolean absent, String what) {
        JsonValue value = doc.get(field);
        if (value == null || value == JsonValue.NULL) {
            return absent;
        }
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw new CairnException.BadRequest(what + ": \"" + field + "\" must be true or false.");
        }
        return value == JsonValue.TRUE;
    }

    static String action(JsonObject fk, String field) {
        String given = optionalString(fk, field, "A foreign key");
        String action = given == null ? "NO ACTION" : given.toUpperCase(Locale.ROOT);
        if (!ACTIONS.contains(action)) {
            throw new CairnException.BadRequest(
                    "A foreign key's \"" + field + "\" is one of " + new TreeSet<>(ACTIONS) + ".");
        }
        return action;
    }

    /** The constraint name in {@code "names": [["schema", "name"]]}, or null when there is none. */
    static String constraintName(JsonObject doc, String what) {
        JsonValue value = doc.get("names");
        if (value == null || value == JsonValue.NULL || (value instanceof JsonArray a && a.isEmpty())) {
            return null;
        }
        if (!(value instanceof JsonArray names)
                || !(names.get(0) instanceof JsonArray first)
                || first.isEmpty()
                || !first.stream().allMatch(v -> v instanceof JsonString)) {
            throw new CairnException.BadRequest(what + ": \"names\" is a list of [schema, name] pairs.");
        }
        String name = first.getString(first.size() - 1);
        checkName("constraint", name);
        return name;
    }

    /** A column default as SQL literal text: a string, number or boolean. */
    static String scalar(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue().toPlainString();
            case TRUE -> "true";
            case FALSE -> "false";
            default -> throw new CairnException.BadRequest("A column default is a string, number or boolean.");
        };
    }

    static void checkName(String what, String name) {
        if (name == null
                || name.isEmpty()
                || name.getBytes(StandardCharsets.UTF_8).length > 63
                || CONTROL.matcher(name).find()) {
            throw new CairnException.BadRequest("A " + what + " name has 1 to 63 bytes and no control characters.");
        }
    }
}
