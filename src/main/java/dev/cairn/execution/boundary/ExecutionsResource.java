package dev.cairn.execution.boundary;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.execution.control.Executions;
import dev.cairn.execution.control.OutputArchives;
import dev.cairn.execution.control.OutputCommits;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.QueryParameters;
import dev.cairn.store.control.Digests;
import dev.cairn.store.control.HatracPath;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Executions: creation, status, inputs, staged outputs and their commit. Access: reading needs
 * {@code select} on {@code deriva-ml:Execution}, creating {@code insert}; changing an execution
 * needs {@code update} on it and being its creator or an owner of the catalog; staging a file (or
 * a tar archive of files) also needs {@code insert} on its asset table. Changes are recorded with the requesting client.
 */
@Path("/api/catalogs/{cid}/executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionsResource {

    @Inject
    CatalogRequest context;

    @Inject
    Executions executions;

    @Inject
    OutputCommits commits;

    @Inject
    OutputArchives archives;

    @Inject
    Caller caller;

    @Inject
    AssetTables assetTables;

    @Context
    HttpServletRequest request;

    /** {@code {"workflow", "description", "datasets": [{"rid", "version"}], "assets": [rid]}}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        JsonObject request = JsonBodies.object(
                body,
                "{\"workflow\": \"1-ABCD\", \"description\": \"...\"}",
                "workflow",
                "description",
                "datasets",
                "assets");
        long id = context.requireMl("insert", "Execution");
        String rid = executions.create(
                id,
                JsonBodies.required(request, "workflow"),
                JsonBodies.optionalString(request, "description"),
                datasets(request),
                JsonBodies.strings(request, "assets"),
                caller.client());
        return Response.created(URI.create("/api/catalogs/" + id + "/executions/" + rid))
                .entity(executions.get(id, rid))
                .build();
    }

    /** Datasets as {@code [{"rid", "version"}]} or plain RIDs (the current version). */
    private static List<Executions.DatasetInput> datasets(JsonObject request) {
        JsonValue value = request.get("datasets");
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new CairnException.BadRequest("\"datasets\" is an array of {\"rid\", \"version\"}.");
        }
        List<Executions.DatasetInput> datasets = new ArrayList<>();
        for (JsonValue v : value.asJsonArray()) {
            if (v instanceof JsonObject o) {
                JsonBodies.only(o, "A dataset", "rid", "version");
                datasets.add(new Executions.DatasetInput(
                        JsonBodies.required(o, "rid"), JsonBodies.optionalString(o, "version")));
            } else if (v.getValueType() == JsonValue.ValueType.STRING) {
                datasets.add(new Executions.DatasetInput(((JsonString) v).getString(), null));
            } else {
                throw new CairnException.BadRequest("\"datasets\" is an array of {\"rid\", \"version\"}.");
            }
        }
        return datasets;
    }

    @GET
    public JsonArray list() {
        return executions.list(context.requireMl("select", "Execution"));
    }

    @GET
    @Path("{rid}")
    public JsonObject get(@PathParam("rid") String rid) {
        return executions.get(context.requireMl("select", "Execution"), rid);
    }

    /** {@code {"status": "Running" | "Stopped" | "Failed" | "Aborted", "detail": "..."}}. */
    @PUT
    @Path("{rid}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject status(@PathParam("rid") String rid, JsonObject body) {
        JsonObject request =
                JsonBodies.object(body, "{\"status\": \"Running\", \"detail\": \"...\"}", "status", "detail");
        return executions.status(
                changing(rid),
                rid,
                JsonBodies.required(request, "status"),
                JsonBodies.optionalString(request, "detail"),
                caller.client());
    }

    /** Further inputs while the execution runs: {@code {"datasets": [...], "assets": [...]}}. */
    @POST
    @Path("{rid}/inputs")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject inputs(@PathParam("rid") String rid, JsonObject body) {
        JsonObject request = JsonBodies.object(body, "{\"assets\": [\"1-ABCD\"]}", "datasets", "assets");
        long id = changing(rid);
        executions.addInputs(id, rid, datasets(request), JsonBodies.strings(request, "assets"), caller.client());
        return executions.get(id, rid);
    }

    /**
     * The execution's assets in RID order, a page at a time: {@code ?role=Input|Output},
     * {@code ?after=RID} (the last of the previous page), {@code ?limit=} (default 1,000, at most
     * 10,000). A full page links the next with {@code Link: <...>; rel="next"}.
     */
    @GET
    @Path("{rid}/assets")
    public Response assets(
            @PathParam("rid") String rid,
            @QueryParam("role") String role,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        int size = QueryParameters.number("limit", limit, Executions.LISTED, 1, Assets.MAX_PAGE);
        long id = context.requireMl("select", "Execution");
        JsonArray page = executions.assets(id, rid, role, after, size);
        Response.ResponseBuilder answer = Response.ok(page);
        if (page.size() == size) {
            String last = page.getJsonObject(page.size() - 1).getString("RID");
            answer.link(
                    URI.create("/api/catalogs/" + id + "/executions/" + rid + "/assets?"
                            + (role == null ? "" : "role=" + role + "&") + "after=" + last + "&limit=" + size),
                    "next");
        }
        return answer.build();
    }

    @GET
    @Path("{rid}/outputs")
    public JsonArray outputs(@PathParam("rid") String rid) {
        return executions.staged(context.requireMl("select", "Execution"), rid);
    }

    /**
     * DerivaML's {@code asset_file_path}: the body is the file. {@code ?type=} (repeatable) names
     * Asset_Type terms, {@code ?description=} describes it, {@code Content-MD5} is checked.
     */
    @PUT
    @Path("{rid}/outputs/{table}/{filename: .+}")
    public Response stage(
            @PathParam("rid") String rid,
            @QueryParam("type") List<String> types,
            @QueryParam("description") String description,
            @HeaderParam("Content-MD5") String contentMd5,
            InputStream body) {
        String[] names = tableAndFilename();
        long id = changing(rid);
        AssetTables.AssetTable table = assetTables.find(id, names[0]);
        context.require("insert", table.schema(), table.name());
        JsonObject staged = executions.stage(
                id,
                rid,
                names[0],
                names[1],
                types,
                description,
                Digests.md5("Content-MD5", contentMd5).orElse(null),
                body,
                caller.client());
        return Response.status(Response.Status.CREATED).entity(staged).build();
    }

    /**
     * Many files at once: the body is a tar archive ({@code application/x-tar}, or gzipped as
     * {@code application/gzip}) whose top-level files are staged in the asset table as a PUT of
     * each would, all or none. {@code ?type=} and {@code ?description=} apply to every file.
     */
    @POST
    @Path("{rid}/outputs/{table}")
    @Consumes({"application/x-tar", "application/gzip", "application/x-gzip"})
    public Response stageArchive(
            @PathParam("rid") String rid,
            @QueryParam("type") List<String> types,
            @QueryParam("description") String description,
            @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        String table = outputsPath(1)[0];
        long id = changing(rid);
        AssetTables.AssetTable asset = executions.stageable(id, rid, table);
        context.require("insert", asset.schema(), asset.name());
        OutputArchives.Staged staged = archives.stage(
                id,
                rid,
                asset,
                types,
                description,
                !MediaType.valueOf(contentType).isCompatible(new MediaType("application", "x-tar")),
                body,
                caller.client());
        return Response.status(Response.Status.CREATED)
                .entity(JsonBodies.JSON
                        .createObjectBuilder()
                        .add("staged", staged.files())
                        .add("length", staged.bytes())
                        .build())
                .build();
    }

    @DELETE
    @Path("{rid}/outputs/{table}/{filename: .+}")
    public Response unstage(@PathParam("rid") String rid) {
        String[] names = tableAndFilename();
        executions.unstage(changing(rid), rid, names[0], names[1], caller.client());
        return Response.noContent().build();
    }

    /** Executions are changed only by their creator or an owner of the catalog (and need update on Execution). */
    private long changing(String rid) {
        long id = context.requireMl("update", "Execution");
        if (!Executions.mayChange(context, executions.creator(id, rid))) {
            throw caller.refused("Only its creator or an owner of the catalog changes execution " + rid + ".");
        }
        return id;
    }

    /** The last two segments of the raw path, percent-decoded: JAX-RS would cut names at ';'. */
    private String[] tableAndFilename() {
        return outputsPath(2);
    }

    /** The raw path's segments after {@code /outputs/}, percent-decoded, exactly {@code count} of them. */
    private String[] outputsPath(int count) {
        String raw = request.getRequestURI();
        int outputs = raw.indexOf("/outputs/");
        String[] parts = raw.substring(outputs + "/outputs/".length()).split("/", -1);
        if (parts.length != count) {
            throw new CairnException.BadRequest(
                    count == 2
                            ? "Stage a file at .../outputs/{assetTable}/{filename}; encode '/' in names as %2F."
                            : "Stage an archive at .../outputs/{assetTable}.");
        }
        String[] decoded = new String[count];
        for (int i = 0; i < count; i++) {
            decoded[i] = HatracPath.decode(parts[i]);
        }
        return decoded;
    }

    /**
     * DerivaML's {@code upload_execution_outputs}: 200 with the execution once committed, or 202
     * when the commit goes on in the background ({@code ?async=true}, or by default when large).
     * {@code ?clean=false} keeps the working directory.
     */
    @POST
    @Path("{rid}/commit")
    public Response commit(
            @PathParam("rid") String rid, @QueryParam("clean") Boolean clean, @QueryParam("async") Boolean async) {
        long id = changing(rid);
        boolean finished = commits.commit(id, rid, Boolean.FALSE.equals(clean), async, caller.client());
        JsonObject execution = executions.get(id, rid);
        return (finished
                        ? Response.ok()
                        : Response.accepted().location(URI.create("/api/catalogs/" + id + "/executions/" + rid)))
                .entity(execution)
                .build();
    }
}
