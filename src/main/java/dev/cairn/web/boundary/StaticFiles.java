package dev.cairn.web.boundary;

import dev.cairn.platform.CairnException;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/**
 * The web catalog's style sheet and scripts, from {@code web/WEB-INF/static}: only the names
 * listed here, so no path reaches anything else. Access: open to every client.
 */
@Path("/static/{name}")
public class StaticFiles {

    private static final Map<String, String> FILES = Map.of(
            "cairn.css", "text/css;charset=UTF-8",
            "cairn.js", "text/javascript;charset=UTF-8",
            "api-docs.js", "text/javascript;charset=UTF-8");

    @Inject
    ServletContext servletContext;

    @GET
    public Response get(@PathParam("name") String name) {
        String type = FILES.get(name);
        InputStream in = type == null ? null : servletContext.getResourceAsStream("/WEB-INF/static/" + name);
        if (in == null) {
            throw new CairnException.NotFound("No static file '" + name + "'.");
        }
        return Response.ok(in, type)
                .header("Cache-Control", "public, max-age=300")
                .build();
    }
}
