package dev.cairn.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Shows a problem to a person: the web catalog implements it so that a browser asking for a page
 * gets a friendly HTML page (same status, same request id) instead of problem+json.
 */
public interface ProblemPages {

    /** The HTML to answer with, or empty when the request is not for a page. */
    Optional<String> render(HttpServletRequest request, Problem problem);
}
