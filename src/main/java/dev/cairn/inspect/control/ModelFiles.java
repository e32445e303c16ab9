package dev.cairn.inspect.control;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Model files, read for what their format tells without running anything: safetensors headers,
 * ONNX graphs (the protobuf wire format walked field by field, weights skipped), PyTorch and
 * Keras archives (their entries), HDF5 signatures and pickles (scanned for the modules they would
 * import; never unpickled). Properties use flowyml's names: {@code framework},
 * {@code parameters}, {@code num_layers}.
 */
final class ModelFiles {

    /** safetensors caps its header at 100 MB; Cairn reads headers up to this size. */
    static final int MAX_HEADER = 16 << 20;
    /** A pickle is scanned this far for module names. */
    static final int PICKLE_SCAN = 64 << 20;

    private static final Pattern LAYER_INDEX =
            Pattern.compile("(?:^|\\.)(?:layers?|h|blocks?|encoder\\.layer|decoder\\.layer)\\.(\\d+)\\.");
    private static final Pattern MODULE = Pattern.compile(
            "(sklearn|xgboost|lightgbm|catboost|torch|tensorflow|keras|numpy|scipy|pandas|transformers)(\\.[A-Za-z0-9_]+)*");
    private static final Pattern PICKLE_CLASS = Pattern.compile(
            "((?:sklearn|xgboost|lightgbm|catboost)(?:\\.[A-Za-z0-9_]+)*)[\\n\\x00-\\x20\\x8c\\x94]{1,3}([A-Z][A-Za-z0-9_]{1,80})");

    private ModelFiles() {}

    static boolean isSafetensors(byte[] head, long size) {
        if (head.length < 9 || head[8] != '{') {
            return false;
        }
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n + 8 <= size;
    }

