package dev.cairn.inspect.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cairn.platform.JsonBodies;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads a file that has just arrived and says what it is (see the package). The reading runs on
 * a worker with a deadline ({@code cairn.inspect.timeout}, seconds, default 600): past it the
 * DuckDB statement is cancelled and the worker interrupted, and the file is described as not
 * read, with the reason. It never throws for a file it cannot read.
 */
@ApplicationScoped
public class Inspector {

    private static final Logger LOG = Logger.getLogger(Inspector.class.getName());
    /** JSON and YAML configs are parsed up to this size. */
    static final int MAX_CONFIG = 16 << 20;

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    @Resource
    ManagedExecutorService executor;

    /** Kinds of content, and the asset kind each suggests. */
    enum Family {
        TABULAR("Dataset"),
        MODEL("Model"),
        IMAGE("Image"),
        VIDEO("Video"),
        AUDIO("Audio"),
        CONFIG("Config"),
        ARCHIVE(null);

        final String kind;

        Family(String kind) {
            this.kind = kind;
        }
    }

    record Found(Family family, JsonObject info, JsonValue content) {}

    /** What the bytes of {@code file} (named {@code filename} by the client, typed {@code contentType}) are. */
    public Inspection inspect(Path file, String filename, String contentType) {
        long started = System.nanoTime();
        AtomicReference<Statement> running = new AtomicReference<>();
        String status;
        String reason = null;
        Found found = null;
        String memory = memoryLimit();
        Future<Found> work = executor.submit(() -> read(
                file,
                filename == null ? "" : filename.toLowerCase(Locale.ROOT),
                contentType == null ? "" : contentType.toLowerCase(Locale.ROOT),
                memory,
                running));
        try {
            found = work.get(timeoutSeconds(), TimeUnit.SECONDS);
            status = found == null ? "skipped" : "ok";
            if (found == null) {
                reason = "no reader for this format";
            }
        } catch (TimeoutException e) {
            cancel(running.get());
            work.cancel(true);
            status = "timeout";
            reason = "reading took longer than " + timeoutSeconds() + " s";
        } catch (ExecutionException e) {
            status = "unreadable";
            reason = describe(e.getCause());
            LOG.log(Level.FINE, "inspection failed", e.getCause());
        } catch (InterruptedException | CancellationException e) {
            cancel(running.get());
            work.cancel(true);
            Thread.currentThread().interrupt();
            status = "interrupted";
            reason = "the server stopped the reading";
        }
        JsonObjectBuilder inspection = JsonBodies.JSON
                .createObjectBuilder()
                .add("status", status)
                .add("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (reason != null) {
            inspection.add("reason", reason);
        }
        JsonObjectBuilder info = JsonBodies.JSON.createObjectBuilder();
        if (found != null) {
            info = JsonBodies.JSON.createObjectBuilder(found.info());
            inspection.add("family", found.family().name().toLowerCase(Locale.ROOT));
        }
        info.add("inspection", inspection);
        return new Inspection(
                info.build(), found == null ? null : found.family().kind, found == null ? null : found.content());
    }

