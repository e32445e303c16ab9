package dev.cairn.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578, RFC 2046 section 5.1) read part by part as it
 * arrives: nothing is held beyond one 64 KiB buffer, so a file part streams straight into the
 * object store. The delimiter is found with a Horspool search, which looks at about one byte in
 * every delimiter-length; Apache Commons FileUpload's byte-by-byte search took half of a large
 * upload's time (see the typed-assets note). Its bounds: at most {@code maxParts} parts, 100
 * header lines of 8 KiB each per part.
 */
public final class FormParts {

    /**
     * One part: its form field name, the filename it was sent with (null for a field) and its
     * Content-Type (null when none).
     */
    public record Part(String name, String filename, String contentType, InputStream body) {}

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]{1,70})\"|([^;\\s\"]{1,70}))");
    private static final Pattern PARAMETER =
            Pattern.compile(";\\s*([A-Za-z0-9*_-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] skip = new int[256];
    private final int maxParts;
    private final byte[] buffer;
    private int head;
    private int tail;
    /** No delimiter starts before this position of the buffer (so a search resumes here). */
    private int clean;

    private boolean eof;
    private int parts;
    private boolean done;
    private PartBody current;

    public FormParts(String contentType, InputStream content, int maxParts) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new CairnException.BadRequest("Send multipart/form-data (curl -F), not " + contentType + ".");
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new CairnException.BadRequest("The multipart Content-Type names no boundary (1 to 70 characters).");
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Arrays.fill(skip, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            skip[delimiter[i] & 0xff] = delimiter.length - 1 - i;
        }
        this.in = content;
        this.maxParts = maxParts;
        // the body starts with the first delimiter without its CRLF: a CRLF in front makes every delimiter alike
        this.buffer = new byte[Math.max(BUFFER, delimiter.length * 4)];
        buffer[0] = '\r';
        buffer[1] = '\n';
        tail = 2;
    }

    /** The next part, or null after the last; a malformed body is a 400. */
    public Part next() {
        try {
            if (done) {
                return null;
            }
            if (current != null) {
                current.transferTo(OutputStream.nullOutputStream()); // the rest of the part before
            } else if (!skipPreamble()) {
                throw new CairnException.BadRequest("The multipart body is malformed: no boundary found.");
            }
            // after a delimiter: "--" ends the body; otherwise optional padding and a CRLF
            fill(2);
            if (tail - head >= 2 && buffer[head] == '-' && buffer[head + 1] == '-') {
                done = true;
                return null;
            }
            String padding = line();
            if (!padding.isBlank()) {
                throw new CairnException.BadRequest("The multipart body is malformed: text after a boundary.");
            }
            if (++parts > maxParts) {
                throw new CairnException.BadRequest("A multipart body here holds at most " + maxParts + " parts.");
            }
            String disposition = null;
            String type = null;
            for (int count = 0; ; count++) {
                String header = line();
                if (header.isEmpty()) {
                    break;
                }
                if (count >= MAX_HEADERS) {
                    throw new CairnException.BadRequest(
                            "A multipart part has more than " + MAX_HEADERS + " header lines.");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new CairnException.BadRequest(
                            "The multipart body is malformed: a header line without a name.");
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-disposition")) {
                    disposition = value;
                } else if (name.equals("content-type")) {
                    type = value;
                }
            }
            if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
                throw new CairnException.BadRequest(
                        "A multipart part needs Content-Disposition: form-data; name=\"...\".");
            }
            current = new PartBody();
            return new Part(parameter(disposition, "name"), parameter(disposition, "filename"), type, current);
        } catch (IOException e) {
            throw new CairnException.BadRequest("The multipart body cannot be read: " + e.getMessage());
        }
    }

    private static String parameter(String header, String wanted) {
        Matcher m = PARAMETER.matcher(header);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(wanted)) {
                return m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
            }
        }
        return null;
    }

    /** Reads past the preamble and the first delimiter; false when the body ends first. */
    private boolean skipPreamble() throws IOException {
        while (true) {
            int at = find();
            if (at >= 0) {
                head = at + delimiter.length;
                clean = head;
                return true;
            }
            head = Math.max(head, tail - delimiter.length + 1);
            if (!fillMore()) {
                return false;
            }
        }
    }

    /** A header line (ISO-8859-1, as most clients send; UTF-8 names survive as their bytes), without its CRLF. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (head == tail && !fillMore()) {
                throw new CairnException.BadRequest("The multipart body ends inside a part's headers.");
            }
            byte b = buffer[head++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_HEADER_LINE) {
                throw new CairnException.BadRequest(
                        "A multipart header line is longer than " + MAX_HEADER_LINE + " bytes.");
            }
            line.write(b);
        }
    }

    /** The position of the delimiter in the buffer from {@code head}, or -1 (Horspool). */
    private int find() {
        int n = delimiter.length;
        int last = n - 1;
        for (int i = Math.max(head, clean); i + n <= tail; ) {
            byte b = buffer[i + last];
            if (b == delimiter[last]) {
                int j = last - 1;
                while (j >= 0 && buffer[i + j] == delimiter[j]) {
                    j--;
                }
                if (j < 0) {
                    clean = i;
                    return i;
                }
            }
            i += skip[b & 0xff];
        }
        clean = Math.max(clean, tail - n + 1);
        return -1;
    }

    /** Ensures at least {@code wanted} bytes after head, or as many as the body has. */
    private void fill(int wanted) throws IOException {
        while (tail - head < wanted && fillMore()) {
            // reading
        }
    }

    /** Reads more of the body into the buffer (compacting it first); false at its end. */
    private boolean fillMore() throws IOException {
        if (eof) {
            return false;
        }
        if (head > 0) {
            System.arraycopy(buffer, head, buffer, 0, tail - head);
            tail -= head;
            clean = Math.max(0, clean - head);
            head = 0;
        }
        int n = in.read(buffer, tail, buffer.length - tail);
        if (n < 0) {
            eof = true;
            return false;
        }
        tail += n;
        return true;
    }

    /** A part's bytes: up to the next delimiter, which it consumes at its end. */
    private final class PartBody extends InputStream {

        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended || current != this) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int at = find();
                if (at >= 0) {
                    if (at == head) {
                        head += delimiter.length;
                        clean = head;
                        ended = true;
                        return -1;
                    }
                    int n = Math.min(len, at - head);
                    System.arraycopy(buffer, head, b, off, n);
                    head += n;
                    return n;
                }
                // no delimiter: what cannot be the start of one is part of the body
                int safe = tail - head - (delimiter.length - 1);
                if (safe > 0) {
                    int n = Math.min(len, safe);
                    System.arraycopy(buffer, head, b, off, n);
                    head += n;
                    return n;
                }
                if (!fillMore()) {
                    throw new IOException("the body ends inside a part (no closing boundary)");
                }
            }
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            byte[] chunk = new byte[BUFFER];
            long total = 0;
            for (int n = read(chunk, 0, chunk.length); n >= 0; n = read(chunk, 0, chunk.length)) {
                out.write(chunk, 0, n);
                total += n;
            }
            return total;
        }
    }
}
