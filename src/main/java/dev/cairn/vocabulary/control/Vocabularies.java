package dev.cairn.vocabulary.control;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Vocabulary tables and their terms. A vocabulary is any table with the columns {@code ID},
 * {@code URI}, {@code Name}, {@code Description} and {@code Synonyms}; requests name it by its
 * table name, or {@code schema:table} when the name alone is ambiguous.
 */
@ApplicationScoped
public class Vocabularies {

    private static final Set<String> COLUMNS = Set.of("ID", "URI", "Name", "Description", "Synonyms");
    private static final String TERM = "to_jsonb(t)";

    /** A vocabulary table. */
    public record Vocabulary(String schema, String table) {

        String sql() {
            return MlSql.table(schema, table);
        }
    }

    /** A term, and whether this request created it. */
    public record Added(JsonObject term, boolean created) {}

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    ModelEditor editor;

    /** DerivaML's {@code create_vocabulary}: in the given schema, or else the catalog's domain schema. */
    public Vocabulary create(Catalog catalog, String schema, String name, String comment, RequestClient client) {
        String in = MlSql.schemaFor(catalog, schema);
        // 53 bytes: its key constraints add '_Name_key1' (and more) within PostgreSQL's 63
        MlSql.checkNewTableName(models.index(catalog.id()), "A vocabulary", name, 53);
        JsonObject doc = JsonBodies.JSON
                .createObjectBuilder()
                .add("table_name", name)
                .add("comment", comment == null ? "Vocabulary " + name + "." : comment)
                .add(
                        "column_definitions",
                        JsonBodies.JSON
                                .createArrayBuilder()
                                .add(column(
                                        "ID",
                                        "ermrest_curie",
                                        false,
                                        in + ":{RID}",
                                        "Compact URI (CURIE) of the term."))
                                .add(column("URI", "ermrest_uri", false, "/id/{RID}", "URI of the term."))
                                .add(column("Name", "text", false, null, "Name of the term, unique in the vocabulary."))
                                .add(column("Description", "markdown", false, null, "What the term means."))
                                .add(column(
                                        "Synonyms",
                                        "text[]",
                                        true,
                                        null,
                                        "Other names by which the term can be looked up.")))
                .add(
                        "keys",
                        JsonBodies.JSON
                                .createArrayBuilder()
                                .add(key(name, "ID"))
                                .add(key(name, "URI"))
                                .add(key(name, "Name")))
                .build();
        editor.createTable(catalog.id(), in, doc, client);
        return new Vocabulary(in, name);
    }

    private static JsonObject column(String name, String type, boolean nullok, String defaultValue, String comment) {
        var column = JsonBodies.JSON
                .createObjectBuilder()
                .add("name", name)
                .add("type", JsonBodies.JSON.createObjectBuilder().add("typename", type))
                .add("nullok", nullok)
                .add("comment", comment);
        if (defaultValue != null) {
            column.add("default", defaultValue);
        }
        return column.build();
    }

    private static JsonObject key(String table, String column) {
        return JsonBodies.JSON
                .createObjectBuilder()
                .add(
                        "names",
                        JsonBodies.JSON
                                .createArrayBuilder()
                                .add(JsonBodies.JSON
                                        .createArrayBuilder()
                                        .add("")
                                        .add(table + "_" + column + "key1")))
                .add("unique_columns", JsonBodies.JSON.createArrayBuilder().add(column))
                .build();
    }

    /** Every vocabulary of the catalog. */
    public List<Vocabulary> list(long catalogId) {
        return models.index(catalogId).tables().stream()
                .filter(Vocabularies::isVocabulary)
                .map(t -> new Vocabulary(t.schema(), t.name()))
                .toList();
    }

