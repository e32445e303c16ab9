package dev.cairn.execution.control;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.dataset.control.Datasets;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.HatracPath;
import dev.cairn.vocabulary.control.Vocabularies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Executions: their creation with inputs, their status, and the output files staged in their
 * working directory. One state machine governs status changes, staging and commits:
 * <pre>
 * Created -> Running -> Stopped | Failed      (PUT .../status; Aborted from Created or Running)
 * Running, Stopped, Failed                    outputs may be staged and unstaged
 * Stopped | Failed -> Pending_Upload -> Uploaded   (POST .../commit only; a failed commit stays
 *                                             Pending_Upload and a retry finishes it)
 * </pre>
 * Repeating the current status updates its detail.
 */
@ApplicationScoped
public class Executions {

    static final String STAGED =
            "jsonb_build_object('assetTable', s.asset_table, 'schema', s.asset_schema, 'filename', s.filename, "
                    + "'length', s.length, 'md5', s.md5, 'types', to_jsonb(s.types), 'description', s.description, "
                    + "'stagedAt', s.staged_at, 'committed', s.asset_rid IS NOT NULL, 'asset', s.asset_rid, 'url', s.url)";

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    AssetTables assetTables;

    @Inject
    Assets assets;

    @Inject
    Vocabularies vocabularies;

    @Inject
    Workspaces workspaces;

    @Inject
    OutputCommits commits;

    // ---- creation and inputs

    /** DerivaML's {@code create_execution}: status {@code Created}, inputs linked with role {@code Input}. */
    public String create(
            long catalogId,
            String workflow,
            String description,
            List<DatasetInput> datasets,
            List<String> inputAssets,
            RequestClient client) {
        MlSql.rid("Workflow", workflow);
        List<AssetInput> resolved = resolveAssets(catalogId, inputAssets);
        return databases.transaction(catalogId, client, c -> {
            if (Jdbc.text(c, "SELECT \"RID\" FROM " + MlSql.ml("Workflow") + " WHERE \"RID\" = ?", workflow)
                    .isEmpty()) {
                throw new CairnException.BadRequest("No workflow has RID " + workflow + ".");
            }
            String rid = Jdbc.text(
                            c,
                            "INSERT INTO " + MlSql.ml("Execution") + " (\"Workflow\", \"Description\", \"Status\", "
                                    + "\"Status_Detail\") VALUES (?, ?, 'Created', 'Execution created') RETURNING \"RID\"",
                            workflow,
                            description)
                    .orElseThrow();
            Jdbc.update(c, "INSERT INTO \"_deriva_ml\".execution_clock (execution) VALUES (?)", rid);
            link(c, rid, datasets, resolved);
            return rid;
        });
    }

    /** Records further inputs of an execution that has not finished. */
    public void addInputs(
            long catalogId,
            String execution,
            List<DatasetInput> datasets,
            List<String> inputAssets,
            RequestClient client) {
        List<AssetInput> resolved = resolveAssets(catalogId, inputAssets);
        databases.transaction(catalogId, client, c -> {
            String status = ExecutionStates.lockStatus(c, execution, "FOR SHARE");
            if (!Set.of("Created", "Running").contains(status)) {
                throw new CairnException.Conflict(
                        ErrorCode.EXECUTION_STATE,
                        "Execution " + execution + " is " + status + "; inputs are recorded while it is "
                                + "Created or Running.");
            }
            link(c, execution, datasets, resolved);
            return null;
        });
    }

    private record AssetInput(String rid, AssetTable table) {}

    private List<AssetInput> resolveAssets(long catalogId, List<String> rids) {
        return rids.stream()
                .map(rid -> {
                    Map<String, String> where = data.resolve(catalogId, MlSql.rid("Asset", rid))
                            .orElseThrow(() -> new CairnException.BadRequest("No asset has RID " + rid + "."));
                    AssetTable table = assetTables
                            .of(catalogId, where.get("schema_name"), where.get("table_name"))
                            .orElseThrow(() -> new CairnException.BadRequest(
                                    "RID " + rid + " is a row of " + where.get("schema_name") + ":"
                                            + where.get("table_name") + ", which is not an asset table."));
                    return new AssetInput(rid, table);
                })
                .toList();
    }

    /** A dataset an execution consumes, at a released version (or, without one, its current version). */
    public record DatasetInput(String rid, String version) {}

