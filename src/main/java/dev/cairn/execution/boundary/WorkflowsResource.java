package dev.cairn.execution.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.execution.control.Workflows;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
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
import java.net.URI;

/**
 * Workflows ({@code create_workflow}). Access: {@code select} on {@code deriva-ml:Workflow} to
 * read, {@code insert} to create; changes are recorded with the requesting client.
 */
@Path("/api/catalogs/{cid}/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowsResource {

    @Inject
    CatalogRequest context;

    @Inject
    Workflows workflows;

    @Inject
    Caller caller;

    /**
     * {@code {"name", "type", "description", "url", "checksum", "version"}}: 201 when new, 200 with
     * the existing one.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        JsonObject request = JsonBodies.object(
                body,
                "{\"name\": \"Training\", \"type\": \"Training\", \"url\": \"...\", \"checksum\": \"...\"}",
                "name",
                "type",
                "description",
                "url",
                "checksum",
                "version");
        long id = context.requireMl("insert", "Workflow");
        Workflows.Added added = workflows.create(
                id,
                JsonBodies.required(request, "name"),
                JsonBodies.required(request, "type"),
                JsonBodies.optionalString(request, "description"),
                JsonBodies.optionalString(request, "url"),
                JsonBodies.optionalString(request, "checksum"),
                JsonBodies.optionalString(request, "version"),
                caller.client());
        URI location = URI.create(
                "/api/catalogs/" + id + "/workflows/" + added.workflow().getString("RID"));
        return (added.created() ? Response.created(location) : Response.ok().location(location))
                .entity(added.workflow())
                .build();
    }

    @GET
    public JsonArray list() {
        return workflows.list(context.requireMl("select", "Workflow"));
    }

    @GET
    @Path("{rid}")
    public JsonObject get(@PathParam("rid") String rid) {
        return workflows.get(context.requireMl("select", "Workflow"), rid);
    }
}
