package dev.cairn.inspect.control;

import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * NumPy's own formats, read from their headers only (the data is never loaded): a {@code .npy}
 * file is a magic string, a version and a header that is a Python dict literal with
 * {@code descr} (the dtype), {@code fortran_order} and {@code shape}; a {@code .npz} file is a
 * zip of {@code .npy} members. What is recorded: {@code format}, {@code dtype}, {@code shape},
 * {@code ndim}, {@code size} (elements), {@code fortran_order}, and flowyml's {@code num_samples}
 * (the first dimension) and {@code num_features} (the second); for an archive, each array.
 */
final class NumpyFiles {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final int MAX_ARRAYS = 1_000;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']{1,64})'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([0-9,\\s]*)\\)");

    private NumpyFiles() {}

    static boolean isNpy(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static JsonObject npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JsonBodies.JSON
                    .createObjectBuilder(header(in))
                    .add("format", "npy")
                    .build();
        }
    }

    /** Whether a zip holds only {@code .npy} members (an {@code .npz} archive). */
    static boolean isNpz(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            boolean any = false;
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.isDirectory() && !e.getName().endsWith(".npy")) {
                    return false;
                }
                any = true;
            }
            return any;
        }
    }

    static JsonObject npz(Path file) throws IOException {
        JsonObjectBuilder arrays = JsonBodies.JSON.createObjectBuilder();
        int count = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements() && count < MAX_ARRAYS) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    arrays.add(e.getName().replaceFirst("\\.npy$", ""), header(in));
                }
                count++;
            }
        }
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("format", "npz")
                .add("num_arrays", count)
                .add("arrays", arrays)
                .build();
    }

    /** The header of one {@code .npy} stream: dtype, shape and order. */
    private static JsonObject header(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!isNpy(magic)) {
            throw new IOException("not a NumPy .npy array (no \\x93NUMPY magic)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long length = major == 1
                ? Short.toUnsignedInt(Short.reverseBytes(in.readShort()))
                : Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        if (major < 1 || major > 3 || length > MAX_HEADER) {
            throw new IOException(
                    "a NumPy header of version " + major + " and " + length + " bytes is not one Cairn reads");
        }
        String text = new String(
                in.readNBytes((int) length), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(text);
        Matcher shape = SHAPE.matcher(text);
        if (!descr.find() || !shape.find()) {
            throw new IOException("the NumPy header names no simple dtype and shape (a structured dtype?)");
        }
        Matcher order = ORDER.matcher(text);
        JsonArrayBuilder dims = JsonBodies.JSON.createArrayBuilder();
        BigInteger size = BigInteger.ONE;
        int ndim = 0;
        long first = -1;
        long second = -1;
        for (String d : shape.group(1).split(",")) {
            if (d.isBlank()) {
                continue;
            }
            long n = Long.parseLong(d.trim());
            dims.add(n);
            size = size.multiply(BigInteger.valueOf(n));
            if (ndim == 0) {
                first = n;
            } else if (ndim == 1) {
                second = n;
            }
            ndim++;
        }
        JsonObjectBuilder out = JsonBodies.JSON
                .createObjectBuilder()
                .add("dtype", dtype(descr.group(1)))
                .add("descr", descr.group(1))
                .add("shape", dims)
                .add("ndim", ndim)
                .add("size", size)
                .add("fortran_order", order.find() && order.group(1).equals("True"));
        if (first >= 0) {
            out.add("num_samples", first);
        }
        if (second >= 0) {
            out.add("num_features", second);
        }
        return out.build();
    }

    /** NumPy's name of a simple type descriptor ({@code <f8} is float64), or the descriptor itself. */
    static String dtype(String descr) {
        Matcher m = Pattern.compile("[<>|=]?([biufcmMOSUV?])([0-9]*)").matcher(descr);
        if (!m.matches()) {
            return descr;
        }
        String bytes = m.group(2);
        int bits = bytes.isEmpty() ? 0 : Integer.parseInt(bytes) * 8;
        return switch (m.group(1)) {
            case "b", "?" -> "bool";
            case "i" -> "int" + bits;
            case "u" -> "uint" + bits;
            case "f" -> "float" + bits;
            case "c" -> "complex" + bits;
            case "U" -> "str" + (bytes.isEmpty() ? "" : "[" + bytes + "]");
            case "S" -> "bytes" + (bytes.isEmpty() ? "" : "[" + bytes + "]");
            case "O" -> "object";
            case "M" -> "datetime64";
            case "m" -> "timedelta64";
            default -> descr;
        };
    }
}