    /**
     * Links the inputs: each dataset with the released version it consumes (null: the live state
     * of a dataset in development, as DerivaML's ADR-0003 has it), each asset with role Input.
     */
    private static void link(Connection c, String execution, List<DatasetInput> datasets, List<AssetInput> inputs)
            throws SQLException {
        for (DatasetInput dataset : datasets) {
            String version = Datasets.consumed(c, dataset.rid(), dataset.version());
            Jdbc.update(
                    c,
                    "INSERT INTO " + MlSql.ml("Dataset_Execution")
                            + " (\"Dataset\", \"Execution\", \"Dataset_Version\") "
                            + "VALUES (?, ?, ?) ON CONFLICT (\"Dataset\", \"Execution\") DO UPDATE SET \"Dataset_Version\" = EXCLUDED.\"Dataset_Version\"",
                    dataset.rid(),
                    execution,
                    version);
        }
        for (AssetInput input : inputs) {
            Assets.link(c, input.table(), input.rid(), execution, "Input");
        }
    }

    // ---- reading

    public JsonArray list(long catalogId) {
        return databases.transaction(
                catalogId,
                RequestClient.ANONYMOUS,
                c -> Jdbc.jsonArray(c, "SELECT to_jsonb(e) FROM " + MlSql.ml("Execution") + " e ORDER BY e.\"RID\""));
    }

    /**
     * The client that created the execution (its RCB, null if unknown): all a change's rule needs, read
     * without the execution's staged files and assets, so that staging many files stays linear.
     */
    public String creator(long catalogId, String execution) {
        MlSql.rid("Execution", execution);
        return databases
                .transaction(
                        catalogId,
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.text(
                                c,
                                "SELECT coalesce(\"RCB\", '') FROM " + MlSql.ml("Execution") + " WHERE \"RID\" = ?",
                                execution))
                .map(rcb -> rcb.isEmpty() ? null : rcb)
                .orElseThrow(() -> new CairnException.NotFound("No execution has RID " + execution + "."));
    }

    /**
     * An execution's document lists at most this many assets and staged files (the first by RID, by
     * table and filename), with their counts; {@link #assets} pages through all of them.
     */
    public static final int LISTED = 1000;

