package dev.cairn.store.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.Routes;
import dev.cairn.store.control.Digests;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import dev.cairn.store.control.StoreAccess;
import dev.cairn.store.control.UploadJobs;
import dev.cairn.store.control.VersionInfo;
import dev.cairn.store.entity.StoreName.Kind;
import dev.cairn.store.entity.UploadJob;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hatrac's REST API under {@code /hatrac}. Parses the raw request path itself, because JAX-RS
 * drops everything after a {@code ;}, and dispatches on method and sub-resource. Access is Hatrac's
 * ({@link StoreAccess}): reading needs {@code read} (or a {@code subtree-read} above), binding a
 * new name {@code create} on its namespace, a new version {@code update} on its object, deleting
 * and ACLs {@code owner}; an upload job is its creator's. Names and versions record the client.
 */
@Routes.Shown("/hatrac/{path}")
@Path("/hatrac{rest: .*}")
public class HatracResource {

    static final String NAMESPACE_TYPE = "application/x-hatrac-namespace";
    static final String URI_LIST = "text/uri-list";
    /**
     * The largest object or chunk length a job may declare (1 PiB): far beyond any upload, and no sum
     * of two overflows.
     */
    static final long MAX_LENGTH = 1L << 50;

    @Inject
    ObjectStore objects;

    @Inject
    UploadJobs uploads;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @Inject
    Caller caller;

    @Inject
    StoreAccess access;

    @GET
    public Response get() {
        return read(false);
    }

    @HEAD
    public Response head() {
        return read(true);
    }

    @PUT
    @Consumes("*/*")
    public Response put(@QueryParam("parents") Boolean parents, InputStream body) {
        HatracPath path = path();
        RequestClient client = caller.client();
        switch (path.sub()) {
            case NONE -> {
                if (path.version() != null) {
                    throw notAllowed("an object version is immutable", "GET", "HEAD", "DELETE");
                }
                StoreAccess.Target target = access.target(path.name(), null);
                if (!(target.exists() && isNamespaceType())) {
                    access.requireWrite(target);
                }
                if (isNamespaceType()) {
                    // over an existing object too: that is a 409, never an empty new version
                    objects.createNamespace(path.name(), Boolean.TRUE.equals(parents), client);
                    return created(HatracPath.url(path.name(), null));
                }
                VersionInfo version = objects.put(
                        path.name(), Boolean.TRUE.equals(parents), body, declared(), preconditions(), client);
                return created(version.url());
            }
            case UPLOAD -> {
                if (path.job() == null || path.chunk() == null) {
                    throw notAllowed("chunks are sent to ;upload/JOB/N", "GET", "POST", "DELETE");
                }
                requireJob(path);
                uploads.putChunk(path.name(), path.job(), path.chunk(), body);
                return Response.noContent().build();
            }
            case METADATA -> throw notAllowed("a version's metadata is fixed when it is stored", "GET", "HEAD");
            case ACL -> {
                changeAcl(path, body, true);
                return Response.noContent().build();
            }
            default -> throw notAllowed("this sub-resource is read-only", "GET", "HEAD");
        }
    }

    @POST
    @Consumes("*/*")
    public Response post(@QueryParam("parents") Boolean parents, InputStream body) {
        HatracPath path = path();
        if (path.sub() == HatracPath.Sub.NONE && path.version() == null && !path.isRoot()) {
            return command(path, body, Boolean.TRUE.equals(parents));
        }
        if (path.sub() != HatracPath.Sub.UPLOAD || path.chunk() != null || path.version() != null) {
            throw notAllowed(
                    "POST creates (;upload) or finishes (;upload/JOB) upload jobs", "GET", "HEAD", "PUT", "DELETE");
        }
        RequestClient client = caller.client();
        if (path.job() == null) {
            access.requireWrite(access.target(path.name(), null));
            UploadJob job = uploads.create(path.name(), Boolean.TRUE.equals(parents), uploadRequest(body), client);
            return created(jobUrl(path.name(), job.id()));
        }
        requireJob(path);
        return created(uploads.finish(path.name(), path.job(), client).url());
    }

