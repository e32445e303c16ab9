package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Fills the request's {@link CatalogRequest} from the matched route's {@code {cid}}, once, for every
 * API that names a catalog.
 */
@Provider
public class CatalogRequestFilter implements ContainerRequestFilter {

    @Inject
    CatalogRequest catalog;

    @Override
    public void filter(ContainerRequestContext request) {
        String cid = request.getUriInfo().getPathParameters().getFirst("cid");
        if (cid != null) {
            catalog.bind(cid);
        }
    }
}
