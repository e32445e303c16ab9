package dev.cairn.registry.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.store.control.HatracPath;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * AIOS's AssetObject as a request body: {@code asset_name}, {@code asset_version} ({@code
 * version}, {@code tag}), {@code asset_metadata}, {@code asset_tags}, {@code asset_public_url},
 * {@code asset_file_info}, with Cairn's {@code asset_namespace}, {@code asset_kind},
 * {@code asset_description} and {@code execution} (the RID of the execution that produced it).
 * The fields the server assigns ({@code asset_uri}, {@code asset_id}, {@code assets_db_id}) may
 * be sent empty, as the seed's dataclass defaults them. Any other field is a 400.
 */
public final class AssetJson {

    /**
     * The fields of the AssetObject an answer shows (AIOS's, with Cairn's namespace, kind and
     * description), in order.
     */
    public static final List<String> OBJECT_FIELDS = List.of(
            "asset_uri",
            "asset_name",
            "asset_id",
            "assets_db_id",
            "asset_version",
            "asset_metadata",
            "asset_public_url",
            "asset_file_info",
            "asset_tags",
            "asset_namespace",
            "asset_kind",
            "asset_description");

    /** The fields a request body may give: the AssetObject's and what typed assets add. */
    public static final List<String> FIELDS = Stream.concat(
                    OBJECT_FIELDS.stream(),
                    Stream.of(
                            "execution",
                            "specs",
                            "declarative_schema",
                            "metrics",
                            "lineage",
                            "parents",
                            "connection_string",
                            "step",
                            "provenance",
                            "relationships",
                            "access_control"))
            .toList();

    private AssetJson() {}

