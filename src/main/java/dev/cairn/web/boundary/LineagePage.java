package dev.cairn.web.boundary;

import dev.cairn.asset.control.Lineage;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.PathSegment;
import dev.cairn.web.control.LineageDrawing;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The provenance graph around an asset, execution or dataset as a picture drawn on the server,
 * with direction and depth controls; every node links to its page. The same graph as
 * {@code GET /api/catalogs/{cid}/assets/{rid}/lineage}, with the same rule. Access: {@code select}
 * on the catalog (the graph crosses executions, datasets and every asset table).
 */
@Path("/web/{cid: [0-9]{1,18}}/lineage/{rid}")
public class LineagePage {

    @Inject
    PageContext page;

    @Inject
    Lineage lineage;

    @GET
    @Produces(PageContext.HTML)
    public Response get(
            @PathParam("cid") String cid,
            @PathParam("rid") String rid,
            @QueryParam("direction") @DefaultValue("both") String direction,
            @QueryParam("depth") @DefaultValue("3") Integer depth) {
        long id = page.catalog().ml().id();
        page.catalog().require("select");
        Lineage.Direction d;
        try {
            d = Lineage.Direction.valueOf(direction);
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest("direction is up, down or both, not '" + direction + "'.");
        }
        if (depth < 1 || depth > 50) {
            throw new CairnException.BadRequest(
                    "The picture's depth is 1 to 50 edges; the API gives deeper graphs as JSON.");
        }
        JsonObject graph = lineage.graph(id, MlSql.rid("RID", rid), d, depth);
        int nodes = graph.getJsonArray("nodes").size();
        Map<String, Object> scope = page.scope("Lineage of " + rid, cid);
        scope.put("rid", rid);
        scope.put("depth", depth);
        scope.put("nodes", nodes);
        scope.put("edges", graph.getJsonArray("edges").size());
        scope.put("up", d == Lineage.Direction.up);
        scope.put("down", d == Lineage.Direction.down);
        scope.put("both", d == Lineage.Direction.both);
        scope.put("json", "/api/catalogs/" + cid + "/assets/" + rid + "/lineage?direction=" + d + "&depth=" + depth);
        if (nodes > LineageDrawing.MAX_NODES) {
            scope.put("tooLarge", LineageDrawing.MAX_NODES);
        } else {
            scope.put("svg", LineageDrawing.svg(graph, n -> link(cid, n, d, depth)));
        }
        return page.page("lineage.mustache", scope);
    }

    /** A node's page: an execution's own page, else the row's record page. */
    static String link(String cid, JsonObject node, Lineage.Direction d, int depth) {
        String rid = node.getString("RID");
        return switch (node.getString("kind", "")) {
            case "execution" -> "/web/" + cid + "/execution/" + rid;
            case "dataset" -> "/web/" + cid + "/dataset/" + rid;
            case "asset" ->
                "/web/" + cid + "/record/"
                        + PathSegment.encode(node.getString("schema") + ":" + node.getString("table")) + "/" + rid;
            default -> "/web/" + cid + "/lineage/" + rid + "?direction=" + d + "&depth=" + depth;
        };
    }
}