    static Found read(Path file, String name, String type, String memoryLimit, AtomicReference<Statement> running)
            throws Exception {
        long size = Files.size(file);
        if (size == 0) {
            return null;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        boolean gzip = name.endsWith(".gz");
        String base = gzip ? name.substring(0, name.length() - 3) : name;
        Tabular.Format tabular = startsWith(head, "PAR1".getBytes(StandardCharsets.US_ASCII))
                        || base.endsWith(".parquet")
                ? Tabular.Format.PARQUET
                : base.endsWith(".csv") || (type.startsWith("text/csv") && !gzip)
                        ? Tabular.Format.CSV
                        : base.endsWith(".tsv") || base.endsWith(".tab") || type.startsWith("text/tab-separated-values")
                                ? Tabular.Format.TSV
                                : base.endsWith(".jsonl")
                                                || base.endsWith(".ndjson")
                                                || type.startsWith("application/x-ndjson")
                                        ? Tabular.Format.JSONL
                                        : null;
        if (tabular == Tabular.Format.JSONL && Tabular.jsonDepth(file, gzip) > Tabular.MAX_JSON_DEPTH) {
            throw new IOException("JSON nested more than " + Tabular.MAX_JSON_DEPTH + " levels deep is not read");
        }
        if (tabular != null) {
            try (Connection c = Tabular.open(memoryLimit, file.getParent())) {
                JsonObject stats = Tabular.inspect(c, file, tabular, gzip, running::set);
                return new Found(
                        Family.TABULAR,
                        JsonBodies.JSON
                                .createObjectBuilder(stats)
                                .add("format", tabular.name().toLowerCase(Locale.ROOT))
                                .build(),
                        null);
            }
        }
        if (name.endsWith(".safetensors") || ModelFiles.isSafetensors(head, size)) {
            return new Found(Family.MODEL, ModelFiles.safetensors(file), null);
        }
        if (name.endsWith(".onnx")) {
            return new Found(Family.MODEL, ModelFiles.onnx(file), null);
        }
        if (NumpyFiles.isNpy(head)) {
            return new Found(Family.TABULAR, NumpyFiles.npy(file), null);
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4}) && (name.endsWith(".npz") || NumpyFiles.isNpz(file))) {
            return new Found(Family.TABULAR, NumpyFiles.npz(file), null);
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
            JsonObject zip = ModelFiles.zip(file);
            return new Found(zip.containsKey("framework") ? Family.MODEL : Family.ARCHIVE, zip, null);
        }
        if (startsWith(head, ModelFiles.HDF5)) {
            JsonObject h5 = ModelFiles.hdf5(file);
            return new Found(h5.containsKey("framework") ? Family.MODEL : Family.ARCHIVE, h5, null);
        }
        boolean pickled = head.length > 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
        if (pickled || name.endsWith(".pkl") || name.endsWith(".pickle") || name.endsWith(".joblib")) {
            return new Found(Family.MODEL, ModelFiles.pickle(file), null);
        }
        boolean json = name.endsWith(".json") || type.startsWith("application/json");
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml") || type.contains("yaml");
        if (json || yaml) {
            return config(file, size, yaml ? "yaml" : "json");
        }
        String medium = MediaFiles.medium(file);
        if (medium != null) {
            Family family = Family.valueOf(medium.toUpperCase(Locale.ROOT));
            return new Found(family, MediaFiles.read(file, medium), null);
        }
        return null;
    }

    /**
     * A reading kept in {@link BlobInfos}, as an inspection: its info and the kind it suggests;
     * empty for a config, whose parsed content (not kept) validation may need.
     */
    public static Optional<Inspection> kept(JsonObject info) {
        JsonObject inspection = info.getJsonObject("inspection");
        String family = inspection == null ? null : inspection.getString("family", null);
        if (family == null || family.equals("config")) {
            return Optional.empty();
        }
        return Optional.of(new Inspection(info, Family.valueOf(family.toUpperCase(Locale.ROOT)).kind, null));
    }

    private static Found config(Path file, long size, String format) throws IOException {
        if (size > MAX_CONFIG) {
            throw new IOException(
                    "a " + format + " config is read up to " + MAX_CONFIG + " bytes; this one has " + size);
        }
        JsonValue content;
        if (format.equals("json")) {
            content = JsonBodies.parse(Files.readString(file, StandardCharsets.UTF_8));
        } else {
            Object tree = YAML.readValue(file.toFile(), Object.class);
            content = tree == null ? JsonValue.NULL : JsonBodies.parse(JSON_MAPPER.writeValueAsString(tree));
        }
        JsonObjectBuilder info = JsonBodies.JSON
                .createObjectBuilder()
                .add("format", format)
                .add("top_level_type", content.getValueType().name().toLowerCase(Locale.ROOT));
        if (content instanceof JsonObject object) {
            info.add(
                    "top_level_keys",
                    JsonBodies.JSON.createArrayBuilder(
                            object.keySet().stream().limit(1000).toList()));
        }
        return new Found(Family.CONFIG, info.build(), content);
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(Arrays.copyOf(head, magic.length), magic);
    }

    private static void cancel(Statement statement) {
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // the statement finished or its connection closed
            }
        }
    }

    /** A reason a client can read: the failure's message without stack or server paths. */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceAll("(/[^\\s'\"]+)+", "<file>");
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private static long timeoutSeconds() {
        return ConfigProvider.getConfig()
                .getOptionalValue("cairn.inspect.timeout", Long.class)
                .orElse(600L);
    }

    public static String memoryLimit() {
        return ConfigProvider.getConfig()
                .getOptionalValue("cairn.inspect.memory", String.class)
                .orElse("512MB");
    }
}
