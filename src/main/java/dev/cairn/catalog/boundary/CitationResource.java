package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Citations;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.ServerAddress;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The citation resolver: {@code /id/{cid}/{RID}} and {@code /id/{cid}/{RID}@{snaptime}} name a row
 * now or as it was at a snapshot (a released dataset version's citation is its RID at its
 * snapshot). The answer says where the row lives, its stable citation and the ERMrest URL that
 * reads it, and the row itself. Access: the row must be readable by the client, as through
 * ERMrest; a row it may not read is not found.
 */
@Path("/id/{cid}/{rid}")
@Produces(MediaType.APPLICATION_JSON)
public class CitationResource {

    @Inject
    CatalogRequest context;

    @Inject
    Citations citations;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject resolve(@PathParam("rid") String ridAt) {
        int at = ridAt.indexOf('@');
        String rid = at < 0 ? ridAt : ridAt.substring(0, at);
        if (!rid.matches("[0-9A-Z]{1,16}(-[0-9A-Z]{1,16}){0,4}")) {
            throw new CairnException.NotFound("'" + rid + "' is not a RID.");
        }
        Citations.Cited cited =
                citations.resolve(context.at(at < 0 ? null : ridAt.substring(at + 1)), rid, context.guard());
        long id = context.id();
        String base = ServerAddress.of(request);
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("RID", rid)
                .add("catalog", String.valueOf(id))
                .add("schema", cited.table().schema())
                .add("table", cited.table().name())
                .add("snaptime", cited.snaptime())
                .add("citation", base + "/id/" + id + "/" + rid + "@" + cited.snaptime())
                .add(
                        "data",
                        base + "/ermrest/catalog/" + id + "@" + cited.snaptime() + "/entity/"
                                + segment(cited.table().schema()) + ":"
                                + segment(cited.table().name()) + "/RID=" + rid)
                .add("row", cited.row())
                .build();
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
