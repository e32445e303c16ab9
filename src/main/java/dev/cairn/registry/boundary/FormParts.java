package dev.cairn.registry.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;

import dev.cairn.platform.CairnException;

/**
 * A {@code multipart/form-data} body read part by part as it arrives (Apache Commons FileUpload's
 * streaming API): nothing is buffered beyond the part being read, so a file part streams straight
 * into the object store.
 */
final class FormParts {

    /** The request body and its Content-Type. */
    record Body(String contentType, InputStream content) {
    }

    private static final class Upload extends AbstractFileUpload<Body, DiskFileItem, DiskFileItemFactory> {

        @Override
        public FileItemInputIterator getItemIterator(Body body) throws IOException {
            return getItemIterator(new RequestContext() {
                @Override
                public String getCharacterEncoding() {
                    return StandardCharsets.UTF_8.name();
                }

                @Override
                public long getContentLength() {
                    return -1;
                }

                @Override
                public String getContentType() {
                    return body.contentType();
                }

                @Override
                public InputStream getInputStream() {
                    return body.content();
                }

                @Override
                public boolean isMultipartRelated() {
                    return false;
                }
            });
        }

        @Override
        public java.util.Map<String, java.util.List<DiskFileItem>> parseParameterMap(Body body) {
            throw new UnsupportedOperationException("parts are streamed, never collected");
        }

        @Override
        public java.util.List<DiskFileItem> parseRequest(Body body) {
            throw new UnsupportedOperationException("parts are streamed, never collected");
        }
    }

    private final FileItemInputIterator parts;

    FormParts(String contentType, InputStream content, int maxParts) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new CairnException.BadRequest("Send multipart/form-data (curl -F), not " + contentType + ".");
        }
        Upload upload = new Upload();
        upload.setFileCountMax(maxParts);
        upload.setHeaderCharset(StandardCharsets.UTF_8);
        try {
            parts = upload.getItemIterator(new Body(contentType, content));
        } catch (IOException e) {
            throw new CairnException.BadRequest("The multipart body cannot be read: " + e.getMessage());
        }
    }

    /** The next part, or null after the last; a malformed body is a 400. */
    FileItemInput next() {
        try {
            return parts.hasNext() ? parts.next() : null;
        } catch (IOException e) {
            throw new CairnException.BadRequest("The multipart body is malformed: " + e.getMessage());
        }
    }
}
