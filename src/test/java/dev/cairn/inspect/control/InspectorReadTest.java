package dev.cairn.inspect.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.TestFiles;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reader on a small real file whose properties are known from how {@link TestFiles} makes it. */
class InspectorReadTest {

    @TempDir
    Path dir;

    private Inspector.Found read(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve("staged-" + System.nanoTime());
        Files.write(file, bytes);
        return Inspector.read(file, name, "", "256MB", new AtomicReference<>());
    }

    @Test
    void csvStatistics() throws Exception {
        Inspector.Found found = read("people.csv", TestFiles.csv());
        assertEquals(Inspector.Family.TABULAR, found.family());
        JsonObject info = found.info();
        assertEquals(4, info.getInt("row_count"));
        assertEquals(4, info.getInt("num_features"));
        assertEquals(
                "[\"id\",\"age\",\"name\",\"score\"]",
                info.getJsonArray("feature_columns").toString());
        JsonObject age = info.getJsonObject("column_stats").getJsonObject("age");
        assertEquals(1, age.getInt("nulls"));
        assertEquals(3, age.getInt("count"));
        assertEquals(29, age.getInt("min"));
        assertEquals(51, age.getInt("max"));
        assertEquals(38.0, age.getJsonNumber("mean").doubleValue(), 1e-9);
        JsonObject name = info.getJsonObject("column_stats").getJsonObject("name");
        assertEquals("ann", name.getJsonArray("top_values").getString(0));
        assertEquals(3, name.getInt("distinct"));
        assertEquals("ann", name.getString("min"));
        assertEquals("cy", name.getString("max"));
        JsonObject score = info.getJsonObject("column_stats").getJsonObject("score");
        assertEquals(3.5, score.getJsonNumber("max").doubleValue(), 1e-9);
    }

    @Test
    void jsonLinesAndParquet() throws Exception {
        JsonObject lines = read("people.jsonl", TestFiles.jsonLines()).info();
        assertEquals(4, lines.getInt("row_count"));
        assertEquals(1, lines.getJsonObject("column_stats").getJsonObject("age").getInt("nulls"));
        JsonObject parquet = read("anything.bin", TestFiles.parquet(1000)).info();
        assertEquals("parquet", parquet.getString("format"));
        assertEquals(1000, parquet.getInt("row_count"));
        JsonObject x = parquet.getJsonObject("column_stats").getJsonObject("x");
        assertEquals(1, x.getInt("min"));
        assertEquals(1000, x.getInt("max"));
        assertEquals(500.5, x.getJsonNumber("mean").doubleValue(), 1e-9);
        assertEquals(
                2, parquet.getJsonObject("column_stats").getJsonObject("label").getInt("distinct"));
    }

    @Test
    void safetensorsHeader() throws Exception {
        Inspector.Found found = read("model.safetensors", TestFiles.safetensors());
        assertEquals(Inspector.Family.MODEL, found.family());
        assertEquals(19, found.info().getInt("parameters"));
        assertEquals(2, found.info().getInt("num_layers"));
        assertEquals(3, found.info().getInt("num_tensors"));
        assertEquals(15, found.info().getJsonObject("dtypes").getInt("F32"));
        // detected by its header even without the extension
        assertEquals(
                "safetensors", read("weights", TestFiles.safetensors()).info().getString("format"));
    }

    @Test
    void onnxGraph() throws Exception {
        JsonObject info = read("tiny.onnx", TestFiles.onnx()).info();
        assertEquals(16, info.getInt("parameters"));
        assertEquals(2, info.getInt("num_layers"));
        assertEquals(17, info.getInt("opset"));
        assertEquals("cairn-test", info.getString("producer_name"));
        assertEquals(1, info.getJsonArray("inputs").size());
        assertEquals(
                "[\"N\",3]",
                info.getJsonArray("inputs")
                        .getJsonObject(0)
                        .getJsonArray("shape")
                        .toString());
        assertEquals("float32", info.getJsonArray("inputs").getJsonObject(0).getString("elem_type"));
        assertEquals("y", info.getJsonArray("outputs").getJsonObject(0).getString("name"));
    }

