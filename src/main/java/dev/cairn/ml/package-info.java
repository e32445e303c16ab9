/**
 * What DerivaML's features share: the names of the {@code deriva-ml} schema, access to a catalog
 * for an {@code /api/catalogs/{cid}/...} request, and queries whose rows PostgreSQL turns into JSON.
 *
 * <p>Uses {@code catalog} and {@code platform}. The ML features ({@code vocabulary}, {@code asset},
 * {@code execution}) use it; the catalog engine never does.
 */
package dev.cairn.ml;