    /** {@code POST /hatrac/obj} with {@code {"command": "rename_from", "source_name": ..., "versions": [...]}}. */
    private Response command(HatracPath path, InputStream body, boolean parents) {
        JsonObject command = jsonObject(body, "{\"command\": \"rename_from\", \"source_name\": \"/ns/old\"}");
        if (!"rename_from".equals(text(command, "command"))) {
            throw new CairnException.BadRequest(
                    "POST on an object takes {\"command\": \"rename_from\", \"source_name\": ...}.");
        }
        for (String field : command.keySet()) {
            if (!List.of("command", "source_name", "versions", "copy_acls").contains(field)) {
                throw new CairnException.BadRequest(
                        "rename_from takes command, source_name, versions and copy_acls, not \"" + field + "\".");
            }
        }
        String source = text(command, "source_name");
        if (source == null) {
            throw new CairnException.BadRequest(
                    "rename_from needs \"source_name\", the object to rename, such as /ns/old.");
        }
        HatracPath from =
                HatracPath.parse(source.startsWith("/hatrac/") ? source.substring("/hatrac".length()) : source);
        if (from.sub() != HatracPath.Sub.NONE || from.version() != null || from.isRoot()) {
            throw new CairnException.BadRequest("\"source_name\" names an object, such as /ns/old.");
        }
        List<String> versions = null;
        if (command.containsKey("versions") && !command.isNull("versions")) {
            if (!(command.get("versions") instanceof JsonArray array)
                    || !array.stream().allMatch(v -> v instanceof JsonString)) {
                throw new CairnException.BadRequest("\"versions\" is a list of version strings.");
            }
            versions = array.getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .toList();
        }
        if (command.containsKey("copy_acls")
                && !(command.get("copy_acls") == JsonValue.TRUE || command.get("copy_acls") == JsonValue.FALSE)) {
            throw new CairnException.BadRequest("\"copy_acls\" is true or false.");
        }
        access.requireOwner(access.target(from.name(), null));
        access.requireWrite(access.target(path.name(), null));
        String url = objects.renameFrom(path.name(), from.name(), versions, parents, caller.client())
                .url();
        if (command.get("copy_acls") == JsonValue.TRUE) {
            access.copy(from.name(), path.name());
        }
        return created(url);
    }

    @DELETE
    public Response delete() {
        HatracPath path = path();
        switch (path.sub()) {
            case NONE -> {
                StoreAccess.Target target = access.target(path.name(), path.version());
                access.requireOwner(target);
                access.requireUnreferenced(target);
                if (path.version() != null) {
                    objects.deleteVersion(path.name(), path.version(), preconditions());
                } else if (path.isRoot() || objects.kindOf(path.name()) == Kind.namespace) {
                    objects.deleteNamespace(path.name());
                } else {
                    objects.deleteObject(path.name(), preconditions());
                }
            }
            case UPLOAD -> {
                if (path.job() == null || path.chunk() != null) {
                    throw notAllowed("DELETE cancels a job: ;upload/JOB", "GET", "POST");
                }
                requireJob(path);
                uploads.cancel(path.name(), path.job());
            }
            case ACL -> changeAcl(path, null, false);
            default -> throw notAllowed("this sub-resource cannot be deleted", "GET", "HEAD");
        }
        return Response.noContent().build();
    }

    private Response read(boolean head) {
        HatracPath path = path();
        switch (path.sub()) {
            case UPLOAD -> {
                if (path.job() == null) {
                    access.requireOwner(access.target(path.name(), null));
                } else {
                    requireJob(path);
                }
            }
            case ACL -> access.requireOwner(access.target(path.name(), path.version()));
            default -> access.requireRead(access.target(path.name(), path.version()));
        }
        return switch (path.sub()) {
            case NONE -> {
                if (path.version() != null) {
                    yield ObjectResponses.content(objects, objects.version(path.name(), path.version()), headers, head);
                }
                if (path.isRoot() || objects.kindOf(path.name()) == Kind.namespace) {
                    yield listing(
                            objects.list(path.name()).stream()
                                    .map(n -> HatracPath.url(n, null))
                                    .toList(),
                            head);
                }
                yield ObjectResponses.content(objects, objects.current(path.name()), headers, head);
            }
            case VERSIONS ->
                listing(
                        objects.versions(path.name()).stream()
                                .map(VersionInfo::url)
                                .toList(),
                        head);
            case UPLOAD ->
                path.job() == null
                        ? listing(
                                uploads.list(path.name()).stream()
                                        .map(j -> jobUrl(path.name(), j.id()))
                                        .toList(),
                                head)
                        : json(jobDocument(uploads.status(path.name(), path.job())), head);
            case METADATA -> metadata(path, head);
            case ACL -> json(acls(path), head);
        };
    }

    /**
     * Hatrac's access-control lists of a namespace, object or version: all of them
     * ({@code ;acl}), one ({@code ;acl/ACCESS}), or whether one names a role ({@code ;acl/ACCESS/ROLE}).
     */
    private Object acls(HatracPath path) {
        if (path.version() != null) {
            objects.version(path.name(), path.version());
        } else {
            objects.kindOf(path.name());
        }
        StoreAccess.Target target = access.target(path.name(), path.version());
        Map<String, List<String>> acls = access.acls(target);
        if (path.field() == null) {
            return acls;
        }
        access.checkAccess(target, path.field());
        List<String> one = acls.get(path.field());
        if (path.role() != null) {
            if (!one.contains(path.role())) {
                throw new CairnException.NotFound("ACL " + path.field() + " does not name " + path.role() + ".");
            }
            return List.of(path.role());
        }
        return one;
    }

