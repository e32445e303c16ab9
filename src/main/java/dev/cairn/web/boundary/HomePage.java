package dev.cairn.web.boundary;

import java.util.List;
import java.util.Map;

import dev.cairn.catalog.control.Catalogs;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The front page: the catalogs of this server that the visitor may enumerate (none for an
 * anonymous visitor, unless a catalog is granted to everyone). Access: open to every client.
 */
@Path("/")
public class HomePage {

    @Inject
    Catalogs catalogs;

    @Inject
    Templates templates;

    @Inject
    dev.cairn.catalog.control.Access access;

    @GET
    @Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
    public String home() {
        List<Map<String, Object>> rows = catalogs.list().stream()
                .filter(c -> access.catalogAllowed(c.id(), "enumerate"))
                .map(c -> Map.<String, Object>of(
                        "id", c.id(),
                        "name", c.name(),
                        "description", c.description() == null ? "" : c.description(),
                        "domainSchema", c.domainSchema() == null ? "" : c.domainSchema(),
                        "created", c.createdAt().toString()))
                .toList();
        return templates.render("home.mustache", Map.of("catalogs", rows, "empty", rows.isEmpty()));
    }
}
