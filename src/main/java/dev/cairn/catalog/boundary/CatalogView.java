package dev.cairn.catalog.boundary;

import dev.cairn.catalog.entity.Catalog;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.OffsetDateTime;

/** A catalog as {@code /api/catalogs} shows it, with the URLs of its ERMrest and ML APIs. */
@JsonbNillable
@JsonbPropertyOrder({"id", "name", "description", "domainSchema", "ml", "created", "createdBy", "ermrest", "api"})
public record CatalogView(
        String id,
        String name,
        String description,
        String domainSchema,
        boolean ml,
        OffsetDateTime created,
        String createdBy,
        String ermrest,
        String api) {

    /** {@code ml}: whether the catalog has DerivaML's schema (and so the ML API). */
    static CatalogView of(Catalog c, boolean ml) {
        String id = String.valueOf(c.id());
        return new CatalogView(
                id,
                c.name(),
                c.description(),
                c.domainSchema(),
                ml,
                c.createdAt(),
                c.createdBy(),
                "/ermrest/catalog/" + id,
                "/api/catalogs/" + id);
    }
}
