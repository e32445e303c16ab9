/**
 * What DerivaML's features share: the names of the {@code deriva-ml} schema, access to a catalog
 * for an {@code /api/catalogs/{cid}/...} request, queries whose rows PostgreSQL turns into JSON, and
 * the ERMrest documents of the tables the ML features create ({@code MlTables}).
 *
 * <p>Uses {@code catalog} and {@code platform}. The ML features ({@code vocabulary}, {@code asset},
 * {@code dataset}, {@code execution}) use it; the catalog engine never does.
 */
package dev.cairn.ml;
