package dev.cairn.operations.boundary;

import dev.cairn.platform.CairnException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code /api-docs}: a browsable page of the OpenAPI document (Swagger UI, from its WebJar in the
 * WAR: no CDN), and the few Swagger UI files it loads, under {@code /api-docs/ui/}. Only the files
 * listed here are served, so no path reaches anything else. Access: open to every client.
 */
@Path("/api-docs")
public class ApiDocsPage {

    /** The Swagger UI WebJar's version (pom.xml) and so its folder. */
    static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1/";

    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css;charset=UTF-8",
            "swagger-ui-bundle.js", "text/javascript;charset=UTF-8",
            "swagger-ui-standalone-preset.js", "text/javascript;charset=UTF-8",
            "favicon-32x32.png", "image/png");

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="UTF-8">
              <title>Cairn API</title>
              <link rel="stylesheet" href="/api-docs/ui/swagger-ui.css">
              <link rel="icon" type="image/png" href="/api-docs/ui/favicon-32x32.png">
            </head>
            <body>
              <noscript><p>This page needs JavaScript. The document itself is at <a href="/openapi">/openapi</a>
                (YAML; <a href="/openapi?format=json">JSON</a>).</p></noscript>
              <div id="swagger-ui"></div>
              <script src="/api-docs/ui/swagger-ui-bundle.js"></script>
              <script src="/api-docs/ui/swagger-ui-standalone-preset.js"></script>
              <script src="/static/api-docs.js"></script>
            </body>
            </html>
            """;

    @GET
    @Produces("text/html;charset=UTF-8")
    public String page() {
        return PAGE;
    }

    @GET
    @Path("ui/{name}")
    public Response file(@PathParam("name") String name) {
        String type = FILES.get(name);
        InputStream in =
                type == null ? null : ApiDocsPage.class.getClassLoader().getResourceAsStream(SWAGGER_UI + name);
        if (in == null) {
            throw new CairnException.NotFound("No Swagger UI file '" + name + "'.");
        }
        return Response.ok(in, type)
                .header("Cache-Control", "public, max-age=86400")
                .build();
    }
}
