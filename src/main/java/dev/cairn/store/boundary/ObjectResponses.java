package dev.cairn.store.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.store.control.Digests;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import dev.cairn.store.control.Storage;
import dev.cairn.store.control.VersionInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The response that carries an object version: Hatrac's headers, conditional requests
 * ({@code If-None-Match} gives 304, {@code If-Match} 412), and single byte ranges (206, or 416
 * when unsatisfiable) so that downloads can resume. The bytes stream from the blob store, or, for
 * large content on S3 when the operator allows it, the client is sent to a short-lived signed URL
 * of the bucket (303; the client's {@code Range} goes with it).
 */
public final class ObjectResponses {

    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private ObjectResponses() {}

    public static Response content(ObjectStore objects, VersionInfo v, HttpHeaders headers, boolean head) {
        String ifNoneMatch = headers.getHeaderString("If-None-Match");
        if (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, Optional.of(v))) {
            return Response.notModified(v.version())
                    .header("Content-Location", v.url())
                    .build();
        }
        String ifMatch = headers.getHeaderString("If-Match");
        if (ifMatch != null) {
            new Preconditions(ifMatch, null).check(Optional.of(v));
        }

        if (!head) {
            Optional<URI> elsewhere = objects.redirect(v);
            if (elsewhere.isPresent()) {
                // large content straight from the bucket, by a short-lived signed URL: the access check has been made
                return Response.seeOther(elsewhere.get())
                        .header("Content-MD5", Digests.base64(v.md5()))
                        .header("Content-SHA256", Digests.base64(v.sha256()))
                        .header("Content-Location", v.url())
                        .header("Cache-Control", "private, no-store")
                        .tag(v.version())
                        .build();
            }
        }
        String sendfileType = headers.getHeaderString("X-Sendfile-Type");
        if (sendfileType != null && !head && headers.getHeaderString("If-Range") == null) {
            Optional<Storage.Offload> offload = objects.offload(v, sendfileType);
            if (offload.isPresent()) {
                // the proxy in front sends the file (ranges too); access and preconditions were checked here
                return described(Response.ok(), v)
                        .header(offload.get().header(), offload.get().value())
                        .build();
            }
        }
        long length = v.length();
        long offset = 0;
        long count = length;
        Response.ResponseBuilder response = Response.ok();
        String range = headers.getHeaderString("Range");
        String ifRange = headers.getHeaderString("If-Range");
        if (range != null && (ifRange == null || ifRange.trim().equals(v.etag()))) {
            long[] span = span(range, length);
            if (span != null) {
                offset = span[0];
                count = span[1] - span[0] + 1;
                response =
                        Response.status(206).header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + length);
            }
        }

        described(response, v).header("Content-Length", count);
        if (!head && count > 0) {
            long from = offset;
            long bytes = count;
            StreamingOutput body = out -> {
                try (InputStream in = objects.open(v, from, bytes)) {
                    // large blocks: each write to the container's stream has a fixed cost
                    // (InputStream.transferTo would write 8 KiB at a time)
                    byte[] buffer = new byte[(int) Math.min(bytes, 1 << 20)];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                    }
                }
            };
            response.entity(body);
        }
        return response.build();
    }

    /** A version's own headers: type, disposition, checksums, where it lives, its ETag, and that ranges are served. */
    private static Response.ResponseBuilder described(Response.ResponseBuilder response, VersionInfo v) {
        response.type(v.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : v.contentType())
                .header("Content-MD5", Digests.base64(v.md5()))
                .header("Content-SHA256", Digests.base64(v.sha256()))
                .header("Content-Location", v.url())
                .header("Accept-Ranges", "bytes")
                .tag(v.version());
        if (v.contentDisposition() != null) {
            response.header("Content-Disposition", v.contentDisposition());
        }
        return response;
    }

    /**
     * The first and last byte of a single range; null to send everything (a form Cairn does not
     * serve, such as several ranges); 416 when no byte of it exists.
     */
    static long[] span(String range, long length) {
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        long first;
        long last;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0) {
                    throw unsatisfiable(length);
                }
                first = Math.max(0, length - suffix);
                last = length - 1;
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            }
        } catch (NumberFormatException tooLarge) {
            return null;
        }
        if (first >= length || first > last) {
            throw unsatisfiable(length);
        }
        return new long[] {first, last};
    }

    private static CairnException unsatisfiable(long length) {
        return new RangeNotSatisfiable(length);
    }

    /** 416, with the object's length for the client. */
    static final class RangeNotSatisfiable extends CairnException {
        RangeNotSatisfiable(long length) {
            super(
                    ErrorCode.RANGE_NOT_SATISFIABLE,
                    "Range Not Satisfiable",
                    "The range asks for bytes the object does not have; it has " + length + ".",
                    null);
        }
    }
}
