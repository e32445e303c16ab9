package dev.cairn.registry.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.Problem.Violation;
import dev.cairn.registry.spi.AssetValidator;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Validation before anything is stored (the cz-benchmarks Asset Manager design): the kind rules
 * (modalities, input/output
 * specifications, what a Metrics or Database_Connection asset must carry), the declarative schema
 * the client names (a registered JSON Schema, written in JSON or YAML, applied to the asset
 * document {@code {kind, name, version, metadata, file_info, specs, content}}), and the
 * operators' {@link AssetValidator}s. Every violation is collected, then the asset is refused
 * with all of them (422).
 */
@ApplicationScoped
public class Validation {

    private static final Logger LOG = Logger.getLogger(Validation.class.getName());
    public static final Set<String> DATASET_MODALITIES =
            Set.of("rna", "dna", "protein", "metabolite", "clinical", "environmental");
    public static final Set<String> MODEL_MODALITIES = Set.of("statistical", "ml", "simulation");
    /** A schema asset is read up to this size. */
    static final int MAX_SCHEMA = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    /** Schemas may refer to the JSON Schema meta-schemas (bundled) and to themselves; never to files or the network. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaLoader(l -> l.fetchRemoteResources(false).allow(iri -> {
                String s = iri.toString();
                return s.startsWith("https://json-schema.org/") || s.startsWith("http://json-schema.org/");
            })));

    @Inject
    Registry registry;

    @Inject
    RegistryQueries registryQueries;

    @Inject
    ObjectStore store;

    @Inject
    @Any
    Instance<AssetValidator> beans;

    private volatile List<AssetValidator> loaded;

    /**
     * An asset to check: what the client sent, what its bytes showed ({@code fileInfo}, {@code
     * content}) and its file.
     */
    public record Subject(Registry.Asset asset, JsonObject fileInfo, JsonValue content, Optional<Path> file) {}

    /** The schema asset a registration names, resolved once: its id, to record with the row. */
    public record SchemaRef(String assetId, Schema schema) {}

