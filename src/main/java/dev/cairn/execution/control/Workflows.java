package dev.cairn.execution.control;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.RequestClient;
import dev.cairn.vocabulary.control.Vocabularies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Workflows: the code an execution runs. The same URL and checksum always give the same workflow. */
@ApplicationScoped
public class Workflows {

    private static final String ROW = "to_jsonb(w) || jsonb_build_object('Workflow_Type', coalesce((SELECT "
            + "jsonb_agg(t.\"Workflow_Type\" ORDER BY t.\"Workflow_Type\") FROM " + MlSql.ml("Workflow_Workflow_Type")
            + " t WHERE t.\"Workflow\" = w.\"RID\"), '[]'::jsonb))";

    /** A workflow, and whether this request created it. */
    public record Added(JsonObject workflow, boolean created) {}

    @Inject
    CatalogDatabases databases;

    @Inject
    Vocabularies vocabularies;

    public Added create(
            long catalogId,
            String name,
            String type,
            String description,
            String url,
            String checksum,
            String version,
            RequestClient client) {
        if (type == null) {
            throw new CairnException.BadRequest("A workflow needs a \"type\", a Workflow_Type term.");
        }
        Vocabularies.Vocabulary types = new Vocabularies.Vocabulary(MlSql.ML, "Workflow_Type");
        return databases.transaction(catalogId, client, c -> {
            // one creator at a time per URL and checksum, so that two clients get the same row
            Jdbc.execute(
                    c,
                    "SELECT pg_advisory_xact_lock(hashtext('cairn.workflow'), hashtext(?))",
                    String.valueOf(url) + '\n' + checksum);
            if (url != null && checksum != null) {
                var existing = Jdbc.jsonObject(
                        c,
                        "SELECT " + ROW + " FROM " + MlSql.ml("Workflow") + " w "
                                + "WHERE w.\"URL\" = ? AND w.\"Checksum\" = ? ORDER BY w.\"RID\" LIMIT 1",
                        url,
                        checksum);
                if (existing.isPresent()) {
                    return new Added(existing.get(), false);
                }
            }
            String typeName = vocabularies.canonical(c, types, List.of(type)).get(0);
            String rid = Jdbc.text(
                            c,
                            "INSERT INTO " + MlSql.ml("Workflow")
                                    + " (\"Name\", \"Description\", \"URL\", \"Checksum\", "
                                    + "\"Version\") VALUES (?, ?, ?, ?, ?) RETURNING \"RID\"",
                            name,
                            description,
                            url,
                            checksum,
                            version)
                    .orElseThrow();
            Jdbc.update(
                    c,
                    "INSERT INTO " + MlSql.ml("Workflow_Workflow_Type")
                            + " (\"Workflow\", \"Workflow_Type\") VALUES (?, ?)",
                    rid,
                    typeName);
            return new Added(get(c, rid), true);
        });
    }

    public JsonArray list(long catalogId) {
        return databases.transaction(
                catalogId,
                RequestClient.ANONYMOUS,
                c -> Jdbc.jsonArray(c, "SELECT " + ROW + " FROM " + MlSql.ml("Workflow") + " w ORDER BY w.\"RID\""));
    }

    public JsonObject get(long catalogId, String rid) {
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> get(c, MlSql.rid("Workflow", rid)));
    }

    private static JsonObject get(Connection c, String rid) throws SQLException {
        return Jdbc.jsonObject(c, "SELECT " + ROW + " FROM " + MlSql.ml("Workflow") + " w WHERE w.\"RID\" = ?", rid)
                .orElseThrow(() -> new CairnException.NotFound("No workflow has RID " + rid + "."));
    }
}
