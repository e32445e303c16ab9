package dev.cairn.web.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.PathSegment;
import dev.cairn.platform.ServerAddress;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every page shares: who is looking (for the header's login or logout), the request's
 * query parameters decoded as a browser's form sends them ({@code +} is a space), and rendering
 * inside the common layout.
 */
@RequestScoped
public class PageContext {

    public static final String HTML = "text/html;charset=UTF-8";

    @Inject
    CatalogRequest context;

    @Inject
    Caller caller;

    @Inject
    Templates templates;

    @Context
    HttpServletRequest request;

    /** The catalog the page shows and the visitor's rights in it (the request's one catalog context). */
    public CatalogRequest catalog() {
        return context;
    }

    /**
     * The variables Chaise's patterns may use beside a row's: {@code $catalog} (id, snapshot,
     * version) and {@code $location} (origin, host, protocol), as ERMrestJS names them.
     */
    public Map<String, Object> variables(String cid, String snaptime) {
        String origin = ServerAddress.of(request);
        URI at = URI.create(origin);
        return Map.of(
                "$catalog",
                Map.of("id", cid, "snapshot", cid + "@" + snaptime, "version", snaptime),
                "$location",
                Map.of(
                        "origin",
                        origin,
                        "host",
                        at.getAuthority(),
                        "hostname",
                        at.getHost(),
                        "protocol",
                        at.getScheme() + ":"));
    }

    /** A page's scope, with the header's values filled in. */
    public Map<String, Object> scope(String title) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("title", title);
        if (!caller.anonymous()) {
            scope.put(
                    "user",
                    Map.of(
                            "id",
                            caller.identity().id(),
                            "name",
                            caller.identity().displayName()));
        }
        String here =
                request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        scope.put("here", PathSegment.encode(here));
        scope.put("requestId", caller.requestId());
        return scope;
    }

    /** A page of catalog {@code cid}: the header and the breadcrumbs name it and link back to it. */
    public Map<String, Object> scope(String title, String cid) {
        Map<String, Object> scope = scope(title);
        scope.put("catalog", cid);
        String name = context.catalog().name();
        scope.put("catalogName", name == null || name.isBlank() ? "Catalog " + cid : name);
        scope.put("catalogLink", "/web/" + cid);
        return scope;
    }

    public String render(String template, Map<String, Object> scope) {
        return templates.render(template, scope);
    }

    public Response page(String template, Map<String, Object> scope) {
        return Response.ok(render(template, scope), HTML)
                .header("Cache-Control", "no-store")
                .build();
    }

    /**
     * Refuses a form posted from another site (its {@code Origin} is not this server's). The
     * session cookie is {@code SameSite=Lax} too, so such a post arrives without the session.
     */
    public void sameOrigin(String what) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return;
        }
        String host = request.getHeader("Host");
        if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
            throw new CairnException.Forbidden("A form from another site (" + origin + ") cannot " + what + " here.");
        }
    }

    /** The query string's parameters, decoded as form data, in order. */
    public Map<String, List<String>> parameters() {
        return parse(request.getQueryString());
    }

    /** A query string's parameters, decoded as form data, in order. */
    public static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return p;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // a posted form's body passes no escape guard of its own: '%' not followed by two hex digits
                throw new CairnException.BadRequest(
                        ErrorCode.MALFORMED_ESCAPE,
                        "'" + (pair.length() > 60 ? pair.substring(0, 60) + "…" : pair)
                                + "' has a '%' not followed by two hex digits.");
            }
            p.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return p;
    }
}
