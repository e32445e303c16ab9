package dev.cairn.registry.spi;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A check an operator deploys to run on every asset before it is stored, beside Cairn's own
 * (the Asset Manager's {@code register_validator}). Implementations are found with {@link
 * java.util.ServiceLoader} (a {@code META-INF/services/dev.cairn.registry.spi.AssetValidator}
 * entry in a JAR beside the WAR, e.g. Payara Micro's {@code --addLibs}) or as CDI beans in the
 * WAR. They must be thread-safe, must not change the file, and should return quickly; a validator
 * that throws counts as one violation, so a broken check never lets an asset through unnoticed.
 */
public interface AssetValidator {

    /** A short name, reported as the {@code source} of the violations it finds. */
    default String name() {
        return getClass().getName();
    }

    /** The violations found in the candidate, as messages a client can act on; empty when it passes. */
    List<String> validate(Candidate candidate);

    /**
     * What is about to be stored: the catalog, the asset's namespace, name, version (null when the
     * registration names none: it gets the next one when stored) and kind (null when none), its
     * metadata, what Cairn read from its bytes ({@code fileInfo}), its input/output
     * specs (empty when none), a parsed JSON or YAML config ({@code JsonValue.NULL} otherwise) and
     * the received file itself (empty for an asset registered without bytes).
     */
    record Candidate(
            long catalogId,
            String namespace,
            String name,
            String version,
            String kind,
            JsonObject metadata,
            JsonObject fileInfo,
            JsonArray specs,
            JsonValue content,
            Optional<Path> file) {}
}
