package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;
import org.junit.jupiter.api.Test;

/**
 * The multipart reader against Apache Commons FileUpload as the oracle, on random bodies built to
 * be hard: contents full of CRLFs, dashes and prefixes of the delimiter, preambles and epilogues,
 * and a body that arrives in reads of random sizes. {@code -Dformparts.seed=} repeats a run.
 */
class FormPartsTest {

    private record Expected(String name, String filename, String type, byte[] body) {}

    @Test
    void agreesWithCommonsFileUploadOnRandomBodies() throws Exception {
        long seed = Long.getLong("formparts.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int round = 0; round < 400; round++) {
            String boundary =
                    "b" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36).substring(0, 1 + r.nextInt(10));
            byte[] body = body(r, boundary);
            String type = "multipart/form-data; boundary=" + (r.nextBoolean() ? boundary : "\"" + boundary + "\"");
            List<Expected> oracle = oracle(type, body);
            FormParts parts = new FormParts(type, new Chunked(new ByteArrayInputStream(body), r), 100);
            List<Expected> ours = new ArrayList<>();
            for (FormParts.Part p = parts.next(); p != null; p = parts.next()) {
                if (r.nextInt(5) == 0) {
                    continue; // a part left unread is skipped by next()
                }
                ours.add(new Expected(
                        p.name(), p.filename(), p.contentType(), p.body().readAllBytes()));
            }
            // the parts read must be the oracle's, in order, with some skipped
            int i = 0;
            for (Expected o : ours) {
                while (i < oracle.size()
                        && !(oracle.get(i).name().equals(o.name())
                                && Arrays.equals(oracle.get(i).body(), o.body()))) {
                    i++;
                }
                if (i == oracle.size()) {
                    throw new AssertionError("seed " + seed + ", round " + round + ": part " + o.name() + " ("
                            + o.body().length + " bytes) is not what FileUpload read");
                }
                assertEquals(oracle.get(i).filename(), o.filename(), "seed " + seed);
                assertEquals(oracle.get(i).type(), o.type(), "seed " + seed);
                i++;
            }
        }
    }

    @Test
    void everyPartReadInFull() throws Exception {
        long seed = Long.getLong("formparts.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int round = 0; round < 200; round++) {
            String boundary = "----" + r.nextInt(1_000_000);
            byte[] body = body(r, boundary);
            String type = "multipart/form-data; boundary=" + boundary;
            List<Expected> oracle = oracle(type, body);
            FormParts parts = new FormParts(type, new Chunked(new ByteArrayInputStream(body), r), 100);
            int n = 0;
            for (FormParts.Part p = parts.next(); p != null; p = parts.next(), n++) {
                if (n >= oracle.size()) {
                    throw new AssertionError("seed " + seed + ": extra part " + p.name() + " in\n"
                            + new String(body, StandardCharsets.ISO_8859_1)
                                    .replace("\r", "\\r")
                                    .replaceAll("[^\\x20-\\x7e\n]", "."));
                }
                Expected o = oracle.get(n);
                assertEquals(o.name(), p.name(), "seed " + seed);
                assertArrayEquals(
                        o.body(), p.body().readAllBytes(), "seed " + seed + ", round " + round + ", part " + n);
            }
            assertEquals(oracle.size(), n, "seed " + seed);
        }
    }

    @Test
    void transportPaddingAfterABoundaryIsAllowed() throws IOException {
        // RFC 2046 5.1.1: white space may follow a boundary (FileUpload, the oracle, refuses it)
        FormParts parts = new FormParts(
                "multipart/form-data; boundary=XyZ",
                new ByteArrayInputStream(
                        "--XyZ \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nbody\r\n--XyZ--\r\n"
                                .getBytes(StandardCharsets.UTF_8)),
                2);
        FormParts.Part part = parts.next();
        assertEquals("a", part.name());
        assertEquals("body", new String(part.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(null, parts.next());
    }

    @Test
    void malformedBodiesAreClientErrors() {
        String type = "multipart/form-data; boundary=XyZ";
        for (String body : List.of(
                "",
                "no boundary at all",
                "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
                "--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--",
                "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--",
                "--XyZ junk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--")) {
            assertThrows(
                    CairnException.BadRequest.class,
                    () -> {
                        FormParts parts = new FormParts(
                                type, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 10);
                        for (FormParts.Part p = parts.next(); p != null; p = parts.next()) {
                            try {
                                p.body().readAllBytes();
                            } catch (IOException e) {
                                throw new CairnException.BadRequest(e.getMessage());
                            }
                        }
                    },
                    body);
        }
        assertThrows(
                CairnException.BadRequest.class,
                () -> new FormParts("multipart/form-data", InputStream.nullInputStream(), 2));
        assertThrows(
                CairnException.BadRequest.class,
                () -> new FormParts("application/json", InputStream.nullInputStream(), 2));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            many.append("--XyZ\r\nContent-Disposition: form-data; name=\"p")
                    .append(i)
                    .append("\"\r\n\r\nx\r\n");
        }
        FormParts parts =
                new FormParts(type, new ByteArrayInputStream((many + "--XyZ--").getBytes(StandardCharsets.UTF_8)), 2);
        parts.next();
        parts.next();
        assertThrows(CairnException.BadRequest.class, parts::next, "more parts than allowed");
    }

    // ---- random bodies

    private static byte[] body(Random r, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.nextInt(4) == 0) {
            write(out, "preamble text\r\n--not-it\r\n");
        }
        int count = 1 + r.nextInt(4);
        for (int i = 0; i < count; i++) {
            write(out, "--" + boundary + "\r\n");
            write(
                    out,
                    "Content-Disposition: form-data; name=\"part" + i + "\""
                            + (r.nextBoolean() ? "; filename=\"f" + i + ".bin\"" : "") + "\r\n");
            if (r.nextBoolean()) {
                write(out, "Content-Type: application/octet-stream\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(content(r, boundary));
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--");
        if (r.nextBoolean()) {
            write(out, "\r\nepilogue\r\n--" + boundary + "\r\nnot a part");
        }
        return out.toByteArray();
    }

    private static byte[] content(Random r, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = r.nextInt(40);
        String delimiter = "\r\n--" + boundary;
        for (int i = 0; i < pieces; i++) {
            switch (r.nextInt(6)) {
                case 0 ->
                    write(out, delimiter.substring(0, r.nextInt(delimiter.length()))); // a prefix, never the whole
                case 1 -> write(out, "\r\n");
                case 2 -> write(out, "--");
                case 3 -> {
                    byte[] noise = new byte[r.nextInt(r.nextInt(10) == 0 ? 200_000 : 300)];
                    r.nextBytes(noise);
                    out.writeBytes(noise);
                }
                case 4 -> write(out, "\r\n-" + boundary);
                default -> write(out, "text " + i);
            }
        }
        byte[] bytes = out.toByteArray();
        // random noise may spell the delimiter by chance: then it is not valid content
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(delimiter) ? new byte[0] : bytes;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Hands out the bytes in reads of random sizes, as a network does. */
    private static final class Chunked extends FilterInputStream {
        private final Random r;

        Chunked(InputStream in, Random r) {
            super(in);
            this.r = r;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + r.nextInt(r.nextBoolean() ? 7 : 70_000)));
        }
    }

    // ---- the oracle

    private static List<Expected> oracle(String contentType, byte[] body) throws IOException {
        List<Expected> out = new ArrayList<>();
        for (FileItemInputIterator i = new Oracle(contentType).getItemIterator(body); i.hasNext(); ) {
            FileItemInput item = i.next();
            try (InputStream in = item.getInputStream()) {
                out.add(new Expected(item.getFieldName(), item.getName(), item.getContentType(), in.readAllBytes()));
            }
        }
        return out;
    }

    /** Commons FileUpload over a body held in memory. */
    private static final class Oracle extends AbstractFileUpload<byte[], DiskFileItem, DiskFileItemFactory> {

        private final String contentType;

        Oracle(String contentType) {
            this.contentType = contentType;
            setFileItemFactory(DiskFileItemFactory.builder().get());
        }

        private RequestContext context(byte[] request) {
            return new RequestContext() {
                public String getCharacterEncoding() {
                    return "UTF-8";
                }

                public long getContentLength() {
                    return request.length;
                }

                public String getContentType() {
                    return contentType;
                }

                public InputStream getInputStream() {
                    return new ByteArrayInputStream(request);
                }

                public boolean isMultipartRelated() {
                    return false;
                }
            };
        }

        @Override
        public FileItemInputIterator getItemIterator(byte[] request) throws IOException {
            return getItemIterator(context(request));
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(byte[] request) throws FileUploadException {
            return parseParameterMap(context(request));
        }

        @Override
        public List<DiskFileItem> parseRequest(byte[] request) throws FileUploadException {
            return parseRequest(context(request));
        }
    }
}
