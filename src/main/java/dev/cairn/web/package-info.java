/**
 * The server-rendered web catalog: HTML pages from the Mustache templates in
 * {@code web/WEB-INF/templates}, its style sheet and script, login and logout for browsers, and
 * errors as pages. Owns the table page's selection (facets, search, sort, columns, page size) and
 * its saved form ({@code cairn.saved_selection}), the lineage picture, the forms that create, edit
 * and delete rows, the reading of Chaise's presentation annotations ({@code Chaise}) and what
 * cells show by them ({@code Cells}, with markdown patterns rendered by {@code Markdown}). Reads
 * and writes only through other packages' control classes: {@code catalog} (the request's
 * {@code CatalogRequest}: the catalog and the visitor's rights; ERMrest reads and ERMrest's one
 * write path for rows through {@code DataAccess}; models), {@code asset} (asset tables, assets,
 * lineage), {@code execution} (executions, their state machine and the rule for changing one),
 * {@code dataset} (datasets, members, versions and their diffs), {@code registry} (a registered
 * asset's aliases), {@code ml} (DerivaML's names), {@code vocabulary} (terms added from a form),
 * {@code store} (an asset's version and its first bytes; a form's file received and committed),
 * {@code security} (login sessions) and {@code platform}. No SQL of its own but the saved
 * selections' table.
 */
package dev.cairn.web;