    /**
     * PUT {@code ;acl/ACCESS} (a JSON list replaces it), PUT {@code ;acl/ACCESS/ROLE} (adds the
     * role), DELETE {@code ;acl/ACCESS} (clears it), DELETE {@code ;acl/ACCESS/ROLE} (removes the role).
     */
    private void changeAcl(HatracPath path, InputStream body, boolean put) {
        if (path.field() == null) {
            throw notAllowed("set one ACL at ;acl/ACCESS", "GET", "HEAD");
        }
        if (path.version() != null) {
            objects.version(path.name(), path.version());
        } else {
            objects.kindOf(path.name());
        }
        StoreAccess.Target target = access.target(path.name(), path.version());
        access.requireOwner(target);
        access.checkAccess(target, path.field());
        List<String> roles = new ArrayList<>(access.acls(target).get(path.field()));
        if (path.role() != null) {
            if (put) {
                if (!roles.contains(path.role())) {
                    roles.add(path.role());
                }
            } else if (!roles.remove(path.role())) {
                throw new CairnException.NotFound("ACL " + path.field() + " does not name " + path.role() + ".");
            }
        } else if (put) {
            JsonValue value = JsonBodies.parse(JsonBodies.text(body, 1 << 20));
            if (!(value instanceof JsonArray array)
                    || array.size() > 1000
                    || !array.stream()
                            .allMatch(v -> v instanceof JsonString r
                                    && !r.getString().isEmpty()
                                    && r.getString().length() <= 500)) {
                throw new CairnException.BadRequest(
                        "An ACL is a JSON list of up to 1,000 roles, such as [\"user:alice\", \"*\"].");
            }
            roles = array.getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .distinct()
                    .toList();
        } else {
            roles = List.of();
        }
        access.set(target, path.field(), roles);
    }

    /** An upload job is its creator's (and its object's owners'). */
    private void requireJob(HatracPath path) {
        UploadJob job = uploads.status(path.name(), path.job()).job();
        boolean mine = caller.client().id() != null && caller.client().id().equals(job.createdBy());
        if (!mine) {
            access.requireOwner(access.target(path.name(), null));
        }
    }

    private Response metadata(HatracPath path, boolean head) {
        VersionInfo v =
                path.version() == null ? objects.current(path.name()) : objects.version(path.name(), path.version());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("content-type", v.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : v.contentType());
        fields.put("content-length", v.length());
        fields.put("content-md5", Digests.base64(v.md5()));
        fields.put("content-sha256", Digests.base64(v.sha256()));
        if (v.contentDisposition() != null) {
            fields.put("content-disposition", v.contentDisposition());
        }
        if (path.field() == null) {
            return json(fields, head);
        }
        Object value = Optional.ofNullable(fields.get(path.field()))
                .orElseThrow(() ->
                        new CairnException.NotFound("No metadata field '" + path.field() + "' on " + v.url() + "."));
        return Response.ok(head ? null : String.valueOf(value), MediaType.TEXT_PLAIN)
                .tag(v.version())
                .build();
    }

    // ---- request parsing

    private HatracPath path() {
        String uri = request.getRequestURI();
        String raw = uri.substring(request.getContextPath().length() + "/hatrac".length());
        if (!raw.isEmpty() && !raw.startsWith("/") && !raw.startsWith(";")) {
            throw new NotFoundException();
        }
        return HatracPath.parse(raw);
    }

    private boolean isNamespaceType() {
        MediaType type = mediaType();
        return type != null && NAMESPACE_TYPE.equals(type.getType() + "/" + type.getSubtype());
    }

    /** The request's Content-Type; one that cannot be parsed is the client's mistake. */
    private MediaType mediaType() {
        try {
            return headers.getMediaType();
        } catch (RuntimeException e) {
            throw new CairnException.BadRequest("The Content-Type header is not a media type.");
        }
    }

    private ObjectStore.Declared declared() {
        long length = request.getContentLengthLong();
        String disposition = ContentDisposition.check(headers.getHeaderString("Content-Disposition"));
        MediaType type = mediaType();
        return new ObjectStore.Declared(
                length >= 0 ? length : null,
                Digests.md5("Content-MD5", headers.getHeaderString("Content-MD5"))
                        .orElse(null),
                Digests.sha256("Content-SHA256", headers.getHeaderString("Content-SHA256"))
                        .orElse(null),
                type == null ? null : contentType(type.toString()),
                disposition);
    }

    private Preconditions preconditions() {
        return new Preconditions(headers.getHeaderString("If-Match"), headers.getHeaderString("If-None-Match"));
    }

