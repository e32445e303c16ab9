package dev.cairn;

import com.google.protobuf.CodedOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Small real files of each kind Cairn inspects, made in the test with known properties: the
 * values the tests check come from how each file is made here.
 */
public final class TestFiles {

    private TestFiles() {}

    /** 4 rows: id (integer), age (integer, one null), name (text), score (double). */
    public static byte[] csv() {
        return "id,age,name,score\n1,34,ann,0.5\n2,,bob,1.5\n3,51,cy,2.5\n4,29,ann,3.5\n"
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The same 4 rows as JSON lines. */
    public static byte[] jsonLines() {
        return ("{\"id\":1,\"age\":34,\"name\":\"ann\",\"score\":0.5}\n{\"id\":2,\"age\":null,\"name\":\"bob\",\"score\":1.5}\n"
                        + "{\"id\":3,\"age\":51,\"name\":\"cy\",\"score\":2.5}\n{\"id\":4,\"age\":29,\"name\":\"ann\",\"score\":3.5}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A Parquet file of {@code rows} rows: x = 1..rows (BIGINT), label = 'even' or 'odd', written by DuckDB. */
    public static byte[] parquet(int rows) throws Exception {
        Path dir = Files.createTempDirectory("cairn-parquet");
        Path file = dir.resolve("t.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute(
                    "COPY (SELECT range + 1 AS x, CASE WHEN range % 2 = 1 THEN 'even' ELSE 'odd' END AS label FROM range("
                            + rows + ")) TO '" + file + "' (FORMAT parquet)");
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        Files.delete(dir);
        return bytes;
    }

    /** A safetensors file: two layers of weights (F32 [4,3] and [3]) and one of F16 [2,2]: 19 parameters, 2 layers. */
    public static byte[] safetensors() {
        String header =
                "{\"__metadata__\":{\"format\":\"pt\"},\"model.layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
                        + "\"model.layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                        + "\"model.layers.1.weight\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[60,68]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 68).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    /**
     * An ONNX model: opset 17, input x [N, 3] float32, output y, MatMul then Add, initializers W [3,4]
     * and B [4]: 16 parameters, 2 nodes.
     */
    public static byte[] onnx() throws IOException {
        byte[] shapeX = message(o -> {
            o.writeByteArray(1, message(d -> d.writeString(2, "N")));
            o.writeByteArray(1, message(d -> d.writeInt64(1, 3)));
        });
        byte[] typeX = message(o -> o.writeByteArray(1, message(t -> {
            t.writeInt32(1, 1);
            t.writeByteArray(2, shapeX);
        })));
        byte[] typeY = message(o -> o.writeByteArray(1, message(t -> t.writeInt32(1, 1))));
        byte[] graph = message(g -> {
            g.writeByteArray(1, message(n -> n.writeString(4, "MatMul")));
            g.writeByteArray(1, message(n -> n.writeString(4, "Add")));
            g.writeString(2, "tiny");
            g.writeByteArray(5, message(t -> {
                t.writeByteArray(1, message(p -> {
                    p.writeInt64NoTag(3);
                    p.writeInt64NoTag(4);
                }));
                t.writeInt32(2, 1);
                t.writeString(8, "W");
            }));
            g.writeByteArray(5, message(t -> {
                t.writeInt64(1, 4);
                t.writeInt32(2, 1);
                t.writeString(8, "B");
            }));
            g.writeByteArray(11, message(v -> {
                v.writeString(1, "x");
                v.writeByteArray(2, typeX);
            }));
            g.writeByteArray(12, message(v -> {
                v.writeString(1, "y");
                v.writeByteArray(2, typeY);
            }));
        });
        return message(m -> {
            m.writeInt64(1, 8);
            m.writeString(2, "cairn-test");
            m.writeByteArray(7, graph);
            m.writeByteArray(8, message(o -> o.writeInt64(2, 17)));
        });
    }

    /** A 7 x 5 RGB PNG. */
    public static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** One second of 16-bit stereo silence at 8000 Hz, as WAV. */
    public static byte[] wav() throws IOException {
        AudioFormat format = new AudioFormat(8000, 16, 2, true, false);
        byte[] pcm = new byte[8000 * 4];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(
                new AudioInputStream(new ByteArrayInputStream(pcm), format, 8000), AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    /** An MP4 header (no media data): 5 s long, one avc1 video track of 320 x 240. */
    public static byte[] mp4() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, box("ftyp", ascii("isom"), be(0x200), ascii("isom"), ascii("mp41")));
        byte[] matrix = concat(be(0x10000), be(0), be(0), be(0), be(0x10000), be(0), be(0), be(0), be(0x40000000));
        byte[] mvhd = box(
                "mvhd",
                be(0),
                be(0),
                be(0),
                be(1000),
                be(5000),
                be(0x10000),
                new byte[] {1, 0},
                new byte[10],
                matrix,
                new byte[24],
                be(2));
        byte[] tkhd = box(
                "tkhd",
                be(3),
                be(0),
                be(0),
                be(1),
                be(0),
                be(5000),
                new byte[8],
                new byte[2],
                new byte[2],
                new byte[2],
                new byte[2],
                matrix,
                be(320 << 16),
                be(240 << 16));
        byte[] mdhd = box("mdhd", be(0), be(0), be(0), be(1000), be(5000), new byte[] {0x55, (byte) 0xc4}, new byte[2]);
        byte[] hdlr = box("hdlr", be(0), be(0), ascii("vide"), new byte[12], new byte[] {0});
        byte[] avc1 = box(
                "avc1",
                new byte[6],
                new byte[] {0, 1},
                new byte[16],
                new byte[] {0x01, 0x40},
                new byte[] {0, (byte) 0xf0},
                be(0x480000),
                be(0x480000),
                be(0),
                new byte[] {0, 1},
                new byte[32],
                new byte[] {0, 0x18},
                new byte[] {(byte) 0xff, (byte) 0xff});
        byte[] stsd = box("stsd", be(0), be(1), avc1);
        byte[] minf = box("minf", box("vmhd", be(1), new byte[8]), box("stbl", stsd));
        byte[] trak = box("trak", tkhd, box("mdia", mdhd, hdlr, minf));
        write(out, box("moov", mvhd, trak));
        return out.toByteArray();
    }

    /** A JSON config with three top-level keys. */
    public static byte[] configJson() {
        return "{\"learning_rate\": 0.01, \"epochs\": 10, \"optimizer\": {\"name\": \"adam\"}}"
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---- helpers

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] box(String type, byte[]... parts) {
        byte[] body = concat(parts);
        return concat(be(8 + body.length), ascii(type), body);
    }

    private static byte[] be(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            write(out, p);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }

    /**
     * A NumPy {@code .npy} array of the given descriptor and shape, its data zeros, as {@code
     * numpy.save} writes it.
     */
    public static byte[] npy(String descr, int... shape) {
        StringBuilder dims = new StringBuilder();
        long elements = 1;
        for (int d : shape) {
            dims.append(d).append(", ");
            elements *= d;
        }
        String tuple = shape.length == 1
                ? "(" + shape[0] + ",)"
                : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
        StringBuilder header =
                new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {
            (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)
        });
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[(int) elements * Integer.parseInt(descr.replaceAll("[^0-9]", ""))]);
        return out.toByteArray();
    }

    /**
     * A NumPy {@code .npz} archive of two arrays, x (float64, 5 x 3) and y (int64, 5), as {@code
     * numpy.savez} writes it.
     */
    public static byte[] npz() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("x.npy"));
                zip.write(npy("<f8", 5, 3));
                zip.putNextEntry(new ZipEntry("y.npy"));
                zip.write(npy("<i8", 5));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