    /** The declarative schema an asset names, or null; 400 when it names no readable schema. */
    public SchemaRef schema(long catalogId, Registry.Asset asset) {
        String reference = asset.typed().declarativeSchema();
        if (reference == null) {
            return null;
        }
        JsonObject found;
        try {
            found = registryQueries.find(catalogId, reference);
        } catch (CairnException.NotFound e) {
            throw new CairnException.BadRequest("declarative_schema: " + e.getMessage());
        }
        String id = found.getString("asset_id");
        VersionInfo version = registry.bytes(catalogId, id)
                .orElseThrow(() -> new CairnException.BadRequest("declarative_schema " + reference
                        + " has no bytes in this store; register the schema file itself."));
        if (version.length() > MAX_SCHEMA) {
            throw new CairnException.BadRequest("declarative_schema " + reference + " is " + version.length()
                    + " bytes; a schema is at most " + MAX_SCHEMA + ".");
        }
        String text;
        try (InputStream in = store.open(version, 0, version.length())) {
            text = new String(in.readNBytes(MAX_SCHEMA), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CairnException.Unavailable("The schema " + reference + " could not be read.", e);
        }
        try {
            JsonNode node = text.stripLeading().startsWith("{") ? JSON.readTree(text) : YAML.readTree(text);
            if (node == null || !node.isObject()) {
                throw new CairnException.BadRequest(
                        "declarative_schema " + reference + " is not a JSON Schema object.");
            }
            return new SchemaRef(id, SCHEMAS.getSchema(node));
        } catch (IOException | RuntimeException e) {
            if (e instanceof CairnException c) {
                throw c;
            }
            throw new CairnException.BadRequest(
                    "declarative_schema " + reference + " is not a JSON or YAML schema: " + brief(e));
        }
    }

    /** Every violation of the subject; empty when it passes. */
    public List<Violation> check(long catalogId, Subject subject, SchemaRef schema) {
        List<Violation> out = new ArrayList<>();
        Registry.Asset asset = subject.asset();
        kindRules(asset, out);
        JsonObject document = document(subject);
        if (schema != null) {
            try {
                for (Error e : schema.schema().validate(JSON.readTree(document.toString()))) {
                    out.add(new Violation(
                            "declarative_schema", e.getInstanceLocation().toString(), e.getMessage()));
                }
            } catch (IOException | RuntimeException e) {
                out.add(new Violation("declarative_schema", "", "the schema could not be applied: " + brief(e)));
            }
        }
        AssetValidator.Candidate candidate = new AssetValidator.Candidate(
                catalogId,
                asset.namespace() == null ? "" : asset.namespace(),
                asset.name(),
                asset.version(),
                asset.kind(),
                document.getJsonObject("metadata"),
                document.getJsonObject("file_info"),
                document.getJsonArray("specs"),
                document.get("content"),
                subject.file());
        for (AssetValidator v : validators()) {
            try {
                for (String message : v.validate(candidate)) {
                    out.add(new Violation(v.name(), "", message));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "validator " + v.name() + " failed", e);
                out.add(new Violation(v.name(), "", "the validator failed: " + brief(e)));
            }
        }
        return out;
    }

    /** Refuses the subject with every violation (422), or returns. */
    public void require(long catalogId, Subject subject, SchemaRef schema) {
        List<Violation> violations = check(catalogId, subject, schema);
        if (!violations.isEmpty()) {
            throw new CairnException.Unprocessable(
                    "The asset fails validation (" + violations.size() + " violation"
                            + (violations.size() == 1 ? "" : "s") + "); nothing was stored.",
                    violations);
        }
    }

    /** The document a declarative schema validates. */
    static JsonObject document(Subject subject) {
        Registry.Asset a = subject.asset();
        var out = JsonBodies.JSON
                .createObjectBuilder()
                .add("name", a.name() == null ? "" : a.name())
                .add("version", a.version() == null ? "" : a.version())
                .add("namespace", a.namespace() == null ? "" : a.namespace())
                .add("metadata", a.metadata() == null ? JsonValue.EMPTY_JSON_OBJECT : a.metadata())
                .add("file_info", subject.fileInfo() == null ? JsonValue.EMPTY_JSON_OBJECT : subject.fileInfo())
                .add(
                        "specs",
                        a.typed().specs() == null
                                ? JsonValue.EMPTY_JSON_ARRAY
                                : a.typed().specs())
                .add("content", subject.content() == null ? JsonValue.NULL : subject.content());
        if (a.kind() != null) {
            out.add("kind", a.kind());
        }
        if (a.typed().metrics() != null) {
            out.add("metrics", a.typed().metrics());
        }
        return out.build();
    }

    /** The Asset Manager design's kind rules, and what Cairn's own kinds need. */
    static void kindRules(Registry.Asset asset, List<Violation> out) {
        String kind = asset.kind();
        Registry.Typed typed = asset.typed();
        JsonValue modality = asset.metadata() == null ? null : asset.metadata().get("modality");
        if (modality != null) {
            Set<String> allowed = "Model".equals(kind) ? MODEL_MODALITIES : DATASET_MODALITIES;
            if (!(modality instanceof JsonString m) || !allowed.contains(m.getString())) {
                out.add(new Violation(
                        "kind",
                        "/metadata/modality",
                        "a " + (kind == null ? "dataset" : kind) + "'s modality is one of " + sorted(allowed) + "; not "
                                + modality + "."));
            }
        }
        JsonArray specs = typed.specs();
        if (specs != null) {
            for (int i = 0; i < specs.size(); i++) {
                JsonObject spec = specs.getJsonObject(i);
                String at = "/specs/" + i;
                JsonValue role = spec.get("role");
                if (role != null
                        && !(role instanceof JsonString r
                                && Set.of("input", "output").contains(r.getString()))) {
                    out.add(new Violation("kind", at + "/role", "role is input or output; not " + role + "."));
                }
                JsonValue m = spec.get("modality");
                if (m == null || !(m instanceof JsonString ms) || !DATASET_MODALITIES.contains(ms.getString())) {
                    out.add(new Violation(
                            "kind",
                            at + "/modality",
                            "a spec's modality is one of " + sorted(DATASET_MODALITIES) + "; not "
                                    + (m == null ? "missing" : m.toString()) + "."));
                } else if ("Dataset".equals(kind)
                        && modality instanceof JsonString dm
                        && !dm.getString().equals(ms.getString())) {
                    out.add(new Violation(
                            "kind",
                            at + "/modality",
                            "the dataset's modality is " + dm.getString() + " but this spec says " + ms.getString()
                                    + "."));
                }
                JsonValue semantic = spec.get("semantic");
                if (semantic != null
                        && !(semantic instanceof JsonString s
                                && s.getString().matches("[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_.-]+"))) {
                    out.add(new Violation(
                            "kind",
                            at + "/semantic",
                            "semantic is an ontology term as a CURIE (GO:0008150); not " + semantic + "."));
                }
            }
        }
        if ("Metrics".equals(kind)
                && (typed.metrics() == null || typed.metrics().isEmpty())) {
            out.add(new Violation(
                    "kind", "/metrics", "a Metrics asset carries its numbers in metrics, e.g. {\"accuracy\": 0.95}."));
        }
        boolean connection = "Database_Connection".equals(kind);
        if (connection
                && (typed.connectionString() == null || typed.connectionString().isBlank())) {
            out.add(new Violation(
                    "kind", "/connection_string", "a Database_Connection asset needs its connection_string."));
        }
        if (!connection && typed.connectionString() != null) {
            out.add(new Violation(
                    "kind", "/connection_string", "only a Database_Connection asset holds a connection_string."));
        }
    }

    /**
     * Whether a model's input specs are met by a dataset's output specs (or its modality): each
     * input needs a dataset spec of the same modality, and the same semantic when both name one.
     */
    public static List<String> compatibility(JsonObject model, JsonObject dataset) {
        List<String> problems = new ArrayList<>();
        List<JsonObject> offered = new ArrayList<>();
        for (JsonValue s : specsOf(dataset)) {
            JsonObject spec = s.asJsonObject();
            if (!"input".equals(spec.getString("role", "output"))) {
                offered.add(spec);
            }
        }
        JsonValue modality = dataset.getJsonObject("asset_metadata").get("modality");
        if (offered.isEmpty() && modality instanceof JsonString m) {
            offered.add(JsonBodies.JSON
                    .createObjectBuilder()
                    .add("modality", m.getString())
                    .build());
        }
        int inputs = 0;
        for (JsonValue s : specsOf(model)) {
            JsonObject need = s.asJsonObject();
            if (!"input".equals(need.getString("role", "input"))) {
                continue;
            }
            inputs++;
            boolean met = offered.stream()
                    .anyMatch(o -> o.getString("modality", "").equals(need.getString("modality", ""))
                            && (!need.containsKey("semantic")
                                    || !o.containsKey("semantic")
                                    || o.get("semantic").equals(need.get("semantic"))));
            if (!met) {
                problems.add("the model takes " + need + " and the dataset offers "
                        + (offered.isEmpty() ? "no spec or modality" : offered) + ".");
            }
        }
        if (inputs == 0) {
            problems.add("the model declares no input specs to check against.");
        }
        return problems;
    }

    private static JsonArray specsOf(JsonObject asset) {
        JsonValue specs = asset.get("specs");
        return specs instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
    }

    private List<AssetValidator> validators() {
        List<AssetValidator> found = loaded;
        if (found == null) {
            Map<String, AssetValidator> byClass = new LinkedHashMap<>();
            ServiceLoader.load(AssetValidator.class, Thread.currentThread().getContextClassLoader())
                    .forEach(v -> byClass.putIfAbsent(v.getClass().getName(), v));
            for (AssetValidator v : beans) {
                byClass.putIfAbsent(v.getClass().getName().replaceAll("\\$Proxy.*|\\$\\$.*", ""), v);
            }
            found = List.copyOf(byClass.values());
            LOG.info(() -> "asset validators: " + byClass.keySet());
            loaded = found;
        }
        return found;
    }

    private static String sorted(Set<String> values) {
        return new TreeSet<>(values).toString();
    }

    private static String brief(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 300 ? m.substring(0, 300) : m;
    }
}
