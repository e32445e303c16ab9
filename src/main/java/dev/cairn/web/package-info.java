/**
 * The server-rendered web catalog: HTML pages from the Mustache templates in
 * {@code web/WEB-INF/templates}, its style sheet and script, login and logout for browsers, and
 * errors as pages. Owns the table page's selection (facets, search, sort, columns) and its saved
 * form ({@code cairn.saved_selection}), and the lineage picture. Reads only through other
 * packages' control classes: {@code catalog} (the request's {@code CatalogRequest}: the catalog
 * and the visitor's rights; ERMrest paths through {@code DataAccess}; models), {@code asset}
 * (asset tables, assets, lineage), {@code execution} (executions and the rule for changing one),
 * {@code dataset} (datasets, members, versions and their diffs), {@code registry} (a registered
 * asset's aliases), {@code ml} (DerivaML's names), {@code vocabulary}, {@code store} (an asset's
 * version and its first bytes), {@code security} (login sessions) and {@code platform}. No SQL of
 * its own but the saved selections' table.
 */
package dev.cairn.web;
