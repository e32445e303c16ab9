package dev.cairn.web.boundary;

import dev.cairn.dataset.control.DatasetDiff;
import dev.cairn.dataset.control.Datasets;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.PathSegment;
import dev.cairn.web.control.Recordset;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A dataset: its versions (each with a bag download), its members by element type at a chosen
 * version (the first rows of each, linked), and what changed between two versions. The same
 * controls and rules as {@code /api/catalogs/{cid}/datasets}. Access: {@code select} on Dataset;
 * members and changes only as far as the client may read them.
 */
@Path("/web/{cid: [0-9]{1,18}}/dataset/{rid}")
public class DatasetPage {

    static final int MEMBERS = 10;

    @Inject
    PageContext page;

    @Inject
    Datasets datasets;

    @Inject
    DatasetDiff diffs;

    @GET
    @Produces(PageContext.HTML)
    public Response get(
            @PathParam("cid") String cid,
            @PathParam("rid") String rid,
            @QueryParam("version") String version,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        long id = page.catalog().requireMl("select", "Dataset");
        rid = MlSql.rid("RID", rid);
        JsonObject dataset = datasets.get(id, rid, page.catalog().guard());
        Map<String, Object> scope = page.scope("Dataset " + rid, cid);
        scope.put("rid", rid);
        scope.put("description", Recordset.text(dataset.get("Description")));
        scope.put("current", Recordset.text(dataset.get("Current_Version")));
        scope.put("deleted", dataset.getBoolean("Deleted", false));
        List<String> types = new ArrayList<>();
        dataset.getJsonArray("Dataset_Type").forEach(t -> types.add(Recordset.text(t)));
        scope.put("types", String.join(", ", types));
        String api = "/api/catalogs/" + cid + "/datasets/" + rid;
        String here = "/web/" + cid + "/dataset/" + rid;

        List<Map<String, Object>> versions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (JsonValue v : datasets.versions(id, rid)) {
            JsonObject o = v.asJsonObject();
            String label = o.getString("Version");
            labels.add(label);
            versions.add(Map.of(
                    "version",
                    label,
                    "snapshot",
                    Recordset.text(o.get("Snapshot")),
                    "description",
                    Recordset.text(o.get("Description")),
                    "current",
                    o.getBoolean("Current", false),
                    "members",
                    here + "?version=" + PathSegment.encode(label),
                    "bag",
                    api + "/bag?version=" + PathSegment.encode(label)));
        }
        Collections.reverse(versions);
        scope.put("versions", versions);

        Datasets.Pinned pinned = datasets.pin(id, rid, version);
        scope.put("shown", pinned.version() == null ? "the current state" : pinned.version());
        List<Map<String, Object>> members = new ArrayList<>();
        for (JsonValue t : datasets.members(
                        id, rid, pinned, null, false, null, 1, page.catalog().guard())
                .getJsonArray("members")) {
            JsonObject type = t.asJsonObject();
            long count = type.getJsonNumber("count").longValue();
            if (count == 0) {
                continue;
            }
            String table = type.getString("schema") + ":" + type.getString("table");
            List<Map<String, Object>> rows = new ArrayList<>();
            JsonObject page1 = datasets.members(
                    id, rid, pinned, table, false, null, MEMBERS, page.catalog().guard());
            for (JsonValue r : page1.getJsonArray("rows")) {
                JsonObject row = r.asJsonObject();
                rows.add(Map.of(
                        "rid",
                        row.getString("RID"),
                        "summary",
                        CatalogPage.summary(row),
                        "link",
                        "/web/" + cid + "/record/" + PathSegment.encode(table) + "/" + row.getString("RID")));
            }
            members.add(Map.of(
                    "table", table, "count", String.format("%,d", count), "rows", rows, "more", count > MEMBERS));
        }
        scope.put("members", members);

        // the difference between two versions
        // the form's "now" sends an empty value: the current state, as when no "to" is given
        if (to != null && to.isBlank()) {
            to = null;
        }
        List<Map<String, Object>> fromOptions = new ArrayList<>();
        List<Map<String, Object>> toOptions = new ArrayList<>();
        String fromLabel = from == null && labels.size() > 1 ? labels.get(labels.size() - 2) : from;
        for (String label : labels) {
            fromOptions.add(Map.of("label", label, "selected", label.equals(fromLabel)));
            toOptions.add(Map.of("label", label, "selected", label.equals(to)));
        }
        scope.put("fromOptions", fromOptions);
        scope.put("toOptions", toOptions);
        if (fromLabel != null) {
            JsonObject diff = diffs.diff(
                    id,
                    rid,
                    datasets.pin(id, rid, fromLabel),
                    datasets.pin(id, rid, to),
                    50,
                    page.catalog().guard());
            List<Map<String, Object>> changes = new ArrayList<>();
            for (JsonValue m : diff.getJsonArray("members")) {
                JsonObject o = m.asJsonObject();
                changes.add(Map.of(
                        "table",
                        o.getString("table"),
                        "added",
                        o.getInt("added"),
                        "removed",
                        o.getInt("removed"),
                        "addedRids",
                        String.join(", ", strings(o, "added_rids")),
                        "removedRids",
                        String.join(", ", strings(o, "removed_rids"))));
            }
            scope.put("diff", Map.of("from", fromLabel, "to", to == null ? "now" : to, "changes", changes));
        }
        scope.put("api", api);
        scope.put("lineage", "/web/" + cid + "/lineage/" + rid);
        return page.page("dataset.mustache", scope);
    }

    private static List<String> strings(JsonObject o, String field) {
        List<String> out = new ArrayList<>();
        o.getJsonArray(field).forEach(v -> out.add(Recordset.text(v)));
        return out;
    }
}