    /**
     * The execution's row with its workflow, input datasets, commit, and the first {@link #LISTED}
     * of its input and output assets and of its staged files, with how many there are of each.
     */
    public JsonObject get(long catalogId, String execution) {
        MlSql.rid("Execution", execution);
        List<AssetTable> tables = assetTables.list(catalogId);
        JsonObject document = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            JsonObject row = Jdbc.jsonObject(
                            c,
                            "SELECT to_jsonb(e) || jsonb_build_object("
                                    + "'Workflow_Name', (SELECT w.\"Name\" FROM " + MlSql.ml("Workflow")
                                    + " w WHERE w.\"RID\" = e.\"Workflow\"), "
                                    + "'Datasets', coalesce((SELECT jsonb_agg(d.\"Dataset\" ORDER BY d.\"Dataset\") FROM "
                                    + MlSql.ml("Dataset_Execution")
                                    + " d WHERE d.\"Execution\" = e.\"RID\"), '[]'::jsonb), "
                                    + "'Dataset_Versions', coalesce((SELECT jsonb_agg(jsonb_build_object('Dataset', d.\"Dataset\", 'Dataset_Version', "
                                    + "d.\"Dataset_Version\", 'Version', v.\"Version\", 'Snapshot', v.\"Snapshot\") ORDER BY d.\"Dataset\") FROM "
                                    + MlSql.ml("Dataset_Execution") + " d LEFT JOIN " + MlSql.ml("Dataset_Version")
                                    + " v ON v.\"RID\" = d.\"Dataset_Version\" "
                                    + "WHERE d.\"Execution\" = e.\"RID\"), '[]'::jsonb), "
                                    + "'Staged', coalesce((SELECT jsonb_agg(z.j ORDER BY z.o1, z.o2, z.o3) FROM (SELECT "
                                    + STAGED + " AS j, s.asset_schema AS o1, s.asset_table AS o2, s.filename AS o3 "
                                    + "FROM \"_deriva_ml\".staged_output s WHERE s.execution = e.\"RID\" "
                                    + "ORDER BY 2, 3, 4 LIMIT " + LISTED + ") z), '[]'::jsonb), "
                                    + "'Staged_Count', (SELECT count(*) FROM \"_deriva_ml\".staged_output s "
                                    + "WHERE s.execution = e.\"RID\")) "
                                    + "FROM " + MlSql.ml("Execution") + " e WHERE e.\"RID\" = ?",
                            execution)
                    .orElseThrow(() -> new CairnException.NotFound("No execution has RID " + execution + "."));
            return JsonBodies.JSON
                    .createObjectBuilder(row)
                    .add("Assets", assets.ofExecution(c, tables, execution, null, null, LISTED))
                    .add("Asset_Count", assets.countOfExecution(c, tables, execution))
                    .build();
        });
        var builder = JsonBodies.JSON.createObjectBuilder(document);
        boolean uploaded = "Uploaded".equals(document.getString("Status", ""));
        commits.progress(catalogId, execution).ifPresent(p -> builder.add("Commit", settled(p, uploaded)));
        return builder.build();
    }

    /**
     * Up to {@code limit} of the execution's assets in RID order after {@code after} (null: from the
     * first), of {@code role} only ({@code Input}, {@code Output}; null: both).
     */
    public JsonArray assets(long catalogId, String execution, String role, String after, int limit) {
        MlSql.rid("Execution", execution);
        if (after != null) {
            MlSql.rid("Asset", after);
        }
        if (role != null && !role.equals("Input") && !role.equals("Output")) {
            throw new CairnException.BadRequest("An asset's role is Input or Output, not '" + role + "'.");
        }
        List<AssetTable> tables = assetTables.list(catalogId);
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            if (Jdbc.text(c, "SELECT \"RID\" FROM " + MlSql.ml("Execution") + " WHERE \"RID\" = ?", execution)
                    .isEmpty()) {
                throw new CairnException.NotFound("No execution has RID " + execution + ".");
            }
            return assets.ofExecution(c, tables, execution, role, after, limit);
        });
    }

    /**
     * The commit as the catalog has it: an Uploaded execution's outputs are committed, so its
     * commit is done even in the moment before its node records that in the system database.
     */
    static JsonObject settled(JsonObject commit, boolean uploaded) {
        if (!uploaded || !"running".equals(commit.getString("state", ""))) {
            return commit;
        }
        return JsonBodies.JSON.createObjectBuilder(commit).add("state", "done").build();
    }

    // ---- status

    public JsonObject status(long catalogId, String execution, String status, String detail, RequestClient client) {
        if (status == null || !ExecutionStates.known(status)) {
            throw new CairnException.BadRequest("\"status\" is one of Running, Stopped, Failed or Aborted.");
        }
        databases.transaction(catalogId, client, c -> {
            String current = ExecutionStates.lockStatus(c, execution, "FOR UPDATE");
            ExecutionStates.requireMove(execution, current, status);
            String duration = null;
            if (status.equals("Running") && !current.equals("Running")) {
                Jdbc.update(
                        c,
                        "UPDATE \"_deriva_ml\".execution_clock SET running_since = now() WHERE execution = ?",
                        execution);
            } else if (current.equals("Running") && !status.equals("Running")) {
                duration = ExecutionStates.durationSince(c, execution, "running_since");
            }
            Jdbc.update(
                    c,
                    "UPDATE " + MlSql.ml("Execution") + " SET \"Status\" = ?, \"Status_Detail\" = ?, "
                            + "\"Execution_Duration\" = coalesce(?, \"Execution_Duration\") WHERE \"RID\" = ?",
                    status,
                    detail,
                    duration,
                    execution);
            return null;
        });
        return get(catalogId, execution);
    }

    // ---- staging

    /**
     * DerivaML's {@code asset_file_path}: streams a file into the execution's working directory as
     * an output for the asset table, replacing a file staged under the same name.
     */
    public JsonObject stage(
            long catalogId,
            String execution,
            String table,
            String filename,
            List<String> types,
            String description,
            String contentMd5,
            InputStream content,
            RequestClient client) {
        AssetTable asset = stageable(catalogId, execution, table);
        checkFilename(filename);
        Vocabularies.Vocabulary assetTypes = new Vocabularies.Vocabulary(MlSql.ML, "Asset_Type");
        List<String> typeNames = databases.transaction(catalogId, client, c -> {
            checkStageable(c, execution, "FOR SHARE");
            return vocabularies.canonical(c, assetTypes, types);
        });
        Workspaces.Received received = workspaces.receive(catalogId, content);
        try {
            if (contentMd5 != null && !contentMd5.equals(received.md5())) {
                throw new CairnException.BadRequest(
                        "Content-MD5 does not match the file received; nothing was staged.");
            }
            Optional<String> replaced = databases.transaction(catalogId, client, c -> {
                checkStageable(c, execution, "FOR SHARE");
                Optional<String> old = Jdbc.text(
                        c,
                        "SELECT file_id FROM \"_deriva_ml\".staged_output WHERE execution = ? "
                                + "AND asset_schema = ? AND asset_table = ? AND filename = ? FOR UPDATE",
                        execution,
                        asset.schema(),
                        asset.name(),
                        filename);
                Jdbc.update(
                        c,
                        "INSERT INTO \"_deriva_ml\".staged_output (execution, asset_schema, asset_table, filename, file_id, "
                                + "length, md5, sha256, types, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                + "ON CONFLICT (execution, asset_schema, asset_table, filename) DO UPDATE SET file_id = EXCLUDED.file_id, "
                                + "length = EXCLUDED.length, md5 = EXCLUDED.md5, sha256 = EXCLUDED.sha256, types = EXCLUDED.types, "
                                + "description = EXCLUDED.description, staged_at = now(), url = NULL, asset_rid = NULL",
                        execution,
                        asset.schema(),
                        asset.name(),
                        filename,
                        received.fileId(),
                        received.length(),
                        received.md5(),
                        received.sha256(),
                        typeNames.toArray(String[]::new),
                        description);
                return old;
            });
            replaced.ifPresent(old -> workspaces.delete(catalogId, execution, old));
        } catch (RuntimeException e) {
            workspaces.delete(catalogId, execution, received.fileId());
            throw e;
        }
        return staged(catalogId, execution, asset, filename);
    }

    /** The asset table files are staged into for the execution: any but the registry's. */
    public AssetTable stageable(long catalogId, String execution, String table) {
        AssetTable asset = assetTables.find(catalogId, table);
        if (asset.equals(AssetTable.REGISTERED)) {
            throw new CairnException.BadRequest(
                    "A registered asset has a name and a version: upload it through POST /aios/" + catalogId
                            + "/upload_asset with \"execution\": \"" + execution + "\" in its asset_metadata.");
        }
        return asset;
    }

    private JsonObject staged(long catalogId, String execution, AssetTable asset, String filename) {
        return databases
                .transaction(
                        catalogId,
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.jsonObject(
                                c,
                                "SELECT " + STAGED
                                        + " FROM \"_deriva_ml\".staged_output s WHERE execution = ? AND asset_schema = ? AND asset_table = ? "
                                        + "AND filename = ?",
                                execution,
                                asset.schema(),
                                asset.name(),
                                filename))
                .orElseThrow(
                        () -> new CairnException.NotFound("No file " + filename + " is staged for " + asset + "."));
    }

    static void checkStageable(Connection c, String execution, String lock) throws SQLException {
        String status = ExecutionStates.lockStatus(c, execution, lock);
        if (!ExecutionStates.STAGEABLE.contains(status)) {
            throw new CairnException.Conflict(
                    ErrorCode.EXECUTION_STATE,
                    "Execution " + execution + " is " + status + "; outputs are staged before its "
                            + "commit begins (while it is one of " + ExecutionStates.STAGEABLE + ").");
        }
    }

    /** A filename becomes part of an object-store name ({@code MD5.filename}): one safe segment. */
    static void checkFilename(String filename) {
        HatracPath.checkSegment(filename);
        HatracPath.checkSegment("0".repeat(32) + "." + filename);
    }

    /** The files staged (and, when a commit kept them, committed) in the working directory. */
    public JsonArray staged(long catalogId, String execution) {
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            ExecutionStates.lockStatus(c, execution, "");
            return Jdbc.jsonArray(
                    c,
                    "SELECT " + STAGED + " FROM \"_deriva_ml\".staged_output s WHERE s.execution = ? "
                            + "ORDER BY s.asset_schema, s.asset_table, s.filename",
                    execution);
        });
    }

    /** Removes a staged file; not while a commit of the execution runs. */
    public void unstage(long catalogId, String execution, String table, String filename, RequestClient client) {
        AssetTable asset = assetTables.find(catalogId, table);
        if (commits.running(catalogId, execution)) {
            throw new CairnException.Conflict(
                    ErrorCode.COMMIT_IN_PROGRESS, "A commit of execution " + execution + " is under way.");
        }
        String fileId = databases.transaction(catalogId, client, c -> {
            String status = ExecutionStates.lockStatus(c, execution, "FOR SHARE");
            String removed = Jdbc.text(
                            c,
                            "DELETE FROM \"_deriva_ml\".staged_output WHERE execution = ? AND asset_schema = ? "
                                    + "AND asset_table = ? AND filename = ? AND (asset_rid IS NOT NULL OR ? ) RETURNING file_id",
                            execution,
                            asset.schema(),
                            asset.name(),
                            filename,
                            ExecutionStates.STAGEABLE.contains(status) || status.equals("Pending_Upload"))
                    .orElse(null);
            if (removed == null) {
                throw new CairnException.NotFound("No file " + filename + " is staged for " + asset + " in execution "
                        + execution + " (or the execution is " + status + ").");
            }
            return removed;
        });
        workspaces.delete(catalogId, execution, fileId);
    }

    /**
     * The rule for changing an execution, the API's and the web catalog's: update on Execution, and
     * its creator or an owner of the catalog.
     */
    public static boolean mayChange(CatalogRequest context, JsonObject execution) {
        return mayChange(context, execution.getString("RCB", null));
    }

    /** {@link #mayChange(CatalogRequest, JsonObject)} for the execution's creator ({@link #creator}). */
    public static boolean mayChange(CatalogRequest context, String creator) {
        String client = context.client().id();
        boolean mine = client != null && client.equals(creator);
        return context.allowed("update", MlSql.ML, "Execution") && (mine || context.allowed("owner"));
    }
}