    /** The vocabulary a request names ({@code table} or {@code schema:table}); 404 when it is not one. */
    public Vocabulary find(long catalogId, String name) {
        int colon = name.indexOf(':');
        ModelIndex model = models.index(catalogId);
        ModelIndex.Table table =
                colon > 0 && !model.tables().stream().anyMatch(t -> t.name().equals(name))
                        ? model.table(name.substring(0, colon), name.substring(colon + 1))
                        : model.table(null, name);
        if (!isVocabulary(table)) {
            throw new CairnException.NotFound(
                    "Table " + table + " is not a vocabulary: it lacks some of " + COLUMNS + ".");
        }
        return new Vocabulary(table.schema(), table.name());
    }

    private static boolean isVocabulary(ModelIndex.Table table) {
        return table.columns().keySet().containsAll(COLUMNS);
    }

    /** DerivaML's {@code add_term}: adding a name that exists returns the existing term. */
    public Added add(
            long catalogId,
            Vocabulary vocabulary,
            String name,
            String description,
            List<String> synonyms,
            RequestClient client) {
        if (name == null || name.isBlank()) {
            throw new CairnException.BadRequest("A term needs a \"name\".");
        }
        if (description == null) {
            throw new CairnException.BadRequest("A term needs a \"description\".");
        }
        return databases.transaction(catalogId, client, c -> {
            var inserted = Jdbc.jsonObject(
                    c,
                    "INSERT INTO " + vocabulary.sql() + " AS t (\"Name\", \"Description\", \"Synonyms\") "
                            + "VALUES (?, ?, CAST(? AS text[])) ON CONFLICT (\"Name\") DO NOTHING RETURNING " + TERM,
                    name,
                    description,
                    synonyms.isEmpty() ? null : synonyms.toArray(String[]::new));
            if (inserted.isPresent()) {
                return new Added(inserted.get(), true);
            }
            return new Added(
                    Jdbc.jsonObject(c, "SELECT " + TERM + " FROM " + vocabulary.sql() + " t WHERE \"Name\" = ?", name)
                            .orElseThrow(),
                    false);
        });
    }

    public JsonArray terms(long catalogId, Vocabulary vocabulary) {
        return databases.transaction(
                catalogId,
                RequestClient.ANONYMOUS,
                c -> Jdbc.jsonArray(c, "SELECT " + TERM + " FROM " + vocabulary.sql() + " t ORDER BY \"Name\""));
    }

    /** DerivaML's {@code lookup_term}: by name, else by synonym; 404 when neither matches. */
    public JsonObject lookup(long catalogId, Vocabulary vocabulary, String nameOrSynonym) {
        return databases
                .transaction(
                        catalogId,
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.jsonObject(
                                c,
                                "SELECT " + TERM + " FROM " + vocabulary.sql()
                                        + " t WHERE \"Name\" = ? OR ? = ANY (\"Synonyms\") "
                                        + "ORDER BY \"Name\" = ? DESC, \"Name\" LIMIT 1",
                                nameOrSynonym,
                                nameOrSynonym,
                                nameOrSynonym))
                .orElseThrow(
                        () -> new CairnException.NotFound("Vocabulary " + vocabulary.schema() + ":" + vocabulary.table()
                                + " has no term named '" + nameOrSynonym + "', nor one with it as a synonym."));
    }

    /**
     * The canonical names of the given terms (each a name or synonym), in order and without
     * repeats; 400 naming the first that is unknown.
     */
    public List<String> canonical(Connection c, Vocabulary vocabulary, List<String> terms) throws SQLException {
        List<String> names = new ArrayList<>();
        for (String term : terms) {
            String name = Jdbc.text(
                            c,
                            "SELECT \"Name\" FROM " + vocabulary.sql()
                                    + " WHERE \"Name\" = ? OR ? = ANY (\"Synonyms\") "
                                    + "ORDER BY \"Name\" = ? DESC LIMIT 1",
                            term,
                            term,
                            term)
                    .orElseThrow(() -> new CairnException.BadRequest("'" + term + "' is not a term of "
                            + vocabulary.schema() + ":" + vocabulary.table() + "; add it first."));
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
