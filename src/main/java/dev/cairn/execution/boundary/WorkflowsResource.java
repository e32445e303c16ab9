package dev.cairn.execution.boundary;

import dev.cairn.platform.Caller;
import java.net.URI;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.execution.control.Workflows;
import dev.cairn.ml.control.MlSql;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Workflows ({@code create_workflow}). Access: {@code select} on {@code deriva-ml:Workflow} to
 * read, {@code insert} to create; changes are recorded with the requesting client.
 */
@Path("/api/catalogs/{cid}/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowsResource {

    @Inject
    Catalogs catalogs;

    @Inject
    Workflows workflows;

    @Inject
    Caller caller;

    @Inject
    dev.cairn.catalog.control.Access access;

    /** {@code {"name", "type", "description", "url", "checksum", "version"}}: 201 when new, 200 with the existing one. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("cid") String cid, JsonObject body) {
        JsonObject request = MlSql.body(body, "{\"name\": \"Training\", \"type\": \"Training\", \"url\": \"...\", \"checksum\": \"...\"}",
                "name", "type", "description", "url", "checksum", "version");
        long id = catalogs.ml(cid).id();
        access.requireTable(id, MlSql.ML, "Workflow", "insert");
        Workflows.Added added = workflows.create(id, MlSql.required(request, "name"), MlSql.required(request, "type"),
                MlSql.string(request, "description"), MlSql.string(request, "url"), MlSql.string(request, "checksum"),
                MlSql.string(request, "version"), caller.client());
        URI location = URI.create("/api/catalogs/" + id + "/workflows/" + added.workflow().getString("RID"));
        return (added.created() ? Response.created(location) : Response.ok().location(location)).entity(added.workflow()).build();
    }

    @GET
    public JsonArray list(@PathParam("cid") String cid) {
        return workflows.list(reading(cid));
    }

    @GET
    @Path("{rid}")
    public JsonObject get(@PathParam("cid") String cid, @PathParam("rid") String rid) {
        return workflows.get(reading(cid), rid);
    }

    private long reading(String cid) {
        long id = catalogs.ml(cid).id();
        access.requireTable(id, MlSql.ML, "Workflow", "select");
        return id;
    }
}
