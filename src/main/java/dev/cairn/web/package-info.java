/**
 * The server-rendered web catalog: HTML pages rendered from the Mustache templates in the
 * {@code web/WEB-INF/templates} folder. Uses {@code catalog} (read-only) and {@code platform}.
 */
package dev.cairn.web;
