package dev.cairn.registry.control;

import java.util.List;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
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
            "asset_description", "execution");

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
                emptyAsNull(JsonBodies.optionalString(body, "execution")));
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
