package dev.cairn.catalog.boundary;

/** The body of {@code POST /api/catalogs}: a name, an optional description and domain schema. */
public record CatalogRequest(String name, String description, String domainSchema) {
}
