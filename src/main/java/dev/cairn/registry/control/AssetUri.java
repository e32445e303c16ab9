package dev.cairn.registry.control;

import dev.cairn.platform.CairnException;
import java.util.ArrayList;
import java.util.List;

/**
 * AIOS's {@code asset_uri}, {@code name:version-tag}, with an optional namespace in front
 * ({@code ml_models/production/resnet:1.0-initial}). Names may not contain {@code /}, so the
 * namespace is everything before the last {@code /}. Names and tags may contain {@code :} and
 * {@code -}, so one text can be read several ways: {@link #readings()} lists every reading (the
 * name ends at some {@code :}, the version at some later {@code -} or at the end, with an empty
 * tag), and the registry takes the one that names an existing asset. When no reading does, the
 * text after a {@code :} may be {@code latest} or an alias. When two readings name assets, the
 * request is ambiguous (409) and the asset is reached by its {@code asset_id}.
 */
public record AssetUri(String namespace, String text) {

    public static final int MAX_LENGTH = 2_048;
    private static final int MAX_READINGS = 256;

    /** One way to read the text: name, version and tag. */
    public record Reading(String name, String version, String tag) {}

    /** A name and what follows its last {@code :}, for {@code latest} and aliases. */
    public record Reference(String name, String reference) {}

    public static AssetUri parse(String uri) {
        if (uri == null
                || uri.isEmpty()
                || uri.length() > MAX_LENGTH
                || uri.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CairnException.BadRequest(
                    "An asset_uri is name:version-tag, with an optional namespace/ in front, " + "of 1 to " + MAX_LENGTH
                            + " characters without control characters.");
        }
        int slash = uri.lastIndexOf('/');
        String namespace = slash < 0 ? "" : uri.substring(0, slash);
        String text = uri.substring(slash + 1);
        if (!text.contains(":") || namespace.startsWith("/") || namespace.endsWith("/") || namespace.contains("//")) {
            throw new CairnException.BadRequest(
                    "'" + uri + "' is not an asset_uri: write name:version-tag (or name:latest, "
                            + "name:alias), with an optional namespace/ in front.");
        }
        return new AssetUri(namespace, text);
    }

    /** Every (name, version, tag) the text can mean. */
    public List<Reading> readings() {
        List<Reading> out = new ArrayList<>();
        for (int colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
            String name = text.substring(0, colon);
            String rest = text.substring(colon + 1);
            if (name.isEmpty() || rest.isEmpty()) {
                continue;
            }
            out.add(new Reading(name, rest, ""));
            for (int dash = rest.indexOf('-'); dash >= 0; dash = rest.indexOf('-', dash + 1)) {
                if (dash > 0) {
                    out.add(new Reading(name, rest.substring(0, dash), rest.substring(dash + 1)));
                }
            }
            if (out.size() > MAX_READINGS) {
                throw new CairnException.BadRequest(
                        "The asset_uri has too many ':' and '-' to read; address the asset by its asset_id.");
            }
        }
        return out;
    }

    /** Every (name, reference) split at a {@code :}. */
    public List<Reference> references() {
        List<Reference> out = new ArrayList<>();
        for (int colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
            if (colon > 0 && colon < text.length() - 1) {
                out.add(new Reference(text.substring(0, colon), text.substring(colon + 1)));
            }
        }
        return out;
    }

    /** The uri of an asset: {@code name:version}, then {@code -tag} when it has a tag. */
    public static String of(String name, String version, String tag) {
        return name + ":" + version + (tag == null || tag.isEmpty() ? "" : "-" + tag);
    }
}
