package dev.cairn.web.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.Models;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The front page: the catalogs of this server that the visitor may enumerate (none for an
 * anonymous visitor, unless a catalog is granted to everyone), each with its description, how
 * many tables it has, and a search over it. Access: open to every client.
 */
@Path("/")
public class HomePage {

    @Inject
    Catalogs catalogs;

    @Inject
    Models models;

    @Inject
    PageContext page;

    @Inject
    Access access;

    @GET
    @Produces(PageContext.HTML)
    public Response home() {
        List<Map<String, Object>> rows = catalogs.list().stream()
                .filter(c -> access.catalogAllowed(c.id(), "enumerate"))
                .map(c -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("id", c.id());
                    m.put("name", c.name());
                    m.put("description", c.description() == null ? "" : c.description());
                    m.put("domainSchema", c.domainSchema() == null ? "" : c.domainSchema());
                    m.put("created", c.createdAt().toLocalDate().toString());
                    m.put(
                            "tables",
                            models.index(c.id()).tables().stream()
                                    .filter(t -> !t.schema().equals("public")
                                            && !t.schema().startsWith("_"))
                                    .count());
                    return m;
                })
                .toList();
        Map<String, Object> scope = page.scope("Catalogs");
        scope.put("catalogs", rows);
        scope.put("empty", rows.isEmpty());
        return page.page("home.mustache", scope);
    }
}
