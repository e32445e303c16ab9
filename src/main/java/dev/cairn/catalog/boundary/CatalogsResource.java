package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Cairn's catalog API. Access as ERMrest's catalog resource: any logged-in client creates (and
 * owns) catalogs; listing shows the catalogs the caller may enumerate; installing the ML schema and
 * deleting need {@code owner}.
 */
@Path("/api/catalogs")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogsResource {

    @Inject
    CatalogRequest context;

    @Inject
    Catalogs catalogs;

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    Caller caller;

    @Inject
    Access access;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject request) {
        ErmrestCatalogResource.requireCatalogCreator(caller);
        if (request == null) {
            throw new CairnException.BadRequest(
                    "Send a JSON body such as {\"name\": \"demo\", \"domainSchema\": \"demo\"}.");
        }
        JsonBodies.only(request, "A catalog", "name", "description", "domainSchema");
        Catalog catalog = catalogs.create(
                JsonBodies.optionalString(request, "name"),
                JsonBodies.optionalString(request, "description"),
                JsonBodies.optionalString(request, "domainSchema"),
                true,
                caller.client());
        return Response.created(URI.create("/api/catalogs/" + catalog.id()))
                .entity(CatalogView.of(catalog, true))
                .build();
    }

    @GET
    public List<CatalogView> list() {
        return catalogs.list().stream()
                .filter(c -> access.catalogAllowed(c.id(), "enumerate"))
                .map(c -> CatalogView.of(c, databases.hasMl(c.id())))
                .toList();
    }

    @GET
    @Path("{cid}")
    public CatalogView get() {
        Catalog catalog = context.catalog();
        context.require("enumerate");
        return CatalogView.of(catalog, databases.hasMl(catalog.id()));
    }

    /**
     * DerivaML's {@code create_ml_schema} on a catalog made without it (as ERMrest's route makes
     * them): installs the {@code deriva-ml} schema; 201 when installed, 200 when it was there.
     */
    @POST
    @Path("{cid}/ml-schema")
    public Response installMl() {
        Catalog catalog = context.catalog();
        context.require("owner");
        boolean had = databases.hasMl(catalog.id());
        databases.installMl(catalog.id());
        models.invalidate(catalog.id());
        return Response.status(had ? Response.Status.OK : Response.Status.CREATED)
                .entity(CatalogView.of(catalog, true))
                .build();
    }

    @DELETE
    @Path("{cid}")
    public Response delete() {
        long id = context.catalog().id();
        context.require("owner");
        catalogs.delete(id);
        return Response.noContent().build();
    }
}
