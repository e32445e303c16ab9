package dev.cairn.asset.control;

import static dev.cairn.ml.control.MlSql.ML;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.ml.control.MlSql;
import dev.cairn.ml.control.MlTables;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asset tables: created in one transaction with their associations and their {@code Asset_Type}
 * term, and found again in the model. A table is an asset table when it has {@code URL},
 * {@code Filename}, {@code Length} and {@code MD5}, and its schema has {@code {A}_Asset_Type} and
 * {@code {A}_Execution} beside it.
 */
@ApplicationScoped
public class AssetTables {

    /** The columns that describe an asset row's file. */
    public static final Set<String> ASSET_COLUMNS = MlTables.ASSET_COLUMNS;

    private static final Set<String> RESERVED =
            Set.of("RID", "RCT", "RMT", "RCB", "RMB", "URL", "Filename", "Length", "MD5", "Description");
    private static final String ASSET_ANNOTATION = "tag:isrd.isi.edu,2017:asset";

    /** An asset table and the names of its associations. */
    public record AssetTable(String schema, String name) {

        /** The asset registry's table (migration ml V5), whose rows also carry a name and a version. */
        public static final AssetTable REGISTERED = new AssetTable(MlSql.ML, "Registered_Asset");

        public String sql() {
            return MlSql.table(schema, name);
        }

        public String typeTable() {
            return MlSql.table(schema, name + "_Asset_Type");
        }

        public String executionTable() {
            return MlSql.table(schema, name + "_Execution");
        }

        /** The column of both associations that refers to the asset. */
        public String column() {
            return MlSql.quote(name);
        }

        @Override
        public String toString() {
            return schema + ":" + name;
        }
    }

    /** A domain column of a new asset table. */
    public record ColumnSpec(String name, String type, boolean nullok, String comment) {}

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    ModelEditor editor;

    /**
     * DerivaML's {@code create_asset}: the asset table (in the given schema, or the catalog's
     * domain schema) with its domain columns and a foreign key to each referenced table, its
     * {@code _Asset_Type} and {@code _Execution} associations, and an {@code Asset_Type} term named
     * after it.
     */
    public AssetTable create(
            Catalog catalog,
            String schema,
            String name,
            List<ColumnSpec> columns,
            List<String> referencedTables,
            String comment,
            RequestClient client) {
        String in = MlSql.schemaFor(catalog, schema);
        ModelIndex model = models.index(catalog.id());
        // 52 bytes: its association tables add '_Asset_Type' within PostgreSQL's 63
        MlSql.checkNewTableName(model, "An asset table", name, 52);
        for (String suffix : List.of("_Asset_Type", "_Execution")) {
            MlSql.checkNewTableName(model, "An asset table", name + suffix, 63);
        }
        Set<String> names = new LinkedHashSet<>();
        JsonArrayBuilder definitions = JsonBodies.JSON
                .createArrayBuilder()
                .add(MlTables.column(
                        "URL",
                        "text",
                        false,
                        "Object store URL of the file version.",
                        JsonBodies.JSON.createObjectBuilder().add(ASSET_ANNOTATION, assetAnnotation(in, name))))
                .add(MlTables.column("Filename", "text", true, "Original name of the file.", null))
                .add(MlTables.column("Description", "markdown", true, "What the file is.", null))
                .add(MlTables.column("Length", "int8", false, "Size of the file in bytes.", null))
                .add(MlTables.column("MD5", "text", false, "MD5 checksum of the file, lower-case hex.", null));
        for (ColumnSpec c : columns) {
            if (RESERVED.contains(c.name()) || !names.add(c.name())) {
                throw new CairnException.BadRequest(
                        "Column '" + c.name() + "' is given twice or is one every asset table has.");
            }
            definitions.add(MlTables.column(c.name(), c.type(), c.nullok(), c.comment(), null));
        }
        JsonArrayBuilder foreignKeys = JsonBodies.JSON.createArrayBuilder();
        for (String reference : referencedTables) {
            ModelIndex.Table target = resolve(model, reference, in);
            if (RESERVED.contains(target.name()) || !names.add(target.name())) {
                throw new CairnException.BadRequest("Referenced table " + target + " would add a column '"
                        + target.name() + "' that exists already.");
            }
            definitions.add(MlTables.column(
                    target.name(), "text", true, "The " + target.name() + " this file belongs to.", null));
            foreignKeys.add(
                    MlTables.foreignKey(in, name, target.name(), target.schema(), target.name(), "RID", "SET NULL"));
        }
        JsonObject asset = JsonBodies.JSON
                .createObjectBuilder()
                .add("table_name", name)
                .add("comment", comment == null ? "Files of type " + name + "." : comment)
                .add("column_definitions", definitions)
                .add("foreign_keys", foreignKeys)
                .build();
        JsonObject types = MlTables.association(
                in,
                name + "_Asset_Type",
                "Types of each " + name + " file.",
                name,
                in,
                name,
                "Asset_Type",
                ML,
                "Asset_Type",
                "Name",
                null);
        JsonObject executions = MlTables.association(
                in,
                name + "_Execution",
                "Executions that used (Input) or produced (Output) each " + name + " file.",
                name,
                in,
                name,
                "Execution",
                ML,
                "Execution",
                "RID",
                "Asset_Role");
        AssetTable created = new AssetTable(in, name);
        editor.createTables(
                catalog.id(),
                List.of(
                        new ModelEditor.NewTable(in, asset),
                        new ModelEditor.NewTable(in, types),
                        new ModelEditor.NewTable(in, executions)),
                client,
                c -> {
                    // lineage walks from executions to assets as well as the other way
                    Jdbc.update(c, "CREATE INDEX ON " + created.executionTable() + " (\"Execution\")");
                    Jdbc.update(
                            c,
                            "INSERT INTO " + MlSql.ml("Asset_Type") + " (\"Name\", \"Description\") VALUES (?, ?) "
                                    + "ON CONFLICT (\"Name\") DO NOTHING",
                            name,
                            comment == null ? "Files of the " + name + " asset table." : comment);
                    return null;
                });
        return created;
    }

