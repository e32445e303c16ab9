/**
 * Datasets (DerivaML's dataset API) under {@code /api/catalogs/{cid}/datasets}: datasets with their
 * {@code Dataset_Type} terms, element types ({@code Dataset_{Table}} associations, made through the
 * catalog engine), members and nested datasets, PEP 440 versions (released ones pinned to a
 * catalog snapshot, one mutable dev version), diffs between versions computed from the row
 * history, and BagIt bags of a version, streamed and, for released versions, kept in the object
 * store. It owns every write of these rows; {@code execution} calls it for the version an
 * execution consumes.
 * <p>Uses {@code catalog} (model, snapshots, data queries with the caller's guard),
 * {@code vocabulary}, {@code ml}, {@code store} (asset bytes and kept bags) and {@code platform}.
 */
package dev.cairn.dataset;
