package dev.cairn.operations.boundary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.operations.control.ApiDocument;
import dev.cairn.platform.CairnException;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code /openapi}: Cairn's OpenAPI 3.1 document ({@link ApiDocument}), as YAML or, when the client
 * asks for {@code application/json} (by {@code Accept} or {@code ?format=json}), as JSON. Its
 * {@code servers} entry is {@code cairn.public.url} when set, else the address the request came to
 * (after a proxy's {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}). Access: open to every
 * client; it describes the API, not any catalog's content.
 */
@Path("/openapi")
public class OpenApiResource {

    static final String YAML_TYPE = "application/yaml";

    @Inject
    ServletContext servletContext;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @GET
    public Response get(@QueryParam("format") String format) throws JsonProcessingException {
        boolean json;
        if (format != null) {
            json = switch (format) {
                case "json" -> true;
                case "yaml" -> false;
                default -> throw new CairnException.BadRequest("?format= takes json or yaml, not '" + format + "'.");
            };
        } else {
            json = prefersJson(headers.getAcceptableMediaTypes());
        }
        ObjectNode served = ApiDocument.JSON.createObjectNode();
        served.setAll(ApiDocument.of(servletContext));
        served.putArray("servers").addObject().put("url", server()).put("description", "this Cairn");
        return json
                ? Response.ok(
                                ApiDocument.JSON.writeValueAsString(served),
                                MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                        .build()
                : Response.ok(ApiDocument.YAML.writeValueAsString(served), YAML_TYPE + ";charset=UTF-8")
                        .build();
    }

    /**
     * JSON when the client ranks it above every YAML type (a browser's {@code *}{@code /*} gets YAML,
     * as MicroProfile OpenAPI does).
     */
    static boolean prefersJson(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                    && !type.isWildcardType()
                    && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.getSubtype().contains("yaml") || type.isWildcardType() || type.isWildcardSubtype()) {
                return false;
            }
        }
        return false;
    }

    private String server() {
        Optional<String> publicUrl = ConfigProvider.getConfig(OpenApiResource.class.getClassLoader())
                .getOptionalValue("cairn.public.url", String.class);
        if (publicUrl.isPresent() && !publicUrl.get().isBlank()) {
            return publicUrl.get().replaceAll("/+$", "");
        }
        String proto = first(request.getHeader("X-Forwarded-Proto"));
        String host = first(request.getHeader("X-Forwarded-Host"));
        String scheme = proto != null && proto.matches("https?") ? proto : request.getScheme();
        String authority = host != null && host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")
                ? host
                : request.getServerName() + ":" + request.getServerPort();
        return scheme + "://" + authority;
    }

    private static String first(String header) {
        return header == null ? null : header.split(",")[0].trim();
    }
}
