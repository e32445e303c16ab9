package dev.cairn.catalog.control;

/** What a model element is: its names, with "" for the parts it does not have (the catalog is all ""). */
public record ModelElement(String schema, String table, String column, String constraint) {}
