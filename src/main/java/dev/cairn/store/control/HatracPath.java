package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.PathSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A request path below {@code /hatrac}, parsed from the raw (still percent-encoded) URL: the name,
 * an optional {@code :version}, and an optional sub-resource after {@code ;} ({@code versions},
 * {@code upload[/JOB[/N]]}, {@code metadata[/FIELD]}, {@code acl...}). {@code /}, {@code :} and
 * {@code ;} are syntax; inside a name they must be percent-encoded. Every name segment is checked:
 * not empty, not {@code .} or {@code ..}, no {@code /} (even encoded), no control characters, at
 * most 255 bytes.
 */
public record HatracPath(String name, String version, Sub sub, String job, Integer chunk, String field, String role) {

    public enum Sub {
        NONE,
        VERSIONS,
        UPLOAD,
        METADATA,
        ACL
    }

    public static final String ROOT = "/";
    private static final int MAX_SEGMENT_BYTES = 255;
    private static final int MAX_NAME_BYTES = 4096;

    /** Parses the raw path that follows {@code /hatrac} (may be empty). */
    public static HatracPath parse(String raw) {
        String rest = raw == null ? "" : raw;
        String sub = null;
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            sub = rest.substring(semicolon + 1);
            rest = rest.substring(0, semicolon);
        }
        String version = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.indexOf(':', Math.max(lastSlash, 0));
        if (colon >= 0) {
            version = decode(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
            if (!version.matches("[0-9A-Z]{1,64}")) {
                throw new CairnException.BadRequest("'" + version + "' is not a version id.");
            }
        }
        String name = name(rest);
        if (version != null && ROOT.equals(name)) {
            throw new CairnException.BadRequest("The root namespace has no versions.");
        }
        HatracPath path = new HatracPath(name, version, Sub.NONE, null, null, null, null);
        return sub == null ? path : path.withSub(sub);
    }

    private HatracPath withSub(String raw) {
        String[] parts = raw.split("/", -1);
        String keyword = parts[0];
        switch (keyword) {
            case "versions":
                expectParts(parts, 1, 1, raw);
                return new HatracPath(name, version, Sub.VERSIONS, null, null, null, null);
            case "upload": {
                expectParts(parts, 1, 3, raw);
                String job = parts.length > 1 ? decode(parts[1]) : null;
                if (job != null && !job.matches("[0-9A-Z]{1,64}")) {
                    throw new CairnException.NotFound("No upload job '" + job + "'.");
                }
                Integer chunk = null;
                if (parts.length > 2) {
                    String number = decode(parts[2]);
                    if (!number.matches("[0-9]{1,9}")) {
                        throw new CairnException.BadRequest(
                                "Chunk number '" + number + "' is not a non-negative integer.");
                    }
                    chunk = Integer.valueOf(number);
                }
                return new HatracPath(name, version, Sub.UPLOAD, job, chunk, null, null);
            }
            case "metadata":
                expectParts(parts, 1, 2, raw);
                return new HatracPath(
                        name,
                        version,
                        Sub.METADATA,
                        null,
                        null,
                        parts.length > 1 ? decode(parts[1]).toLowerCase() : null,
                        null);
            case "acl":
                // ;acl, ;acl/ACCESS or ;acl/ACCESS/ROLE: the access name is kept in field, the role in role
                expectParts(parts, 1, 3, raw);
                return new HatracPath(
                        name,
                        version,
                        Sub.ACL,
                        null,
                        null,
                        parts.length > 1 ? decode(parts[1]) : null,
                        parts.length > 2 ? decode(parts[2]) : null);
            default:
                throw new CairnException.BadRequest("Unknown sub-resource ';" + keyword + "'.");
        }
    }

    private static void expectParts(String[] parts, int min, int max, String raw) {
        if (parts.length < min
                || parts.length > max
                || List.of(parts).subList(1, parts.length).contains("")) {
            throw new CairnException.BadRequest("Malformed sub-resource ';" + raw + "'.");
        }
    }

