package dev.cairn.web.boundary;

import dev.cairn.platform.PathSegment;
import dev.cairn.platform.Problem;
import dev.cairn.platform.ProblemPages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Errors on the web catalog's pages ({@code /} and {@code /web/...}) as pages, for clients that
 * accept HTML: the status and request id of the problem, its detail, and a way on (log in when
 * the visitor is anonymous and was refused).
 */
@ApplicationScoped
public class ErrorPages implements ProblemPages {

    @Inject
    Templates templates;

    @Inject
    PageContext page;

    @Override
    public Optional<String> render(HttpServletRequest request, Problem problem) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String accept = request.getHeader("Accept");
        boolean isPage = path.equals("/") || path.startsWith("/web/");
        if (!isPage || accept == null || !accept.contains("text/html")) {
            return Optional.empty();
        }
        Map<String, Object> scope;
        try {
            scope = page.scope(problem.title());
        } catch (RuntimeException outsideARequest) {
            scope = new HashMap<>();
        }
        scope.put("title", problem.title());
        scope.put("status", problem.status());
        scope.put("detail", problem.detail());
        scope.put("requestId", problem.instance());
        String here = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        scope.put("here", PathSegment.encode(here));
        // a signed-in visitor is not asked to log in: another account may see more, but that is theirs to know
        scope.put(
                "login",
                !scope.containsKey("user")
                        && (problem.status() == 401 || problem.status() == 403 || problem.status() == 404));
        return Optional.of(templates.render("error.mustache", scope));
    }
}