    @Test
    void media() throws Exception {
        Inspector.Found png = read("pixel.png", TestFiles.png());
        assertEquals(Inspector.Family.IMAGE, png.family());
        assertEquals(7, png.info().getInt("width"));
        assertEquals(5, png.info().getInt("height"));
        assertEquals(3, png.info().getInt("channels"));
        assertEquals("png", png.info().getString("format"));
        Inspector.Found wav = read("tone.wav", TestFiles.wav());
        assertEquals(Inspector.Family.AUDIO, wav.family());
        assertEquals(2, wav.info().getInt("channels"));
        assertEquals(8000, wav.info().getInt("sample_rate"));
        Inspector.Found mp4 = read("clip.mp4", TestFiles.mp4());
        assertEquals(Inspector.Family.VIDEO, mp4.family(), mp4.info().toString());
        assertEquals(320, mp4.info().getInt("width"), mp4.info().toString());
        assertEquals(240, mp4.info().getInt("height"));
        assertEquals(
                5.0,
                mp4.info().getJsonNumber("duration_seconds").doubleValue(),
                0.01,
                mp4.info().toString());
    }

    @Test
    void configsAndPickles() throws Exception {
        Inspector.Found json = read("train.json", TestFiles.configJson());
        assertEquals(Inspector.Family.CONFIG, json.family());
        assertEquals(
                "[\"learning_rate\",\"epochs\",\"optimizer\"]",
                json.info().getJsonArray("top_level_keys").toString());
        Inspector.Found yaml = read("train.yaml", "learning_rate: 0.01\nlayers: [1, 2]\n".getBytes());
        assertEquals(
                0.01,
                yaml.content().asJsonObject().getJsonNumber("learning_rate").doubleValue(),
                1e-12);
        // a protocol-4 pickle naming sklearn.linear_model._logistic.LogisticRegression (STACK_GLOBAL form)
        byte[] pickle =
                ("\u0080\u0004\u0095\u0000\u008c\u001fsklearn.linear_model._logistic\u0094\u008c\u0012LogisticRegression\u0094\u0093)")
                        .getBytes(StandardCharsets.ISO_8859_1);
        JsonObject info = read("model.pkl", pickle).info();
        assertEquals("scikit-learn", info.getString("framework"));
        assertTrue(
                info.getJsonArray("classes").toString().contains("sklearn.linear_model._logistic.LogisticRegression"),
                info.toString());
        assertNull(read("notes.txt", "plain words".getBytes()));
    }

    @Test
    void numpyArraysByTheirHeaders() throws Exception {
        Inspector.Found array = read("features.npy", TestFiles.npy("<f8", 3, 4));
        assertEquals(Inspector.Family.TABULAR, array.family(), "an array is a dataset");
        JsonObject info = array.info();
        assertEquals("npy", info.getString("format"));
        assertEquals("float64", info.getString("dtype"));
        assertEquals("[3,4]", info.getJsonArray("shape").toString());
        assertEquals(12, info.getInt("size"));
        assertEquals(3, info.getInt("num_samples"));
        assertEquals(4, info.getInt("num_features"));

        Inspector.Found archive = read("data.bin", TestFiles.npz());
        assertEquals("npz", archive.info().getString("format"), "found by its members, whatever its name");
        assertEquals(2, archive.info().getInt("num_arrays"));
        assertEquals(
                "int64",
                archive.info().getJsonObject("arrays").getJsonObject("y").getString("dtype"));
        assertEquals(
                "[5,3]",
                archive.info()
                        .getJsonObject("arrays")
                        .getJsonObject("x")
                        .getJsonArray("shape")
                        .toString());
        assertEquals("bool", NumpyFiles.dtype("|b1"));
        assertEquals("str[8]", NumpyFiles.dtype("<U8"));
    }

    @Test
    void jsonTooDeepForDuckDbIsNotHandedToIt() throws Exception {
        Path deep = dir.resolve("deep.jsonl");
        Files.writeString(deep, "{\"a\": \"[[[ in a string {{\", \"b\": " + "[".repeat(100) + "]".repeat(100) + "}\n");
        assertEquals(101, Tabular.jsonDepth(deep, false), "brackets inside strings do not count");
        assertThrows(
                IOException.class,
                () -> read("deep.jsonl", Files.readAllBytes(deep)),
                "refused before DuckDB reads it");
    }
}
