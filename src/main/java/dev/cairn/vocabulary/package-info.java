/**
 * Controlled vocabularies (DerivaML's {@code create_vocabulary}, {@code add_term},
 * {@code list_vocabulary_terms}, {@code lookup_term}) under {@code /api/catalogs/{cid}/vocabularies}:
 * tables with {@code ID}, {@code URI}, {@code Name}, {@code Description} and {@code Synonyms}, created
 * through the catalog engine so they are ordinary ERMrest tables.
 *
 * <p>Uses {@code catalog}, {@code ml} and {@code platform}.
 */
package dev.cairn.vocabulary;
