package dev.cairn.registry.control;

import java.util.List;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Seed 001's AssetObject as a request body: {@code asset_name}, {@code asset_version} ({@code
 * version}, {@code tag}), {@code asset_metadata}, {@code asset_tags}, {@code asset_public_url},
 * {@code asset_file_info}, with Cairn's {@code asset_namespace}, {@code asset_kind},
 * {@code asset_description} and {@code execution} (the RID of the execution that produced it).
 * The fields the server assigns ({@code asset_uri}, {@code asset_id}, {@code assets_db_id}) may
 * be sent empty, as the seed's dataclass defaults them. Any other field is a 400.
 */
public final class AssetJson {

    public static final List<String> FIELDS = List.of("asset_uri", "asset_name", "asset_id", "assets_db_id", "asset_version",
            "asset_metadata", "asset_public_url", "asset_file_info", "asset_tags", "asset_namespace", "asset_kind",
            "asset_description", "execution", "specs", "declarative_schema", "metrics", "lineage", "parents", "connection_string", "step");

    private AssetJson() {
    }

    /** The asset a body describes; {@code namespace} applies when the body names none. Absent fields are null. */
    public static Registry.Asset asset(JsonObject body, String namespace) {
        JsonBodies.only(body, "An asset", FIELDS.toArray(String[]::new));
        String version = null;
        String tag = null;
        JsonValue v = body.get("asset_version");
        if (v != null && v != JsonValue.NULL) {
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new CairnException.BadRequest("asset_version is an object {\"version\": ..., \"tag\": ...}.");
            }
            JsonBodies.only(v.asJsonObject(), "asset_version", "version", "tag");
            version = JsonBodies.optionalString(v.asJsonObject(), "version");
            tag = JsonBodies.optionalString(v.asJsonObject(), "tag");
        }
        String ns = JsonBodies.optionalString(body, "asset_namespace");
        return new Registry.Asset(ns != null ? ns : namespace, JsonBodies.optionalString(body, "asset_name"), version, tag,
                object(body, "asset_metadata"), JsonBodies.optionalStrings(body, "asset_tags"),
                JsonBodies.optionalString(body, "asset_public_url"), object(body, "asset_file_info"),
                emptyAsNull(JsonBodies.optionalString(body, "asset_kind")), JsonBodies.optionalString(body, "asset_description"),
                emptyAsNull(JsonBodies.optionalString(body, "execution")), typed(body));
    }

    /** A new asset: name and version are required; server-assigned fields must be empty or agree. */
    public static Registry.Asset newAsset(JsonObject body, String namespace) {
        Registry.Asset asset = asset(body, namespace);
        if (asset.name() == null || asset.name().isEmpty() || asset.version() == null || asset.version().isEmpty()) {
            throw new CairnException.BadRequest("An asset needs asset_name and asset_version.version, e.g. {\"asset_name\": \"SampleAsset\", "
                    + "\"asset_version\": {\"version\": \"1.0\", \"tag\": \"initial\"}}.");
        }
        for (String assigned : List.of("asset_id", "assets_db_id")) {
            String given = JsonBodies.optionalString(body, assigned);
            if (given != null && !given.isEmpty()) {
                throw new CairnException.BadRequest(assigned + " is assigned by the server; send it empty or leave it out.");
            }
        }
        String uri = JsonBodies.optionalString(body, "asset_uri");
        if (uri != null && !uri.isEmpty() && !uri.equals(AssetUri.of(asset.name(), asset.version(), asset.tag()))) {
            throw new CairnException.BadRequest("asset_uri '" + uri + "' does not match asset_name:version-tag ("
                    + AssetUri.of(asset.name(), asset.version(), asset.tag()) + ").");
        }
        if (asset.name().contains("/") || asset.version().contains("/") || (asset.tag() != null && asset.tag().contains("/"))) {
            throw new CairnException.BadRequest("asset_name, version and tag may not contain '/'; put the path in asset_namespace.");
        }
        return asset;
    }

    /** The typed-asset fields of a body; Pangolin's lineage and flowyml's parents become one lineage object. */
    private static Registry.Typed typed(JsonObject body) {
        JsonArray specs = null;
        JsonValue s = body.get("specs");
        if (s != null && s != JsonValue.NULL) {
            if (s.getValueType() != JsonValue.ValueType.ARRAY || s.asJsonArray().stream().anyMatch(x -> x.getValueType() != JsonValue.ValueType.OBJECT)) {
                throw new CairnException.BadRequest("specs is a list of objects, e.g. [{\"role\": \"input\", \"modality\": \"rna\"}].");
            }
            specs = s.asJsonArray();
        }
        JsonObject metrics = object(body, "metrics");
        if (metrics != null) {
            for (var m : metrics.entrySet()) {
                if (m.getValue().getValueType() != JsonValue.ValueType.NUMBER) {
                    throw new CairnException.BadRequest("metrics holds numbers only; metric '" + m.getKey() + "' is "
                            + m.getValue().getValueType().name().toLowerCase(java.util.Locale.ROOT) + ".");
                }
                if (!m.getKey().matches("[A-Za-z_][A-Za-z0-9_.@/-]{0,127}")) {
                    throw new CairnException.BadRequest("A metric name is 1 to 128 letters, digits, _ . @ / or -, starting with a letter or _; not '"
                            + m.getKey() + "'.");
                }
            }
        }
        JsonObject lineage = object(body, "lineage");
        if (lineage != null) {
            JsonBodies.only(lineage, "lineage", "training_data", "parent_model", "derived_models", "parents");
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
        if (specs == null && schema == null && metrics == null && lineage == null && secret == null && step == null) {
            return Registry.Typed.NONE;
        }
        return new Registry.Typed(specs, schema, metrics, lineage, secret, step);
    }

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