    /** The asset a body describes; {@code namespace} applies when the body names none. Absent fields are null. */
    public static Registry.Asset asset(JsonObject body, String namespace) {
        JsonBodies.only(body, "An asset", FIELDS.toArray(String[]::new));
        String version = null;
        String tag = null;
        JsonValue v = body.get("asset_version");
        if (v != null && v != JsonValue.NULL) {
            if (v.getValueType()
                    == JsonValue.ValueType
                            .STRING) { // flowyml and the Asset Manager design pass a version as a plain string
                v = JsonBodies.JSON.createObjectBuilder().add("version", v).build();
            }
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new CairnException.BadRequest("asset_version is an object {\"version\": ..., \"tag\": ...}.");
            }
            JsonBodies.only(v.asJsonObject(), "asset_version", "version", "tag");
            version = emptyAsNull(JsonBodies.optionalString(v.asJsonObject(), "version"));
            tag = JsonBodies.optionalString(v.asJsonObject(), "tag");
        }
        String ns = JsonBodies.optionalString(body, "asset_namespace");
        return new Registry.Asset(
                ns != null ? ns : namespace,
                JsonBodies.optionalString(body, "asset_name"),
                version,
                tag,
                object(body, "asset_metadata"),
                JsonBodies.optionalStrings(body, "asset_tags"),
                JsonBodies.optionalString(body, "asset_public_url"),
                object(body, "asset_file_info"),
                emptyAsNull(JsonBodies.optionalString(body, "asset_kind")),
                JsonBodies.optionalString(body, "asset_description"),
                emptyAsNull(JsonBodies.optionalString(body, "execution")),
                typed(body));
    }

    /** A new asset: name and version are required; server-assigned fields must be empty or agree. */
    public static Registry.Asset newAsset(JsonObject body, String namespace) {
        Registry.Asset asset = asset(body, namespace);
        if (asset.name() == null || asset.name().isEmpty()) {
            throw new CairnException.BadRequest(
                    "An asset needs asset_name, e.g. {\"asset_name\": \"SampleAsset\", "
                            + "\"asset_version\": {\"version\": \"1.0\", \"tag\": \"initial\"}}; without a version it gets the next one.");
        }
        checkName(asset.name(), asset.version(), asset.tag());
        for (String assigned : List.of("asset_id", "assets_db_id")) {
            String given = JsonBodies.optionalString(body, assigned);
            if (given != null && !given.isEmpty()) {
                throw new CairnException.BadRequest(
                        assigned + " is assigned by the server; send it empty or leave it out.");
            }
        }
        String uri = JsonBodies.optionalString(body, "asset_uri");
        if (uri != null
                && !uri.isEmpty()
                && asset.version() != null
                && !uri.equals(AssetUri.of(asset.name(), asset.version(), asset.tag()))) {
            throw new CairnException.BadRequest("asset_uri '" + uri + "' does not match asset_name:version-tag ("
                    + AssetUri.of(asset.name(), asset.version(), asset.tag()) + ").");
        }
        return asset;
    }

    /**
     * What names a version: a name, a version (null: the next one) and a tag (may be empty), each
     * one segment of Hatrac's grammar (no '/', not . or .., no control characters), so that
     * {@code namespace/name} is a path like any other in Cairn.
     */
    public static void checkName(String name, String version, String tag) {
        for (String[] field :
                new String[][] {{"asset_name", name}, {"asset_version.version", version}, {"asset_version.tag", tag}}) {
            if (field[1] == null || (field[1].isEmpty() && !field[0].equals("asset_name"))) {
                continue;
            }
            if (field[1].indexOf('/') >= 0) {
                throw new CairnException.BadRequest(
                        field[0] + " may not contain '/'; put the path in asset_namespace.");
            }
            try {
                HatracPath.checkSegment(field[1]);
            } catch (CairnException.BadRequest e) {
                throw new CairnException.BadRequest(
                        field[0] + " '" + HatracPath.printable(field[1]) + "' is not a name: " + e.getMessage());
            }
        }
    }

    /** The typed-asset fields of a body; Pangolin's lineage and flowyml's parents become one lineage object. */
    private static Registry.Typed typed(JsonObject body) {
        JsonArray specs = null;
        JsonValue s = body.get("specs");
        if (s != null && s != JsonValue.NULL) {
            if (s.getValueType() != JsonValue.ValueType.ARRAY
                    || s.asJsonArray().stream().anyMatch(x -> x.getValueType() != JsonValue.ValueType.OBJECT)) {
                throw new CairnException.BadRequest(
                        "specs is a list of objects, e.g. [{\"role\": \"input\", \"modality\": \"rna\"}].");
            }
            specs = s.asJsonArray();
        }
        JsonObject metrics = object(body, "metrics");
        if (metrics != null) {
            for (var m : metrics.entrySet()) {
                if (m.getValue().getValueType() != JsonValue.ValueType.NUMBER) {
                    throw new CairnException.BadRequest("metrics holds numbers only; metric '" + m.getKey() + "' is "
                            + m.getValue().getValueType().name().toLowerCase(Locale.ROOT) + ".");
                }
                if (!m.getKey().matches("[A-Za-z_][A-Za-z0-9_.@/-]{0,127}")) {
                    throw new CairnException.BadRequest(
                            "A metric name is 1 to 128 letters, digits, _ . @ / or -, starting with a letter or _; not '"
                                    + m.getKey() + "'.");
                }
            }
        }
        JsonObject lineage = object(body, "lineage");
        if (lineage != null) {
            JsonBodies.only(lineage, "lineage", "training_data", "parent_model", "derived_models", "parents");
        }
        JsonObject relationships = object(body, "relationships");
        if (relationships != null && !relationships.isEmpty()) {
            // the Asset Manager's relationships: {"trained_on": ["ref", ...], ...}, beside Pangolin's lineage fields
            var merged = JsonBodies.JSON.createObjectBuilder(lineage == null ? JsonValue.EMPTY_JSON_OBJECT : lineage);
            var named = JsonBodies.JSON.createObjectBuilder();
            for (var r : relationships.entrySet()) {
                if (!r.getKey().matches(Registry.RELATIONSHIP)) {
                    throw new CairnException.BadRequest(
                            "A relationship is a name of 1 to 64 letters, digits, _ . or -, starting with a letter; "
                                    + "not '" + r.getKey() + "'.");
                }
                JsonValue refs = r.getValue().getValueType() == JsonValue.ValueType.STRING
                        ? JsonBodies.JSON.createArrayBuilder().add(r.getValue()).build()
                        : r.getValue();
                if (refs.getValueType() != JsonValue.ValueType.ARRAY) {
                    throw new CairnException.BadRequest(
                            "relationships maps a relationship to a list of asset references, e.g. "
                                    + "{\"trained_on\": [\"data/people:1\"]}.");
                }
                named.add(r.getKey(), refs);
            }
            merged.add("relationships", named);
            lineage = merged.build();
        }
        List<String> parents = JsonBodies.optionalStrings(body, "parents");
        if (parents != null) {
            var merged = JsonBodies.JSON.createObjectBuilder(lineage == null ? JsonValue.EMPTY_JSON_OBJECT : lineage);
            merged.add("parents", JsonBodies.JSON.createArrayBuilder(parents));
            lineage = merged.build();
        }
        String schema = emptyAsNull(JsonBodies.optionalString(body, "declarative_schema"));
        String secret = JsonBodies.optionalString(body, "connection_string");
        String step = emptyAsNull(JsonBodies.optionalString(body, "step"));
        JsonObject provenance = object(body, "provenance");
        if (provenance != null && provenance.toString().length() > 65_536) {
            throw new CairnException.BadRequest("provenance is at most 64 KiB of JSON.");
        }
        Map<String, String> access = accessControl(object(body, "access_control"));
        if (specs == null
                && schema == null
                && metrics == null
                && lineage == null
                && secret == null
                && step == null
                && provenance == null
                && access == null) {
            return Registry.Typed.NONE;
        }
        return new Registry.Typed(specs, schema, metrics, lineage, secret, step, provenance, access);
    }

    /**
     * The Asset Manager design's {@code access_control} as principal to role: either form,
     * {@code {"user:alice": "READ", "group:lab": "READ_WRITE"}} or
     * {@code {"READ": ["user:alice"], "READ_WRITE": ["group:lab"]}}. Null when absent or empty.
     */
    public static Map<String, String> accessControl(JsonObject given) {
        if (given == null || given.isEmpty()) {
            return null;
        }
        Map<String, String> out = new TreeMap<>();
        for (var e : given.entrySet()) {
            if (ROLES.contains(e.getKey()) && e.getValue().getValueType() == JsonValue.ValueType.ARRAY) {
                for (JsonValue p : e.getValue().asJsonArray()) {
                    if (!(p instanceof JsonString principal)) {
                        throw new CairnException.BadRequest(
                                "access_control." + e.getKey() + " lists principals (strings).");
                    }
                    out.put(principal.getString(), e.getKey());
                }
            } else if (e.getValue() instanceof JsonString role && ROLES.contains(role.getString())) {
                out.put(e.getKey(), role.getString());
            } else {
                throw new CairnException.BadRequest(
                        "access_control gives principals READ or READ_WRITE on the asset: {\"user:alice\": \"READ\"} "
                                + "or {\"READ_WRITE\": [\"group:lab\"]}; not " + e.getKey() + ": " + e.getValue()
                                + ".");
            }
        }
        if (out.size() > 100) {
            throw new CairnException.BadRequest("access_control names at most 100 principals.");
        }
        return out;
    }

    private static final List<String> ROLES = List.of("READ", "READ_WRITE");

    private static JsonObject object(JsonObject body, String field) {
        JsonValue v = body.get(field);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new CairnException.BadRequest(field + " must be a JSON object.");
        }
        return v.asJsonObject();
    }

    private static String emptyAsNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
