package dev.cairn.asset.boundary;

import dev.cairn.asset.control.Assets;
import dev.cairn.asset.control.Lineage;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.platform.CairnException;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * One asset and its lineage. Access: an asset needs {@code select} on its asset table; lineage
 * crosses executions, datasets and every asset table, so it needs {@code select} on the catalog.
 */
@Path("/api/catalogs/{cid}/assets/{rid}")
@Produces(MediaType.APPLICATION_JSON)
public class AssetsResource {

    @Inject
    CatalogRequest context;

    @Inject
    Assets assets;

    @Inject
    Lineage lineage;

    @GET
    public JsonObject get(@PathParam("rid") String rid) {
        long id = context.ml().id();
        context.requireRow(rid, "select");
        return assets.get(id, rid);
    }

    /** {@code ?direction=up|down|both} (default up), {@code ?depth=N} edges (default: the whole graph). */
    @GET
    @Path("lineage")
    public JsonObject lineage(
            @PathParam("rid") String rid,
            @QueryParam("direction") @DefaultValue("up") String direction,
            @QueryParam("depth") Integer depth) {
        Lineage.Direction d;
        try {
            d = Lineage.Direction.valueOf(direction);
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest("direction is up, down or both, not '" + direction + "'.");
        }
        int bound = depth == null ? Lineage.MAX_DEPTH : depth;
        long id = context.ml().id();
        context.require("select");
        return lineage.graph(id, rid, d, bound);
    }
}