    private static JsonObject assetAnnotation(String schema, String table) {
        return JsonBodies.JSON
                .createObjectBuilder()
                .add(
                        "url_pattern",
                        "/hatrac/{{$catalog.id}}/{{#encode}}" + schema + "{{/encode}}/{{#encode}}" + table
                                + "{{/encode}}/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}")
                .add("filename_column", "Filename")
                .add("byte_count_column", "Length")
                .add("md5", "MD5")
                .build();
    }

    /** A referenced table: {@code schema:table}, or a bare name looked up in the asset's schema first. */
    private static ModelIndex.Table resolve(ModelIndex model, String reference, String schema) {
        int colon = reference.indexOf(':');
        if (colon > 0) {
            return model.table(reference.substring(0, colon), reference.substring(colon + 1));
        }
        return model.tables().stream()
                .filter(t -> t.schema().equals(schema) && t.name().equals(reference))
                .findFirst()
                .orElseGet(() -> model.table(null, reference));
    }

    // ---- finding asset tables

    /** Every asset table of the catalog, built-in ones included. */
    public List<AssetTable> list(long catalogId) {
        Map<List<String>, ModelIndex.Table> byName = new HashMap<>();
        models.index(catalogId).tables().forEach(t -> byName.put(List.of(t.schema(), t.name()), t));
        List<AssetTable> tables = new ArrayList<>();
        for (ModelIndex.Table t : byName.values()) {
            ModelIndex.Table executions = byName.get(List.of(t.schema(), t.name() + "_Execution"));
            ModelIndex.Table types = byName.get(List.of(t.schema(), t.name() + "_Asset_Type"));
            if (t.columns().keySet().containsAll(ASSET_COLUMNS)
                    && executions != null
                    && types != null
                    && executions.columns().keySet().containsAll(Set.of(t.name(), "Execution", "Asset_Role"))
                    && types.columns().keySet().containsAll(Set.of(t.name(), "Asset_Type"))) {
                tables.add(new AssetTable(t.schema(), t.name()));
            }
        }
        tables.sort(Comparator.comparing(AssetTable::toString));
        return tables;
    }

    /** The asset table a request names ({@code table} or {@code schema:table}); 400 when it is not one. */
    public AssetTable find(long catalogId, String name) {
        ModelIndex model = models.index(catalogId);
        List<AssetTable> matches = list(catalogId).stream()
                .filter(t -> t.name().equals(name) || (t.schema() + ":" + t.name()).equals(name))
                .toList();
        if (matches.size() > 1) {
            throw new CairnException.BadRequest(
                    "Asset table name " + name + " is ambiguous: " + matches + "; qualify it as schema:table.");
        }
        if (matches.isEmpty()) {
            throw new CairnException.BadRequest("'" + name + "' is not an asset table of catalog " + catalogId
                    + (model.tables().stream().anyMatch(t -> t.name().equals(name))
                            ? " (the table lacks URL, Filename, "
                                    + "Length or MD5, or its _Asset_Type and _Execution associations)"
                            : "")
                    + ".");
        }
        return matches.get(0);
    }

    /** The asset table a RID's row is in, if it is in one. */
    public Optional<AssetTable> of(long catalogId, String schema, String table) {
        return list(catalogId).stream()
                .filter(t -> t.schema().equals(schema) && t.name().equals(table))
                .findFirst();
    }
}