    private static String name(String raw) {
        String path = raw;
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return ROOT;
        }
        if (!path.startsWith("/")) {
            throw new CairnException.BadRequest("A name starts with '/'.");
        }
        StringBuilder name = new StringBuilder();
        for (String segment : path.substring(1).split("/", -1)) {
            String decoded = decode(segment);
            checkSegment(decoded);
            name.append('/').append(decoded);
        }
        if (name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new CairnException.BadRequest("Names are at most " + MAX_NAME_BYTES + " bytes long.");
        }
        return name.toString();
    }

    /** The name made of these (decoded) segments, each checked as a name segment; 400 otherwise. */
    public static String nameOf(List<String> segments) {
        StringBuilder name = new StringBuilder();
        for (String segment : segments) {
            checkSegment(segment);
            name.append('/').append(segment);
        }
        if (name.length() == 0 || name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new CairnException.BadRequest("Names have 1 to " + MAX_NAME_BYTES + " bytes.");
        }
        return name.toString();
    }

    /**
     * Checks a relative path of name segments ({@code ml_models/production}) as every path of
     * Cairn's is checked: each segment by {@link #checkSegment}, the whole at most
     * {@link #MAX_NAME_BYTES} bytes; the empty path is the root. {@code what} names the field in
     * the problem.
     */
    public static void checkRelative(String what, String path) {
        if (path == null || path.isEmpty()) {
            return;
        }
        try {
            for (String segment : path.split("/", -1)) {
                checkSegment(segment);
            }
            if (path.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new CairnException.BadRequest("at most " + MAX_NAME_BYTES + " bytes");
            }
        } catch (CairnException.BadRequest e) {
            throw new CairnException.BadRequest(
                    what + " is a path of segments such as ml_models/production: no empty segment, no . or "
                            + ".., no control characters, at most " + MAX_SEGMENT_BYTES + " bytes a segment; not '"
                            + printable(path) + "'.");
        }
    }

    /** A text for a problem: each control character shown as its code point ({@code U+0000}), cut at 200 characters. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints()
                .limit(200)
                .forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("U+%04X", c) : Character.toString(c)));
        return out.toString();
    }

    /** Checks one segment of a name: not empty, not . or .., no '/', no control characters, at most 255 bytes. */
    public static void checkSegment(String segment) {
        if (segment.isEmpty()) {
            throw new CairnException.BadRequest("Names have no empty segments ('//').");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new CairnException.BadRequest("'" + segment + "' is not allowed as a name segment.");
        }
        if (segment.indexOf('/') >= 0) {
            throw new CairnException.BadRequest("A name segment cannot contain '/', even encoded.");
        }
        if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CairnException.BadRequest("Names cannot contain control characters.");
        }
        if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw new CairnException.BadRequest("A name segment is at most " + MAX_SEGMENT_BYTES + " bytes long.");
        }
    }

    /** Strict percent-decoding as UTF-8; '+' is a plus. */
    public static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new CairnException.BadRequest("Truncated percent-encoding in '" + raw + "'.");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new CairnException.BadRequest("Bad percent-encoding in '" + raw + "'.");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CairnException.BadRequest("Names are UTF-8; '" + raw + "' is not.");
        }
    }

    /** The URL of a name (and version), percent-encoding what is not unreserved. */
    public static String url(String name, String version) {
        StringBuilder url = new StringBuilder("/hatrac");
        if (!ROOT.equals(name)) {
            for (String segment : name.substring(1).split("/")) {
                url.append('/').append(encode(segment));
            }
        } else {
            url.append('/');
        }
        if (version != null) {
            url.append(':').append(version);
        }
        return url.toString();
    }

    static String encode(String segment) {
        return PathSegment.encode(segment);
    }

    /** The enclosing namespace's name. */
    public static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash <= 0 ? ROOT : name.substring(0, slash);
    }

    public boolean isRoot() {
        return ROOT.equals(name);
    }
}
