package dev.cairn.web.boundary;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.execution.control.ExecutionStates;
import dev.cairn.execution.control.Executions;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.PathSegment;
import dev.cairn.web.control.Recordset;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An execution: status, workflow, durations, datasets, inputs and outputs, files staged, and the
 * commit's progress (updated live by the page's script from the API). Its creator or an owner
 * gets a form to stage files (streamed to the API with an upload progress bar) and to commit,
 * and buttons that start, stop or fail it (forms that post without script). Access: {@code select}
 * on Execution; the forms only where the API would accept the change, which is checked again.
 */
@Path("/web/{cid: [0-9]{1,18}}/execution/{rid}")
public class ExecutionPage {

    @Inject
    PageContext page;

    @Inject
    Executions executions;

    @Inject
    AssetTables assetTables;

    @GET
    @Produces(PageContext.HTML)
    public Response get(@PathParam("cid") String cid, @PathParam("rid") String rid) {
        long id = page.catalog().requireMl("select", "Execution");
        JsonObject x = executions.get(id, MlSql.rid("RID", rid));
        Map<String, Object> scope = page.scope("Execution " + rid, cid);
        scope.put("rid", rid);
        String status = x.getString("Status", "");
        scope.put("status", status);
        scope.put("detail", text(x, "Status_Detail"));
        scope.put("description", text(x, "Description"));
        scope.put("workflow", text(x, "Workflow_Name"));
        scope.put("workflowLink", "/web/" + cid + "/record/deriva-ml:Workflow/" + text(x, "Workflow"));
        scope.put(
                "durations",
                List.of(
                        Map.of("name", "Execution", "value", duration(text(x, "Execution_Duration"))),
                        Map.of("name", "Download", "value", duration(text(x, "Download_Duration"))),
                        Map.of("name", "Upload", "value", duration(text(x, "Upload_Duration")))));
        List<Map<String, Object>> inputs = new ArrayList<>();
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (JsonValue v : x.getJsonArray("Assets")) {
            JsonObject a = v.asJsonObject();
            Map<String, Object> m = Map.of(
                    "rid",
                    a.getString("RID"),
                    "filename",
                    text(a, "Filename"),
                    "table",
                    text(a, "table"),
                    "link",
                    "/web/" + cid + "/record/" + PathSegment.encode(a.getString("schema") + ":" + a.getString("table"))
                            + "/" + a.getString("RID"));
            ("Output".equals(a.getString("Asset_Role", "")) ? outputs : inputs).add(m);
        }
        scope.put("inputs", inputs);
        scope.put("outputs", outputs);
        long assetCount = x.getJsonNumber("Asset_Count").longValue();
        if (assetCount > x.getJsonArray("Assets").size()) {
            scope.put(
                    "moreAssets",
                    Map.of("shown", thousands(x.getJsonArray("Assets").size()), "count", thousands(assetCount)));
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        // Datasets holds bare RIDs; Dataset_Versions the same datasets with the version each was used at
        for (JsonValue v : x.getJsonArray("Dataset_Versions")) {
            JsonObject d = v.asJsonObject();
            String drid = text(d, "Dataset");
            datasets.add(Map.of(
                    "rid",
                    drid,
                    "version",
                    text(d, "Version"),
                    "link",
                    "/web/" + cid + "/record/deriva-ml:Dataset/" + drid));
        }
        scope.put("datasets", datasets);
        List<Map<String, Object>> staged = new ArrayList<>();
        for (JsonValue v : x.getJsonArray("Staged")) {
            JsonObject s = v.asJsonObject();
            staged.add(Map.of("text", summary(s)));
        }
        scope.put("staged", staged);
        long stagedCount = x.getJsonNumber("Staged_Count").longValue();
        if (stagedCount > staged.size()) {
            scope.put("moreStaged", Map.of("shown", thousands(staged.size()), "count", thousands(stagedCount)));
        }
        JsonValue commit = x.get("Commit");
        if (commit != null && commit.getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObject c = commit.asJsonObject();
            scope.put(
                    "commit",
                    Map.of(
                            "state",
                            text(c, "state"),
                            "filesDone",
                            text(c, "filesDone"),
                            "filesTotal",
                            text(c, "filesTotal"),
                            "bytesDone",
                            text(c, "bytesDone"),
                            "bytesTotal",
                            text(c, "bytesTotal"),
                            "error",
                            text(c, "error")));
        }
        boolean mayChange = Executions.mayChange(page.catalog(), x);
        if (mayChange && ExecutionStates.STAGEABLE.contains(status)) {
            scope.put(
                    "stage",
                    Map.of(
                            "tables",
                            assetTables.list(id).stream()
                                    .filter(t -> !t.equals(AssetTables.AssetTable.REGISTERED)
                                            && page.catalog().allowed("insert", t.schema(), t.name()))
                                    .map(t -> Map.of("name", t.name()))
                                    .toList()));
        }
        if (mayChange) {
            List<Map<String, Object>> moves = new ArrayList<>();
            for (String next : List.of("Running", "Stopped", "Failed")) {
                if (!next.equals(status) && ExecutionStates.allowed(status, next)) {
                    moves.add(Map.of("status", next, "label", LABELS.get(next), "fail", next.equals("Failed")));
                }
            }
            scope.put("moves", moves);
            scope.put("hasMoves", !moves.isEmpty());
            scope.put("statusAction", "/web/" + cid + "/execution/" + PathSegment.encode(rid) + "/status");
        }
        if (mayChange && ExecutionStates.COMMITTABLE.contains(status)) {
            scope.put("committable", true);
        }
        scope.put("api", "/api/catalogs/" + cid + "/executions/" + rid);
        scope.put("lineage", "/web/" + cid + "/lineage/" + rid);
        return page.page("execution.mustache", scope);
    }

    private static final Map<String, String> LABELS =
            Map.of("Running", "Start", "Stopped", "Stop (finished)", "Failed", "Mark as failed");

    /**
     * The status buttons: {@code status} Running, Stopped or Failed, with an optional {@code detail};
     * back to the page.
     */
    @POST
    @Path("status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(
            @PathParam("cid") String cid,
            @PathParam("rid") String rid,
            @FormParam("status") String status,
            @FormParam("detail") String detail) {
        page.sameOrigin("change executions");
        long id = page.catalog().requireMl("update", "Execution");
        if (!Executions.mayChange(page.catalog(), executions.creator(id, rid))) {
            throw new CairnException.Forbidden(
                    ErrorCode.ACL_DENIED, "Only its creator or an owner of the catalog changes execution " + rid + ".");
        }
        executions.status(
                id,
                rid,
                status,
                detail == null || detail.isBlank() ? null : detail.strip(),
                page.catalog().client());
        return Response.seeOther(URI.create("/web/" + cid + "/execution/" + PathSegment.encode(rid)))
                .build();
    }

    private static final Pattern DERIVA_DURATION = Pattern.compile("(\\d+)H (\\d+)min ([0-9.]+)sec");

    /** DerivaML's {@code 0H 1min 5.9800sec} as a person writes it: {@code 1 min 5.98 s}. */
    static String duration(String deriva) {
        Matcher m = DERIVA_DURATION.matcher(deriva);
        if (!m.matches()) {
            return deriva;
        }
        long hours = Long.parseLong(m.group(1));
        long minutes = Long.parseLong(m.group(2));
        String seconds = new BigDecimal(m.group(3))
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
        return (hours > 0 ? hours + " h " : "") + (hours > 0 || minutes > 0 ? minutes + " min " : "") + seconds + " s";
    }

    private static String summary(JsonObject s) {
        return text(s, "table") + "/" + text(s, "filename") + " · " + text(s, "length") + " bytes · MD5 "
                + text(s, "md5");
    }

    private static String text(JsonObject o, String field) {
        return Recordset.text(o.get(field));
    }

    private static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
