package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataAccess.Format;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.DataPathParser;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.EntityTags;
import dev.cairn.platform.QueryParameters;
import dev.cairn.platform.Routes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ERMrest's data APIs: {@code entity}, {@code attribute}, {@code attributegroup} and
 * {@code aggregate} under {@code /ermrest/catalog/{cid}/}, and {@code entity_rid}. Parses the raw
 * request path itself (JAX-RS would cut it at {@code ;}). Access: reads need {@code select} on every
 * table a path binds; POST needs {@code insert} on its table, PUT {@code insert} and {@code update}
 * (bulk updates {@code update}), DELETE {@code delete} on the table it ends at (see {@link Access}).
 * Writes record the client in {@code RCB}/{@code RMB}. One instance serves every request (its
 * request and headers are the container's per-request proxies): creating and injecting a resource
 * per request cost more than a one-row read.
 */
@Routes.Shown("/ermrest/catalog/{cid}/{api}/{path}")
@Path("/ermrest/catalog/{cid}/{api: entity|attribute|attributegroup|aggregate}{rest: (/.*)?}")
@ApplicationScoped
public class ErmrestDataResource {

    @Inject
    CatalogRequest context;

    /**
     * The response header naming, percent-encoded and comma-separated, the keys whose values a write's
     * rows gave but were not kept.
     */
    public static final String IGNORED_KEYS = "Cairn-Ignored-Keys";

    static final String JSON_STREAM = "application/x-json-stream";
    static final String CSV = "text/csv";

    @Inject
    DataAccess data;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @Inject
    Caller caller;

    @GET
    @QueryParameters.Accepts({"limit", "accept", "download"})
    public Response get() {
        Catalogs.At at = context.at();
        Map<String, String> query = query();
        DataPath path = DataPathParser.parse(api(), rawPath());
        Format format = responseFormat(query);
        DataAccess.Rows rows =
                data.read(at.catalog().id(), at.instant(), at.snaptime(), path, limit(query), format, context.guard());
        // released when the request ends, even if the response is never written
        request.setAttribute(OpenReads.ATTRIBUTE, rows);
        String etag = '"' + rows.etag() + '"';
        String ifNoneMatch = headers.getHeaderString("If-None-Match");
        if (ifNoneMatch != null && EntityTags.matches(ifNoneMatch, etag)) {
            rows.close();
            return Response.notModified(rows.etag()).build();
        }
        StreamingOutput body = rows::writeTo;
        Response.ResponseBuilder response = Response.ok(body, mediaType(format)).tag(rows.etag());
        download(query, format, response);
        return response.build();
    }

    @POST
    @Consumes("*/*")
    @QueryParameters.Accepts({"defaults", "nondefaults", "onconflict"})
    public Response post(InputStream body) {
        return write(body, false);
    }

    @PUT
    @Consumes("*/*")
    @QueryParameters.Accepts({"defaults", "nondefaults"})
    public Response put(InputStream body) {
        if ("attributegroup".equals(apiName())) {
            if (request.getQueryString() != null && !request.getQueryString().isEmpty()) {
                throw new CairnException.BadRequest("A bulk update (PUT /attributegroup) takes no query parameters.");
            }
            Catalog catalog = context.catalog();
            DataPath path = DataPathParser.parse(DataPath.Api.ATTRIBUTEGROUP, rawPath());
            return written(
                    catalog,
                    data.update(
                            catalog.id(),
                            path,
                            body,
                            requestFormat(),
                            headers.getHeaderString("If-Match"),
                            -1,
                            caller.client(),
                            context.guard()));
        }
        return write(body, true);
    }

    @DELETE
    public Response delete() {
        Catalog catalog = context.catalog();
        requireEntityApi("DELETE");
        DataPath path = DataPathParser.parse(DataPath.Api.ENTITY, rawPath());
        if (!path.sort().isEmpty()) {
            throw new CairnException.BadRequest("DELETE takes no @sort or paging.");
        }
        data.delete(
                catalog.id(), path.elements(), headers.getHeaderString("If-Match"), caller.client(), context.guard());
        caller.produced(data.snaptime(catalog.id()));
        return Response.noContent().build();
    }

    private Response write(InputStream body, boolean upsert) {
        Catalog catalog = context.catalog();
        requireEntityApi(upsert ? "PUT" : "POST");
        Map<String, String> query = query();
        String onconflict = query.get("onconflict");
        if (onconflict != null && !onconflict.equals("skip")) {
            throw new CairnException.BadRequest("?onconflict= takes only 'skip', not '" + onconflict + "'.");
        }
        DataPath path = DataPathParser.parse(DataPath.Api.ENTITY, rawPath());
        DataAccess.WriteOptions options =
                new DataAccess.WriteOptions(names("defaults"), names("nondefaults"), onconflict != null, upsert);
        return written(
                catalog,
                data.write(
                        catalog.id(),
                        path.elements(),
                        body,
                        requestFormat(),
                        options,
                        headers.getHeaderString("If-Match"),
                        caller.client(),
                        context.guard()));
    }

    /** The rows a write returns, streamed from its spool file, which is removed afterwards. */
    private Response written(Catalog catalog, DataAccess.Written written) {
        StreamingOutput out = stream -> {
            try {
                Files.copy(written.json(), stream);
            } finally {
                Files.deleteIfExists(written.json());
            }
        };
        String snaptime = data.snaptime(catalog.id());
        caller.produced(snaptime);
        Response.ResponseBuilder response =
                Response.ok(out, MediaType.APPLICATION_JSON).tag(snaptime);
        if (!written.ignored().isEmpty()) {
            // ERMrest ignores keys that name no column and values of system columns; Cairn says which it ignored
            response.header(
                    IGNORED_KEYS,
                    String.join(
                            ",",
                            written.ignored().stream()
                                    .map(key -> URLEncoder.encode(key, StandardCharsets.UTF_8)
                                            .replace("+", "%20"))
                                    .toList()));
        }
        return response.build();
    }

    // ---- request parsing

    private DataPath.Api api() {
        String api = apiName();
        return switch (api) {
            case "attribute" -> DataPath.Api.ATTRIBUTE;
            case "attributegroup" -> DataPath.Api.ATTRIBUTEGROUP;
            case "aggregate" -> DataPath.Api.AGGREGATE;
            default -> DataPath.Api.ENTITY;
        };
    }

    private String apiName() {
        String[] parts = request.getRequestURI()
                .substring(request.getContextPath().length())
                .split("/", 6);
        return parts.length > 4 ? parts[4] : "";
    }

    private void requireEntityApi(String method) {
        if (!"entity".equals(apiName())) {
            throw new NotAllowedException(
                    method + " is for /entity (and PUT for /attributegroup)", "GET", new String[0]);
        }
    }

    /** The raw text after {@code /{api}/}: still percent-encoded, so syntax and data stay apart. */
    private String rawPath() {
        String[] parts = request.getRequestURI()
                .substring(request.getContextPath().length())
                .split("/", 6);
        if (parts.length < 6 || parts[5].isEmpty()) {
            throw new CairnException.BadRequest("A data name needs a path: /" + apiName() + "/schema:table...");
        }
        return parts[5];
    }

    /** The query's parameters, decoded (the filter has already refused unknown, repeated or badly escaped ones). */
    private Map<String, String> query() {
        Map<String, String> values = new HashMap<>();
        QueryParameters.of(request).forEach((name, list) -> values.put(name, QueryParameters.decode(list.get(0))));
        return values;
    }

    private static Integer limit(Map<String, String> query) {
        String limit = query.get("limit");
        if (limit == null || limit.equals("none")) {
            return null;
        }
        if (!limit.matches("[0-9]{1,9}") || Integer.parseInt(limit) < 1) {
            throw new CairnException.BadRequest(
                    "?limit= takes a positive whole number or 'none', not '" + limit + "'.");
        }
        return Integer.valueOf(limit);
    }

    /** A comma-separated list of column names, each percent-encoded on its own (a name may hold an encoded ','). */
    private Set<String> names(String parameter) {
        List<String> raw = QueryParameters.of(request).get(parameter);
        if (raw == null) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String item : raw.get(0).split(",", -1)) {
            String name = QueryParameters.decode(item);
            if (name.isEmpty()) {
                throw new CairnException.BadRequest(
                        "?" + parameter + "= takes a comma-separated list of column names; one is empty.");
            }
            names.add(name);
        }
        return names;
    }

    private Format responseFormat(Map<String, String> query) {
        String accept = query.get("accept");
        if (accept != null) {
            return switch (accept) {
                case "csv", CSV -> Format.CSV;
                case "json", MediaType.APPLICATION_JSON -> Format.JSON;
                case JSON_STREAM -> Format.JSON_STREAM;
                default ->
                    throw new CairnException.BadRequest("?accept= takes csv, json, text/csv, application/json or "
                            + JSON_STREAM + "; not '" + accept + "'.");
            };
        }
        return negotiated();
    }

    /**
     * The format the Accept header asks for (JSON when it names none); 406 before any work when Cairn
     * has none of them.
     */
    private Format negotiated() {
        List<MediaType> acceptable;
        try {
            acceptable = headers.getAcceptableMediaTypes();
        } catch (RuntimeException e) {
            throw new CairnException.BadRequest("The Accept header is not a list of media types.");
        }
        for (MediaType type : acceptable) {
            String name = type.getType() + "/" + type.getSubtype();
            if (name.equals(CSV)) {
                return Format.CSV;
            }
            if (name.equals(JSON_STREAM)) {
                return Format.JSON_STREAM;
            }
            if (name.equals(MediaType.APPLICATION_JSON)
                    || type.isWildcardType()
                    || (type.getType().equals("application") && type.isWildcardSubtype())) {
                return Format.JSON;
            }
            if (type.getType().equals("text") && type.isWildcardSubtype()) {
                return Format.CSV;
            }
        }
        throw new CairnException.NotAcceptable("Cairn answers data requests as application/json, " + CSV + " or "
                + JSON_STREAM + "; the Accept header names none of them.");
    }

    private Format requestFormat() {
        MediaType type = headers.getMediaType();
        String name = type == null ? MediaType.APPLICATION_JSON : type.getType() + "/" + type.getSubtype();
        return switch (name) {
            case CSV -> Format.CSV;
            case JSON_STREAM -> Format.JSON_STREAM;
            case MediaType.APPLICATION_JSON -> Format.JSON;
            default -> throw new NotSupportedException("Send application/json, " + JSON_STREAM + " or " + CSV + ".");
        };
    }

    private static String mediaType(Format format) {
        return switch (format) {
            case JSON -> MediaType.APPLICATION_JSON;
            case JSON_STREAM -> JSON_STREAM;
            case CSV -> CSV; // as ERMrest sends it (UTF-8): deriva-py's paged get_as_file compares the type to exactly
            // "text/csv"
        };
    }

    private static void download(Map<String, String> query, Format format, Response.ResponseBuilder response) {
        String name = query.get("download");
        if (name == null) {
            return;
        }
        if (name.isBlank()) {
            throw new CairnException.BadRequest("?download= takes a file name.");
        }
        String suffix = format == Format.CSV ? ".csv" : ".json";
        String encoded =
                URLEncoder.encode(name + suffix, StandardCharsets.UTF_8).replace("+", "%20");
        response.header("Content-Disposition", "attachment; filename*=UTF-8''" + encoded);
    }
}