    /** A small JSON object body (at most 64 KiB); {@code example} shows the client what is expected. */
    private static JsonObject jsonObject(InputStream body, String example) {
        if (!(JsonBodies.parse(JsonBodies.text(body, 65_536)) instanceof JsonObject object)) {
            throw new CairnException.BadRequest("Expected a JSON object such as " + example + ".");
        }
        return object;
    }

    private static UploadJobs.Request uploadRequest(InputStream body) {
        JsonObject job = jsonObject(
                body, "{\"chunk-length\": 26214400, \"content-length\": 104857600, \"content-md5\": \"...\"}");
        return new UploadJobs.Request(
                length(job, "chunk-length", "chunk_bytes"),
                length(job, "content-length", "total_bytes"),
                contentType(text(job, "content-type")),
                Digests.md5(
                                "content-md5",
                                Optional.ofNullable(text(job, "content-md5")).orElse(text(job, "content_md5")))
                        .orElse(null),
                Digests.sha256("content-sha256", text(job, "content-sha256")).orElse(null),
                ContentDisposition.check(text(job, "content-disposition")));
    }

    private static long length(JsonObject job, String name, String alias) {
        JsonValue value = job.containsKey(name) ? job.get(name) : job.get(alias);
        if (!(value instanceof JsonNumber number)
                || !number.isIntegral()
                || number.bigDecimalValue().signum() < 0
                || number.bigDecimalValue().compareTo(BigDecimal.valueOf(MAX_LENGTH)) > 0) {
            throw new CairnException.BadRequest(
                    "An upload job needs \"" + name + "\", a whole number of bytes from 0 to " + MAX_LENGTH + ".");
        }
        return number.longValue();
    }

    /** A media type as the object will be served with; one that cannot be parsed would make the object unreadable. */
    static String contentType(String type) {
        if (type == null) {
            return null;
        }
        try {
            MediaType parsed = MediaType.valueOf(type);
            if (parsed.getType().equals("*") || parsed.getSubtype().equals("*") || type.length() > 255) {
                throw new IllegalArgumentException(type);
            }
            return parsed.toString();
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest("'" + type + "' is not a media type such as application/octet-stream.");
        }
    }

    private static String text(JsonObject job, String name) {
        return JsonBodies.optionalString(job, name);
    }

    // ---- responses

    private static Response created(String url) {
        return Response.status(Response.Status.CREATED)
                .header("Location", url)
                .entity(url + "\n")
                .type(URI_LIST)
                .build();
    }

    private Response listing(List<String> urls, boolean head) {
        boolean uriList = headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> URI_LIST.equals(t.getType() + "/" + t.getSubtype()));
        String etag = Integer.toHexString(String.join("\n", urls).hashCode());
        if (uriList) {
            String body = String.join("\n", urls) + (urls.isEmpty() ? "" : "\n");
            return Response.ok(head ? null : body, URI_LIST).tag(etag).build();
        }
        return json(urls, head, etag);
    }

    private static Response json(Object document, boolean head) {
        return json(document, head, null);
    }

    private static Response json(Object document, boolean head, String etag) {
        Response.ResponseBuilder response = Response.ok(head ? null : document, MediaType.APPLICATION_JSON);
        return etag == null ? response.build() : response.tag(etag).build();
    }

    private static Map<String, Object> jobDocument(UploadJobs.Status status) {
        UploadJob job = status.job();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("url", jobUrl(job.path(), job.id()));
        doc.put("target", HatracPath.url(job.path(), null));
        doc.put("owner", job.createdBy() == null ? List.of("*") : List.of(job.createdBy()));
        doc.put("chunk-length", job.chunkLength());
        doc.put("content-length", job.contentLength());
        if (job.contentType() != null) {
            doc.put("content-type", job.contentType());
        }
        if (job.contentMd5() != null) {
            doc.put("content-md5", Digests.base64(job.contentMd5()));
        }
        if (job.contentSha256() != null) {
            doc.put("content-sha256", Digests.base64(job.contentSha256()));
        }
        if (job.contentDisposition() != null) {
            doc.put("content-disposition", job.contentDisposition());
        }
        doc.put("chunk-count", job.chunkCount());
        doc.put("received-chunks", status.received());
        doc.put("missing-chunks", status.missing());
        doc.put("created", job.createdAt().toString());
        doc.put("expires", job.expiresAt().toString());
        return doc;
    }

    private static String jobUrl(String name, String job) {
        return HatracPath.url(name, null) + ";upload/" + job;
    }

    private static NotAllowedException notAllowed(String why, String... allowed) {
        return new NotAllowedException(why, allowed[0], Arrays.copyOfRange(allowed, 1, allowed.length));
    }
}