    static JsonObject safetensors(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] len = in.readNBytes(8);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n > MAX_HEADER) {
                throw new IOException(
                        "the safetensors header is " + n + " bytes; Cairn reads headers up to " + MAX_HEADER);
            }
            JsonObject header = JsonBodies.parse(new String(in.readNBytes((int) n), StandardCharsets.UTF_8))
                    .asJsonObject();
            long parameters = 0;
            Map<String, Long> dtypes = new TreeMap<>();
            JsonArrayBuilder tensors = JsonBodies.JSON.createArrayBuilder();
            int listed = 0;
            int layers = 0;
            for (Map.Entry<String, JsonValue> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject t = e.getValue().asJsonObject();
                long count = 1;
                for (JsonValue d : t.getJsonArray("shape")) {
                    count = Math.multiplyExact(count, ((JsonNumber) d).longValueExact());
                }
                parameters += count;
                dtypes.merge(t.getString("dtype"), count, Long::sum);
                if (listed++ < 1000) {
                    tensors.add(JsonBodies.JSON
                            .createObjectBuilder()
                            .add("name", e.getKey())
                            .add("dtype", t.getString("dtype"))
                            .add("shape", t.getJsonArray("shape")));
                }
                Matcher m = LAYER_INDEX.matcher(e.getKey());
                if (m.find()) {
                    layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
                }
            }
            JsonObjectBuilder out = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("format", "safetensors")
                    .add("framework", "safetensors")
                    .add("parameters", parameters)
                    .add("num_tensors", listed)
                    .add("dtypes", JsonBodies.JSON.createObjectBuilder(new LinkedHashMap<>(dtypes)))
                    .add("tensors", tensors);
            if (layers > 0) {
                out.add("num_layers", layers);
            }
            if (header.get("__metadata__") instanceof JsonObject metadata) {
                out.add("model_metadata", metadata);
            }
            return out.build();
        }
    }

    // ---- ONNX: ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto (onnx.proto field numbers)

    static JsonObject onnx(Path file) throws IOException {
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            in.setSizeLimit(Integer.MAX_VALUE);
            JsonObjectBuilder out =
                    JsonBodies.JSON.createObjectBuilder().add("format", "onnx").add("framework", "onnx");
            JsonArrayBuilder opsets = JsonBodies.JSON.createArrayBuilder();
            Graph graph = null;
            int tag;
            while ((tag = in.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> out.add("ir_version", in.readInt64());
                    case 2 -> out.add("producer_name", in.readString());
                    case 3 -> out.add("producer_version", in.readString());
                    case 4 -> out.add("domain", in.readString());
                    case 5 -> out.add("model_version", in.readInt64());
                    case 7 -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        graph = graph(in);
                        in.popLimit(limit);
                    }
                    case 8 -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        String domain = "";
                        long version = 0;
                        int t;
                        while ((t = in.readTag()) != 0) {
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> domain = in.readString();
                                case 2 -> version = in.readInt64();
                                default -> in.skipField(t);
                            }
                        }
                        in.popLimit(limit);
                        opsets.add(JsonBodies.JSON
                                .createObjectBuilder()
                                .add("domain", domain.isEmpty() ? "ai.onnx" : domain)
                                .add("version", version));
                    }
                    default -> in.skipField(tag);
                }
            }
            JsonArray opsetList = opsets.build();
            out.add("opset_import", opsetList);
            for (JsonValue o : opsetList) {
                if (o.asJsonObject().getString("domain").equals("ai.onnx")) {
                    out.add("opset", o.asJsonObject().getJsonNumber("version").longValue());
                }
            }
            if (graph == null) {
                throw new IOException("no graph in the ONNX model");
            }
            Graph g = graph;
            List<JsonObject> inputs = g.inputs.stream()
                    .filter(i -> !g.initializers.contains(i.getString("name")))
                    .toList();
            out.add("graph_name", graph.name)
                    .add("inputs", JsonBodies.JSON.createArrayBuilder(inputs))
                    .add("outputs", JsonBodies.JSON.createArrayBuilder(graph.outputs))
                    .add("parameters", graph.parameters)
                    .add("num_layers", graph.nodes)
                    .add("operators", JsonBodies.JSON.createObjectBuilder(new LinkedHashMap<>(graph.ops)));
            return out.build();
        }
    }

    private static final class Graph {
        String name = "";
        int nodes;
        long parameters;
        final Map<String, Object> ops = new TreeMap<>();
        final Set<String> initializers = new HashSet<>();
        final List<JsonObject> inputs = new ArrayList<>();
        final List<JsonObject> outputs = new ArrayList<>();
    }

    private static Graph graph(CodedInputStream in) throws IOException {
        Graph g = new Graph();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    int t;
                    while ((t = in.readTag()) != 0) {
                        if (WireFormat.getTagFieldNumber(t) == 4) {
                            g.ops.merge(in.readString(), 1, (a, b) -> (Integer) a + (Integer) b);
                        } else {
                            in.skipField(t);
                        }
                    }
                    in.popLimit(limit);
                    g.nodes++;
                }
                case 2 -> g.name = in.readString();
                case 5 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    long count = 1;
                    String name = "";
                    int t;
                    while ((t = in.readTag()) != 0) {
                        int field = WireFormat.getTagFieldNumber(t);
                        if (field == 1 && WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            int packed = in.pushLimit(in.readRawVarint32());
                            while (in.getBytesUntilLimit() > 0) {
                                count = Math.multiplyExact(count, in.readInt64());
                            }
                            in.popLimit(packed);
                        } else if (field == 1) {
                            count = Math.multiplyExact(count, in.readInt64());
                        } else if (field == 8) {
                            name = in.readString();
                        } else {
                            in.skipField(t);
                        }
                    }
                    in.popLimit(limit);
                    g.parameters += count;
                    g.initializers.add(name);
                }
                case 11 -> g.inputs.add(valueInfo(in));
                case 12 -> g.outputs.add(valueInfo(in));
                default -> in.skipField(tag);
            }
        }
        return g;
    }

    /** ValueInfoProto: name, and the tensor type's element type and shape (numbers, or symbolic names). */
    private static JsonObject valueInfo(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        JsonObjectBuilder out = JsonBodies.JSON.createObjectBuilder();
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> out.add("name", in.readString());
                case 2 -> {
                    int type = in.pushLimit(in.readRawVarint32());
                    int tt;
                    while ((tt = in.readTag()) != 0) {
                        if (WireFormat.getTagFieldNumber(tt) == 1) {
                            tensorType(in, out);
                        } else {
                            in.skipField(tt);
                        }
                    }
                    in.popLimit(type);
                }
                default -> in.skipField(t);
            }
        }
        in.popLimit(limit);
        return out.build();
    }

    private static final String[] ELEMENT_TYPES = {
        "undefined",
        "float32",
        "uint8",
        "int8",
        "uint16",
        "int16",
        "int32",
        "int64",
        "string",
        "bool",
        "float16",
        "float64",
        "uint32",
        "uint64",
        "complex64",
        "complex128",
        "bfloat16"
    };

    private static void tensorType(CodedInputStream in, JsonObjectBuilder out) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        JsonArrayBuilder shape = JsonBodies.JSON.createArrayBuilder();
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> {
                    int e = in.readInt32();
                    out.add("elem_type", e >= 0 && e < ELEMENT_TYPES.length ? ELEMENT_TYPES[e] : Integer.toString(e));
                }
                case 2 -> {
                    int s = in.pushLimit(in.readRawVarint32());
                    int st;
                    while ((st = in.readTag()) != 0) {
                        if (WireFormat.getTagFieldNumber(st) == 1) {
                            int d = in.pushLimit(in.readRawVarint32());
                            JsonValue dim = JsonValue.NULL;
                            int dt;
                            while ((dt = in.readTag()) != 0) {
                                switch (WireFormat.getTagFieldNumber(dt)) {
                                    case 1 -> dim = JsonBodies.JSON.createValue(in.readInt64());
                                    case 2 -> dim = JsonBodies.JSON.createValue(in.readString());
                                    default -> in.skipField(dt);
                                }
                            }
                            in.popLimit(d);
                            shape.add(dim);
                        } else {
                            in.skipField(st);
                        }
                    }
                    in.popLimit(s);
                }
                default -> in.skipField(t);
            }
        }
        in.popLimit(limit);
        out.add("shape", shape);
    }

    // ---- archives, HDF5 and pickles

    /**
     * A zip: a PyTorch archive ({@code data.pkl}), a Keras 3 file ({@code config.json}, {@code
     * metadata.json}), or a plain archive.
     */
    static JsonObject zip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            int entries = 0;
            long uncompressed = 0;
            String pytorchRoot = null;
            int storages = 0;
            long storageBytes = 0;
            Set<String> names = new TreeSet<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                entries++;
                uncompressed += Math.max(0, entry.getSize());
                String name = entry.getName();
                if (names.size() < 200) {
                    names.add(name);
                }
                if (name.endsWith("/data.pkl") || name.equals("data.pkl")) {
                    pytorchRoot = name.substring(0, name.length() - "data.pkl".length());
                }
                if (name.matches("([^/]+/)?data/[0-9]+")) {
                    storages++;
                    storageBytes += Math.max(0, entry.getSize());
                }
            }
            JsonObjectBuilder out = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("entries", entries)
                    .add("uncompressed_size", uncompressed);
            if (pytorchRoot != null) {
                out.add("format", "pytorch")
                        .add("framework", "pytorch")
                        .add("storages", storages)
                        .add("storage_bytes", storageBytes);
                ZipEntry version = zip.getEntry(pytorchRoot + "version");
                if (version != null && version.getSize() < 64) {
                    try (InputStream in = zip.getInputStream(version)) {
                        out.add("archive_version", new String(in.readNBytes(64), StandardCharsets.UTF_8).trim());
                    }
                }
                return out.build();
            }
            ZipEntry config = zip.getEntry("config.json");
            ZipEntry metadata = zip.getEntry("metadata.json");
            if (config != null
                    && metadata != null
                    && config.getSize() <= MAX_HEADER
                    && metadata.getSize() <= MAX_HEADER) {
                out.add("format", "keras").add("framework", "keras");
                try (InputStream in = zip.getInputStream(metadata)) {
                    JsonValue m = JsonBodies.parse(new String(in.readNBytes(MAX_HEADER), StandardCharsets.UTF_8));
                    if (m instanceof JsonObject o && o.containsKey("keras_version")) {
                        out.add("framework_version", o.get("keras_version"));
                    }
                }
                try (InputStream in = zip.getInputStream(config)) {
                    JsonValue c = JsonBodies.parse(new String(in.readNBytes(MAX_HEADER), StandardCharsets.UTF_8));
                    if (c instanceof JsonObject o) {
                        if (o.get("class_name") instanceof JsonString cls) {
                            out.add("model_class", cls.getString());
                        }
                        if (o.get("config") instanceof JsonObject inner
                                && inner.get("layers") instanceof JsonArray layers) {
                            out.add("num_layers", layers.size());
                            JsonArrayBuilder kinds = JsonBodies.JSON.createArrayBuilder();
                            layers.stream()
                                    .limit(1000)
                                    .forEach(l -> kinds.add(
                                            l instanceof JsonObject lo ? lo.getString("class_name", "?") : "?"));
                            out.add("layers", kinds);
                        }
                        if (o.get("compile_config") instanceof JsonObject compile
                                && compile.get("optimizer") instanceof JsonObject opt) {
                            out.add("optimizer", opt.getString("class_name", opt.toString()));
                        }
                    }
                }
                return out.build();
            }
            return out.add("format", "zip")
                    .add("entry_names", JsonBodies.JSON.createArrayBuilder(new ArrayList<>(names)))
                    .build();
        }
    }

    static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /**
     * HDF5: Keras 2 saves models here with {@code keras_version} and {@code model_config} attributes
     * near the start.
     */
    static JsonObject hdf5(Path file) throws IOException {
        String head = ascii(file, 4 << 20);
        JsonObjectBuilder out = JsonBodies.JSON.createObjectBuilder().add("format", "hdf5");
        if (head.contains("keras_version") || head.contains("model_config")) {
            out.add("framework", "keras");
            Matcher layers =
                    Pattern.compile("\"class_name\": ?\"([A-Za-z0-9_]+)\"").matcher(head);
            int count = 0;
            while (layers.find()) {
                count++;
            }
            if (count > 1) {
                out.add("num_layers", count - 1); // the model's own class_name is first
            }
        }
        return out.build();
    }

    /**
     * A pickle (or joblib dump): the frameworks and estimator classes it names, found by scanning;
     * nothing is unpickled.
     */
    static JsonObject pickle(Path file) throws IOException {
        String text = ascii(file, PICKLE_SCAN);
        Set<String> modules = new TreeSet<>();
        Matcher m = MODULE.matcher(text);
        while (m.find() && modules.size() < 100) {
            modules.add(m.group());
        }
        Set<String> classes = new TreeSet<>();
        Matcher c = PICKLE_CLASS.matcher(text);
        while (c.find() && classes.size() < 100) {
            classes.add(c.group(1) + "." + c.group(2));
        }
        String framework = null;
        for (String candidate :
                List.of("sklearn", "xgboost", "lightgbm", "catboost", "torch", "tensorflow", "keras", "transformers")) {
            if (modules.stream().anyMatch(x -> x.equals(candidate) || x.startsWith(candidate + "."))) {
                framework = candidate.equals("sklearn")
                        ? "scikit-learn"
                        : candidate.equals("torch") ? "pytorch" : candidate;
                break;
            }
        }
        JsonObjectBuilder out = JsonBodies.JSON
                .createObjectBuilder()
                .add("format", "pickle")
                .add("modules", JsonBodies.JSON.createArrayBuilder(new ArrayList<>(modules)))
                .add("classes", JsonBodies.JSON.createArrayBuilder(new ArrayList<>(classes)));
        if (framework != null) {
            out.add("framework", framework);
        }
        return out.build();
    }

    private static String ascii(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(max), StandardCharsets.ISO_8859_1);
        }
    }
}
